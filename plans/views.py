"""Pages of the plans app. Each view checks permission through accounts.permissions, parses its input, calls ONE
service of plans.services and renders or redirects; a refusal is shown in Chinese and changes nothing."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.models import Department
from accounts.permissions import can, get_object_for_user, has_role, headed_department_ids, may_write_as, visible_to
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.search import id_param
from core.uploads import serve_bytes
from core.workflow import WorkflowError, history_for
from ledger.types import BY_MODEL
from studios.models import Membership, Studio

from . import actuals, documents, services
from .enums import EDITABLE_STATES, PlanKind, PlanStatus
from .forms import MoveForm, NewVersionForm, PlanContentForm, PlanCreateForm, TaskForm, YearForm
from .indicators import NOT_ENABLED, REGISTRY
from .models import Indicator, IndicatorSet, Plan
from .permissions import PLAN_OFFICES, may_see_studio_plans, sees_all_plans
from .workflow import COMMENT_REQUIRED, WORKFLOW, may_act

TASK_ROWS_EXTRA = 3


def _year(request):
    """?year= (2000–2100), else this year; an invalid value is named on the page."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw == "":
        return this_year, None
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), None
    return this_year, "年度无效，已显示本年度。"


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, getattr(exc, "message", str(exc)))


# --- lists ----------------------------------------------------------------------------------------------------------


class PlanFilter(ListFilterSet):
    q = SearchFilter("studio__official_name", label="工作室")
    kind = ChoiceFilter(choices=PlanKind.choices, empty_label="全部类型", label="类型")
    status = ChoiceFilter(choices=PlanStatus.choices, empty_label="全部状态", label="状态")
    department = IdChoiceFilter(
        field_name="studio__department",
        queryset=Department.objects.filter(is_active=True),
        empty_label="全部系部",
        label="系部",
    )


