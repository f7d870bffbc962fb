"""Pages of 年度工作报告: the list of reports (core.lists, 导出 Excel), 年度报告提交情况 (every active studio of a
year with its report state, and the counts 应交/已提交/逾期/已接收), the studio-year page (the writer's form, the
computed tables, the stepper, the reviewers' decision box), submit (confirmed), decide, and the PDF.
Views parse, check permission through annual.permissions / accounts.permissions, call one service and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Department
from accounts.permissions import can, get_object_for_user, visible_to
from core import roles as role_rules
from core.confirm import confirmation_page, is_confirmed
from core.forms import refusal_text
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes
from core.workflow import WorkflowError, history_for, next_actors
from studios.models import Studio

from . import documents, services
from .forms import ReportForm, decision_form
from .models import AnnualReport, ReportStatus
from .permissions import (
    is_writer,
    may_decide,
    overview_studio_q,
    report_studios,
    sees_overview,
    writable_studios,
)
from .workflow import MACHINE

SUBMITTED_STATES = (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RECEIVED)


def _year_choices():
    this = timezone.localdate().year
    return [(str(y), f"{y} 年") for y in range(this, this - 10, -1)]


def _year(request):
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return services.reporting_year()


# --- the list of reports ------------------------------------------------------------------------------------------


class ReportFilter(ListFilterSet):
    q = SearchFilter("studio__official_name", "studio__master__display_name", label="工作室或技能大师")
    year = ChoiceFilter(choices=_year_choices, empty_label="全部年度", label="报告年度")
    department = IdChoiceFilter(
        field_name="studio__department", queryset=Department.objects.filter(is_active=True).order_by("name"),
        empty_label="全部系部", label="系部",
    )  # fmt: skip
    status = ChoiceFilter(choices=ReportStatus.choices, empty_label="全部状态", label="状态")
    late = ChoiceFilter(
        choices=[("1", "逾期提交"), ("0", "按期提交")], empty_label="是否逾期", label="是否逾期", method="_late"
    )

    class Meta:
        model = AnnualReport
        fields = []

    def _late(self, queryset, name, value):
        if value == "1":
            return queryset.filter(late=True)
        if value == "0":
            return queryset.filter(late=False, submitted_at__isnull=False)
        return queryset


class ReportListPage(ListPage):
    """年度工作报告: the visible reports, filtered by year, department, status and lateness."""

    template_name = "annual/list.html"
    filterset_class = ReportFilter
    default_sort = "-year"
    list_url_name = "annual:list"
    export_title = "年度工作报告"
    columns = (
        Column("year", "报告年度", ("year",), "year"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("department", "系部", ("studio__department__name",), "studio.department.name"),
        Column("master", "技能大师", ("studio__master__display_name",), "studio.master.display_name"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("submitted", "首次提交时间", ("submitted_at",), "submitted_at"),
        Column("late", "逾期提交", ("late",), "late"),
    )

    def get_queryset(self):
        return visible_to(self.request.user, AnnualReport).select_related(
            "studio", "studio__department", "studio__master"
        )

    def extra_context(self):
        user = self.request.user
        return {"show_mine": writable_studios(user).exists(), "show_status": sees_overview(user)}


# --- 年度报告提交情况 ----------------------------------------------------------------------------------------------

STATE_CHOICES = [
    ("missing", "未提交"),
    ("submitted", "已提交"),
    ("late", "逾期"),
    ("received", "已接收"),
]


def _report_of(year, field):
    return Subquery(AnnualReport.objects.filter(studio_id=OuterRef("pk"), year=year).values(field)[:1])


class OverviewFilter(ListFilterSet):
    q = SearchFilter("official_name", "master__display_name", label="工作室或技能大师")
    year = ChoiceFilter(choices=_year_choices, empty_label="上一年度", label="报告年度", method="_noop")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True).order_by("name"), empty_label="全部系部", label="系部"
    )
    state = ChoiceFilter(choices=STATE_CHOICES, empty_label="全部情况", label="提交情况", method="_state")

    class Meta:
        model = Studio
        fields = []

    def _noop(self, queryset, name, value):
        return queryset

    def _state(self, queryset, name, value):
        year = _year(self.request)
        reports = AnnualReport.objects.filter(studio_id=OuterRef("pk"), year=year)
        submitted = reports.filter(submitted_at__isnull=False)
        if value == "missing":
            return queryset.filter(~Exists(submitted))
        if value == "submitted":
            return queryset.filter(Exists(submitted))
        if value == "late":
            overdue = timezone.localdate() > services.due_date(year)
            late_q = Exists(submitted.filter(late=True))
            return queryset.filter(late_q | ~Exists(submitted) if overdue else late_q)
        if value == "received":
            return queryset.filter(Exists(reports.filter(status=ReportStatus.RECEIVED)))
        return queryset


class StatusOverviewPage(ListPage):
    """年度报告提交情况 (教学工作部, 发改室, the other all-row roles; a department head his department): every studio that
    owes a report on the year, with its report's state; the counts in one aggregate statement."""

    template_name = "annual/status.html"
    filterset_class = OverviewFilter
    default_sort = "department"
    list_url_name = "annual:status"
    export_title = "年度报告提交情况"
    columns = (
        Column("studio", "工作室", ("official_name",), "official_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("master", "技能大师", ("master__display_name",), "master.display_name"),
        Column("state", "报告状态", (), lambda s: s.report_state_label),
        Column("submitted", "首次提交时间", (), lambda s: s.report_submitted_at),
        Column("late", "逾期", (), lambda s: s.report_late_label),
    )

    def check_access(self, request):
        if not sees_overview(request.user):
            raise PermissionDenied("年度报告提交情况只对教学工作部、发展改革研究室、系部主任等开放。")

    def base(self):
        year = _year(self.request)
        studios = services.due_studios(year)
        q = overview_studio_q(self.request.user)
        return studios if q is None else studios.filter(q)

    def get_queryset(self):
        year = _year(self.request)
        return (
            self.base()
            .select_related("department", "master")
            .annotate(
                report_pk=_report_of(year, "pk"),
                report_status=_report_of(year, "status"),
                report_submitted=_report_of(year, "submitted_at"),
                report_is_late=_report_of(year, "late"),
            )
        )

    def extra_context(self):
        year = _year(self.request)
        due = services.due_date(year)
        overdue = timezone.localdate() > due
        reports = AnnualReport.objects.filter(year=year, studio__in=self.base().values("pk"))
        counts = reports.aggregate(
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            late=Count("pk", filter=Q(late=True)),
            received=Count("pk", filter=Q(status=ReportStatus.RECEIVED)),
        )
        owed = self.base().count()
        missing = owed - counts["submitted"]
        _decorate(self.page.object_list, year, overdue)
        return {
            "year": year,
            "due": due,
            "overdue": overdue,
            "counts": {
                **counts,
                "owed": owed,
                "missing": missing,
                "late_total": counts["late"] + (missing if overdue else 0),
            },
        }

    def export_rows(self, rows):
        rows = list(rows)
        year = _year(self.request)
        _decorate(rows, year, timezone.localdate() > services.due_date(year))
        return super().export_rows(rows)


def _decorate(studios, year, overdue):
    labels = dict(ReportStatus.choices)
    for s in studios:
        if s.report_status is None:
            s.report_state_label = "未撰写"
        else:
            s.report_state_label = str(labels.get(s.report_status, ""))
        s.report_submitted_at = s.report_submitted
        if s.report_submitted is None:
            s.report_late_label = "逾期未交" if overdue else ""
        else:
            s.report_late_label = "逾期提交" if s.report_is_late else "按期"


# --- the studio-year page -----------------------------------------------------------------------------------------


def _studio(request, studio_pk):
    if studio_pk > 2**63 - 1:
        raise Http404("工作室不存在或您无权查看其年度工作报告。")
    studios = report_studios(request.user, Studio.objects.select_related("department", "master"))
    try:
        return studios.get(pk=studio_pk)
    except Studio.DoesNotExist:
        raise Http404("工作室不存在或您无权查看其年度工作报告。") from None


def stepper(report):
    """The stages of the report (草稿 → 已提交 → 系部已审核 → 已接收) and who acts next."""
    order = [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RECEIVED]
    labels = ["撰写", "提交系部审核", "系部审核", "教学工作部接收"]
    status = ReportStatus(report.status) if report else ReportStatus.DRAFT
    current = 0 if status == ReportStatus.RETURNED else order.index(status)
    steps = []
    for index, label in enumerate(labels):
        if status == ReportStatus.RECEIVED:
            state = "done"
        else:
            state = "done" if index < current else "current" if index == current else "todo"
        steps.append({"label": label, "state": state, "number": index + 1})
    if status == ReportStatus.RECEIVED:
        following = "已办结"
    elif status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        following = "下一步：技能大师（或联系人）提交"
    else:
        actors = next_actors(MACHINE, status, forward={ReportStatus.CHECKED, ReportStatus.RECEIVED})
        names = "、".join(role_rules.rules().role_label(a) for a in actors if a)
        following = f"下一步：{names}办理"
    return {"steps": steps, "status_label": status.label if report else "尚未撰写", "next": following}


def _page(request, studio, year, report, form=None):
    user = request.user
    writer = is_writer(user, studio) and (report is None or report.is_editable)
    if writer and form is None:
        initial = {}
        if report is not None:
            initial = {f: getattr(report, f) for f in services.NARRATIVE_FIELDS}
            initial["landmarks"] = [a.pk for a in report.landmarks.all()]
        form = ReportForm(initial=initial, studio_id=studio.pk, year=year)
    deciding = report is not None and may_decide(user, report)
    return render(
        request,
        "annual/report.html",
        {
            "studio": studio,
            "year": year,
            "report": report,
            "due": services.due_date(year),
            "form": form if writer else None,
            "can_submit": report is not None and can(user, "submit", report),
            "decision_form": decision_form(report) if deciding else None,
            "landmarks": list(report.landmarks.order_by("date", "pk")) if report else [],
            "cells": services.plan_vs_actual(studio.pk, year),
            "funds": services.funds_summary(studio.pk, year),
            "history": history_for(report) if report else [],
            "stepper": stepper(report),
        },
    )


def _report_qs():
    return AnnualReport.objects.select_related("studio", "studio__department", "studio__master", "created_by")


@login_required
@require_http_methods(["GET", "POST"])
def studio_year(request, studio_pk, year):
    """GET: the studio's report on `year` (the report page when it exists, else the blank form for the writer).
    POST: the writer saves (creates or updates) the draft."""
    if not services.EARLIEST_YEAR <= year <= 2100:  # a path like /studio/1/99999999999999999999/: no such year
        raise Http404("报告年度无效。")
    studio = _studio(request, studio_pk)
    report = _report_qs().filter(studio=studio, year=year).first()
    if request.method == "GET":
        if report is not None:
            return redirect("annual:report", report.pk)
        try:
            services.check_year(studio, year)
        except ValidationError as exc:
            raise Http404(refusal_text(exc)) from None
        return _page(request, studio, year, None)
    if not is_writer(request.user, studio) or (report is not None and not report.is_editable):
        raise PermissionDenied("只有本工作室的技能大师或联系人可以撰写年度工作报告（草稿或已退回时）。")
    form = ReportForm(request.POST, studio_id=studio.pk, year=year)
    if not form.is_valid():
        messages.error(request, "报告未保存，请修改标出的内容。")
        return _page(request, studio, year, report, form=form)
    data = {f: form.cleaned_data[f] for f in services.NARRATIVE_FIELDS}
    try:
        report = services.save_report(
            by=request.user, studio=studio, year=year, data=data, landmarks=form.cleaned_data["landmarks"]
        )
    except ValidationError as exc:
        messages.error(request, "报告未保存：" + refusal_text(exc))
        return _page(request, studio, year, report, form=form)
    messages.success(request, "报告已保存为草稿。填写完整后请点击「提交」。")
    return redirect("annual:report", report.pk)


@login_required
def report_detail(request, pk):
    report = get_object_for_user(request, _report_qs(), pk)
    return _page(request, report.studio, report.year, report)


@login_required
def mine(request):
    """我的年度报告: the report on last year of the studio the person writes for (a list when several)."""
    year = services.reporting_year()
    studios = list(writable_studios(request.user).order_by("official_name"))
    if len(studios) == 1:
        return redirect("annual:studio_year", studios[0].pk, year)
    if not studios:
        messages.info(request, "您不是工作室的技能大师或联系人，没有需要撰写的年度工作报告。")
        return redirect("annual:list")
    return render(request, "annual/mine.html", {"studios": studios, "year": year})


@login_required
@require_POST
def report_submit(request, pk):
    report = get_object_for_user(request, _report_qs(), pk, action="submit")
    if not is_confirmed(request):
        late = timezone.localdate() > services.due_date(report.year) and report.submitted_at is None
        return confirmation_page(
            request,
            title="请确认：提交年度工作报告",
            question=f"您确定要提交「{report.studio.official_name}」{report.year} 年度工作报告吗？提交后由系部审核，不能再修改。",
            details=[
                ("截止日期", f"{services.due_date(report.year):%Y-%m-%d}"),
                ("说明", "已过截止日期，将标记为逾期提交" if late else ""),
            ],
            cancel_url=reverse("annual:report", args=[report.pk]),
            button="确认提交",
        )
    try:
        services.submit_report(report, by=request.user)
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, "未提交：" + refusal_text(exc))
    else:
        note = "（已过截止日期，标记为逾期提交）" if report.late else ""
        messages.success(request, f"年度工作报告已提交系部审核{note}。")
    return redirect("annual:report", report.pk)


@login_required
@require_POST
def report_decide(request, pk):
    report = get_object_for_user(request, _report_qs(), pk, action="decide")
    form = decision_form(report, request.POST)
    if not form.is_valid():
        messages.error(request, "办理未提交：" + "；".join(e for es in form.errors.values() for e in es))
        return redirect("annual:report", report.pk)
    target, note = form.cleaned_data["target"], form.cleaned_data["note"]
    try:
        services.decide_report(report, target, by=request.user, note=note)
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, "办理未提交：" + refusal_text(exc))
    else:
        messages.success(request, f"已办理：{ReportStatus(target).label}。")
    return redirect("annual:report", report.pk)


@login_required
def report_pdf(request, pk):
    report = get_object_for_user(request, _report_qs(), pk, action="download")
    return serve_bytes(*documents.report_pdf(report))