class PlanListPage(ListPage):
    """Plans the person may see: his studios', his department's, or all (offices); newest first."""

    template_name = "plans/list.html"
    filterset_class = PlanFilter
    list_url_name = "plans:list"
    export_title = "建设方案与年度计划"
    columns = (
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("department", "系部", ("studio__department__name",), "studio.department.name"),
        Column("kind", "类型", ("kind",), "get_kind_display"),
        Column("year", "年度", ("year",), "year"),
        Column("version", "版本", ("version",), "version"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("updated", "更新时间", ("updated_at",), "updated_at"),
    )
    default_sort = "-updated"

    def get_queryset(self):
        return visible_to(self.request.user, Plan).select_related("studio__department")


plan_list = PlanListPage.as_view()
plan_list_export = PlanListPage.as_view(export=True)


# --- a studio's plans -----------------------------------------------------------------------------------------------


def _studio_for_plans(request, studio_pk):
    studio = get_object_for_user(request, Studio.objects.select_related("department", "master"), studio_pk)
    if not may_see_studio_plans(request.user, studio):
        raise PermissionDenied("您没有权限查看该工作室的建设方案。")
    return studio


@login_required
def studio_plans(request, studio_pk):
    studio = _studio_for_plans(request, studio_pk)
    plans = list(Plan.objects.filter(studio=studio).order_by("kind", "-year", "-version"))
    form = PlanCreateForm(initial={"kind": PlanKind.ANNUAL, "year": timezone.localdate().year})
    return render(
        request,
        "plans/studio.html",
        {"studio": studio, "plans": plans, "form": form, "may_create": can(request.user, "record", studio)},
    )


@login_required
@require_POST
def plan_create(request, studio_pk):
    studio = get_object_for_user(request, Studio, studio_pk, action="record")
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("plans:studio", studio.pk)
    data = form.cleaned_data
    try:
        plan = services.create_plan(
            studio, by=request.user, kind=data["kind"], year=data["year"], term_years=data.get("term_years")
        )
    except (ValidationError, WorkflowError) as exc:
        _refused(request, exc)
        return redirect("plans:studio", studio.pk)
    messages.success(request, f"已创建{plan}，请填写内容后提交审核。")
    return redirect("plans:edit", plan.pk)


# --- one plan -------------------------------------------------------------------------------------------------------


def _plan(request, pk, action="view"):
    return get_object_for_user(
        request,
        Plan.objects.select_related("studio__department", "studio__master", "indicator_set", "created_by"),
        pk,
        action,
    )


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    targets = list(plan.targets.select_related("indicator").order_by("indicator__order", "indicator_id"))
    tasks = list(plan.tasks.select_related("owner").order_by("order", "pk"))
    old = Plan.objects.filter(pk=plan.supersedes_id).first() if plan.supersedes_id else None
    newer = Plan.objects.filter(supersedes=plan).first()
    change = services.diff(old, plan) if old is not None else None
    moves = [(to, WORKFLOW.transitions[(plan.status, to)].label) for to in may_act(request.user, plan)]
    context = {
        "plan": plan,
        "studio": plan.studio,
        "targets": targets,
        "tasks": tasks,
        "old": old,
        "newer": newer,
        "change": change,
        "moves": moves,
        "comment_required": {to for (src, to) in COMMENT_REQUIRED if src == plan.status},
        "history": [(h, WORKFLOW.label(h.to_state)) for h in history_for(plan)],
        "may_edit": plan.status in EDITABLE_STATES and can(request.user, "change", plan),
        "may_new_version": plan.status == PlanStatus.APPROVED and newer is None and can(request.user, "change", plan),
        "version_form": NewVersionForm(),
    }
    return render(request, "plans/detail.html", context)


def _owner_choices(studio):
    rows = (
        Membership.objects.filter(studio=studio, left_on__isnull=True)
        .select_related("user")
        .order_by("role", "pk")
        .values_list("user_id", "user__display_name")
    )
    choices = dict(rows)
    choices.setdefault(studio.master_id, studio.master.display_name)
    return list(choices.items())


@login_required
def plan_edit(request, pk):
    plan = _plan(request, pk, action="change")
    if plan.status not in EDITABLE_STATES:
        raise PermissionDenied(
            services.LOCKED_MESSAGE
            if plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
            else services.REVIEW_MESSAGE
        )
    owners = _owner_choices(plan.studio)
    targets = list(plan.targets.select_related("indicator").order_by("indicator__order", "indicator_id"))
    existing = list(plan.tasks.order_by("order", "pk"))
    n_rows = len(existing) + TASK_ROWS_EXTRA
    if request.method == "POST":
        form = PlanContentForm(request.POST)
        task_forms = [TaskForm(request.POST, prefix=f"task{n}", owners=owners) for n in range(n_rows)]
        target_values = {
            t.indicator_id: request.POST[f"target-{t.indicator_id}"]
            for t in targets
            if f"target-{t.indicator_id}" in request.POST
        }
        if form.is_valid() and all(f.is_valid() for f in task_forms):
            tasks = [
                {
                    "title": f.cleaned_data["title"],
                    "owner_id": f.cleaned_data["owner"],
                    "due_on": f.cleaned_data["due_on"],
                    "expected_output": f.cleaned_data["expected_output"],
                }
                for f in task_forms
                if f.cleaned_data.get("title")
            ]
            data = {k: v for k, v in form.cleaned_data.items() if not (k == "term_years" and v is None)}
            try:
                services.update_plan(plan, by=request.user, data=data, targets=target_values, tasks=tasks)
            except (ValidationError, WorkflowError) as exc:
                _refused(request, exc)
            else:
                messages.success(request, "方案已保存。")
                return redirect("plans:detail", plan.pk)
        else:
            messages.error(request, "请您按提示修改后再保存。")
        for t in targets:
            t.entered = target_values.get(t.indicator_id, f"{t.target.normalize():f}")
    else:
        form = PlanContentForm(
            initial={"goals": plan.goals, "expected_outputs": plan.expected_outputs, "term_years": plan.term_years}
        )
        task_forms = [
            TaskForm(
                prefix=f"task{n}",
                owners=owners,
                initial={
                    "title": t.title,
                    "owner": t.owner_id,
                    "due_on": t.due_on,
                    "expected_output": t.expected_output,
                },
            )
            for n, t in enumerate(existing)
        ] + [TaskForm(prefix=f"task{n}", owners=owners) for n in range(len(existing), n_rows)]
        for t in targets:
            t.entered = f"{t.target.normalize():f}"
    if plan.kind != PlanKind.CONSTRUCTION:
        form.fields.pop("term_years")
    return render(
        request, "plans/edit.html", {"plan": plan, "form": form, "task_forms": task_forms, "targets": targets}
    )


@login_required
@require_POST
def plan_move(request, pk):
    plan = _plan(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("plans:detail", plan.pk)
    if form.cleaned_data["to"] == PlanStatus.SUPERSEDED:
        messages.error(request, "原版本在新版本批准时自动标记为已取代。")
        return redirect("plans:detail", plan.pk)
    try:
        services.move(plan, form.cleaned_data["to"], by=request.user, note=form.cleaned_data["note"])
    except (ValidationError, WorkflowError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已办理：{plan}现为「{PlanStatus(plan.status).label}」。")
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def plan_new_version(request, pk):
    plan = _plan(request, pk, action="change")
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("plans:detail", plan.pk)
    try:
        copy = services.new_version(plan, by=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, WorkflowError) as exc:
        _refused(request, exc)
        return redirect("plans:detail", plan.pk)
    messages.success(request, f"已创建第{copy.version}版，请修改后提交审核。")
    return redirect("plans:edit", copy.pk)


@login_required
def plan_pdf(request, pk):
    """The plan as a PDF document (goals, tasks, expected outputs, target per indicator) for whoever sees the plan."""
    plan = _plan(request, pk, action="download")
    return serve_bytes(*documents.plan_pdf(plan))


# --- plan vs actual -------------------------------------------------------------------------------------------------


@login_required
def actual_studio(request, studio_pk):
    studio = _studio_for_plans(request, studio_pk)
    year, notice = _year(request)
    if notice:
        messages.warning(request, notice)
    _indicators, cells = actuals.table([studio.pk], year)
    rows = cells.get(studio.pk, [])
    return render(
        request,
        "plans/actual_studio.html",
        {"studio": studio, "year": year, "cells": rows, "total": actuals.total_score(rows), "not_enabled": NOT_ENABLED},
    )


@login_required
def actual_records(request, studio_pk, key):
    """The exact ledger records behind one indicator's actual (or its waiting value) for a studio and year."""
    studio = _studio_for_plans(request, studio_pk)
    computation = REGISTRY.get(key)
    if computation is None:
        raise Http404("指标不存在。")
    year, notice = _year(request)
    if notice:
        messages.warning(request, notice)
    waiting = request.GET.get("waiting") == "1"
    records = computation.records(studio.pk, year, waiting=waiting) if computation.enabled else None
    rows = list(records.order_by("-date", "-pk")[:500]) if records is not None else []
    plan = None
    if key == "plan_and_meetings":
        plan = Plan.objects.filter(studio=studio, kind=PlanKind.ANNUAL, year=year).order_by("-version").first()
    return render(
        request,
        "plans/actual_records.html",
        {
            "studio": studio,
            "year": year,
            "computation": computation,
            "waiting": waiting,
            "rows": rows,
            "plan": plan,
            "not_enabled": NOT_ENABLED,
            "model_label": computation.model._meta.verbose_name if computation.model else "",
            "slug": BY_MODEL[computation.model].slug if computation.model else "",
        },
    )


class ActualFilter(ListFilterSet):
    q = SearchFilter("official_name", "master__display_name", label="工作室或技能大师")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )


class ActualListPage(ListPage):
    """School-wide (or department) plan vs actual: one row per studio, one column group per indicator. The actuals
    of all studios on the page come from ONE call of the registry (plans/indicators.py)."""

    template_name = "plans/actual_school.html"
    filterset_class = ActualFilter
    list_url_name = "plans:actual_school"
    export_title = "目标完成情况"
    columns = (
        Column("studio", "工作室", ("official_name",), "official_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("approved", "认定日期", ("approved_on",), None),
    )
    default_sort = "department"

    def check_access(self, request):
        if not (has_role(request.user, *PLAN_OFFICES) or headed_department_ids(request.user)):
            raise PermissionDenied("目标完成情况仅供系部主任、教学工作部、发展改革研究室、纪检办、校领导和管理员查看。")
        self.year, notice = _year(request)
        self.indicators = actuals.indicators_for(self.year)
        self._notice = notice

    def get_queryset(self):
        qs = Studio.objects.select_related("department")
        if not sees_all_plans(self.request.user):
            qs = qs.filter(department_id__in=headed_department_ids(self.request.user))
        return qs

    def extra_context(self):
        studios = list(self.page.object_list)
        _indicators, cells = actuals.table([s.pk for s in studios], self.year, self.indicators)
        if self._notice:
            self.notices.append(self._notice)
        return {
            "year": self.year,
            "indicators": self.indicators,
            "rows": [(s, cells.get(s.pk, []), actuals.total_score(cells.get(s.pk, []))) for s in studios],
            "not_enabled": NOT_ENABLED,
        }

    def export_rows(self, rows):
        rows = list(rows)
        _indicators, cells = actuals.table([s.pk for s in rows], self.year, self.indicators)
        header = ["工作室", "系部"]
        for i in self.indicators:
            header += [f"{i.name}（目标）", f"{i.name}（完成）", f"{i.name}（待确认）"]
        header.append("得分（已启用指标）")
        data = []
        for s in rows:
            line = [s.official_name, s.department.name]
            row_cells = cells.get(s.pk, [])
            for c in row_cells:
                if c.enabled:
                    line += [_num(c.target), _num(c.confirmed), _num(c.waiting)]
                else:
                    line += [_num(c.target), NOT_ENABLED, NOT_ENABLED]
            total = actuals.total_score(row_cells)
            line.append(_num(total) if total is not None else "")
            data.append(line)
        return header, data


def _num(value):
    if value is None:
        return ""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


actual_school = ActualListPage.as_view()
actual_school_export = ActualListPage.as_view(export=True)


@login_required
def actual_department(request, department_pk):
    """A department's view: the school-wide table filtered to the department (its head or the offices)."""
    department = get_object_for_user(request, Department, department_pk)
    if not (sees_all_plans(request.user) or department.pk in headed_department_ids(request.user)):
        raise PermissionDenied("您只能查看本系部的目标完成情况。")
    query = request.GET.copy()
    query["department"] = str(department.pk)
    return redirect(reverse("plans:actual_school") + "?" + query.urlencode())


# --- 系统管理 › 建设指标体系 -------------------------------------------------------------------------------------------


def _require_admin(request):
    if not may_write_as(request.user, Role.ADMIN):
        raise PermissionDenied("建设指标体系由系统管理员维护。")


@login_required
def indicator_sets(request):
    _require_admin(request)
    sets = list(visible_to(request.user, IndicatorSet).order_by("-year"))
    if request.method == "POST":
        form = YearForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                new = services.start_indicator_set(by=request.user, year=year)
            except (ValidationError, PermissionDenied) as exc:
                _refused(request, exc)
            else:
                messages.success(request, f"已建立{year}年度指标体系，请检查后保存。")
                return redirect("plans:indicator_set_edit", new.pk)
        else:
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        form = YearForm(initial={"year": (sets[0].year + 1) if sets else timezone.localdate().year})
    return render(request, "plans/indicator_sets.html", {"sets": sets, "form": form})


INDICATOR_INPUTS = (
    "key",
    "group",
    "group_weight",
    "name",
    "unit",
    "computation",
    "computed_from",
    "default_target",
    "weight",
)


@login_required
def indicator_set_edit(request, pk):
    _require_admin(request)
    indicator_set = get_object_for_user(request, IndicatorSet, pk, action="change")
    indicators = list(indicator_set.indicators.order_by("order", "pk"))
    rows = [
        {**{f: getattr(i, f) for f in INDICATOR_INPUTS}, "id": i.pk, "level_weighted": i.level_weighted}
        for i in indicators
    ]
    note = indicator_set.note
    if request.method == "POST":
        rows, errors = _indicator_rows(request.POST, {i.pk for i in indicators})
        note = request.POST.get("note", "")
        if not errors:
            try:
                services.save_indicator_set(indicator_set, by=request.user, rows=rows, note=note[:2000])
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, f"{indicator_set.year}年度指标体系已保存。")
                return redirect("plans:indicator_set_edit", indicator_set.pk)
        for e in errors:
            messages.error(request, e)
    total = sum((_decimal_or_zero(r.get("weight")) for r in rows), Decimal(0))
    return render(
        request,
        "plans/indicator_set_edit.html",
        {
            "indicator_set": indicator_set,
            "rows": rows,
            "note": note,
            "total": total,
            "computations": [(k, c.label, c.enabled) for k, c in REGISTRY.items()],
        },
    )


def _decimal_or_zero(value):
    try:
        return Decimal(str(value))
    except Exception:  # noqa: BLE001 - a bad number shows as 0 in the running total; the service names it
        return Decimal(0)


def _indicator_rows(post, known_ids):
    """The posted table (one row per "row" index; rows marked delete are left out) → service rows and errors."""
    rows, errors = [], []
    indexes = post.getlist("row")
    if len(indexes) > 100:
        return [], ["指标最多100项。"]
    for n, index in enumerate(indexes, 1):
        if not (index.isascii() and index.isdigit()) or len(index) > 4:
            return [], ["表单无效，请刷新后重试。"]
        if post.get(f"delete-{index}"):
            continue
        row = {f: (post.get(f"{f}-{index}", "") or "").strip() for f in INDICATOR_INPUTS}
        row["level_weighted"] = bool(post.get(f"level_weighted-{index}"))
        row["order"] = n
        pk = id_param(post.get(f"id-{index}", ""))
        if pk is not None:
            if pk not in known_ids:
                return [], ["表单无效，请刷新后重试。"]
            row["id"] = pk
        for f in ("group_weight", "default_target", "weight"):
            try:
                value = Decimal(row[f] or "0")
                if not value.is_finite():
                    raise ValueError
                row[f] = value
            except (ArithmeticError, ValueError):
                errors.append(f"第{n}行：「{Indicator._meta.get_field(f).verbose_name}」应为数字。")
                row[f] = Decimal(0)
        rows.append(row)
    return rows, errors
