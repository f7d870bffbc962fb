"""推荐申报 pages: the list (ListPage, filters, xlsx, the check counts per row computed for the page's rows at once),
new, detail (the studio's summary, the live check or the frozen snapshot, actions with confirmation, dossier
downloads, 办理记录), the requirement catalogue. Views parse, check permission, call one service and redirect."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Department
from accounts.permissions import can, get_object_for_user, visible_to
from core.confirm import confirmation_page, is_confirmed
from core.forms import refusal_text, run_service
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes
from core.workflow import history_for
from studios.enums import StudioStatus
from studios.models import Studio

from . import documents, panels, services
from .checking import catalogue, check_studio, counts_for, tally
from .checks import CHECKS
from .enums import RecommendationStatus, TargetLevel, Verdict
from .models import Recommendation
from .permissions import is_organiser, reads_any

YEAR_CHOICES = [(y, f"{y}年") for y in range(2015, 2041)]


class RecommendationFilter(ListFilterSet):
    q = SearchFilter("studio__official_name", "studio__master__display_name", label="工作室或技能大师")
    level = ChoiceFilter(choices=TargetLevel.choices, empty_label="全部级别", label="申报级别")
    status = ChoiceFilter(choices=RecommendationStatus.choices, empty_label="全部状态", label="状态")
    year = ChoiceFilter(choices=YEAR_CHOICES, empty_label="全部年度", label="年度")
    department = IdChoiceFilter(
        field_name="studio__department",
        queryset=Department.objects.filter(is_active=True),
        empty_label="全部系部",
        label="系部",
    )


def _deny_unless_reader(request):
    if not reads_any(request.user):
        raise PermissionDenied("您无权查看推荐申报。")


class RecommendationListPage(ListPage):
    """Every visible recommendation, newest year first; the 满足/未满足/需核实 counts of the page's rows in one go."""

    template_name = "recommendations/list.html"
    filterset_class = RecommendationFilter
    list_url_name = "recommendations:list"
    export_title = "推荐申报"
    columns = (
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("department", "系部", ("studio__department__name",), "studio.department.name"),
        Column("level", "申报级别", ("level",), "get_level_display"),
        Column("year", "年度", ("year",), "year"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("document", "获批文号", (), "outcome_document"),
        Column("checks", "核验情况", (), None),
    )
    default_sort = "-year"

    def check_access(self, request):
        _deny_unless_reader(request)

    def get_queryset(self):
        return visible_to(self.request.user, Recommendation).select_related("studio__department", "studio__master")

    def extra_context(self):
        rows = list(self.page)
        live = [(r.studio_id, r.level) for r in rows if r.status == RecommendationStatus.DRAFT]
        counts = counts_for(live)
        for r in rows:
            if r.status == RecommendationStatus.DRAFT:
                r.check_counts = counts.get((r.studio_id, r.level))
            else:
                r.check_counts = (r.snapshot or {}).get("counts")
        return {"can_create": is_organiser(self.request.user), "rows": rows}


recommendation_list = RecommendationListPage.as_view()
recommendation_list_export = RecommendationListPage.as_view(export=True)


def _studio_choices():
    return list(
        Studio.objects.filter(status=StudioStatus.ACTIVE)
        .order_by("official_name", "pk")
        .values_list("pk", "official_name", "department__name", "level")
    )


@login_required
def recommendation_new(request):
    if not is_organiser(request.user):
        raise PermissionDenied("只有发展改革研究室可以发起推荐申报。")
    data = {"level": TargetLevel.CITY, "year": dt.date.today().year, "reason": "", "studio": ""}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("studio", "level", "year", "reason")}
        studio_id = data["studio"]
        try:
            if not (studio_id.isascii() and studio_id.isdigit() and 0 < int(studio_id) < 2**63):
                raise ValidationError({"studio": "请选择工作室。"})
            rec = services.create_recommendation(
                by=request.user, studio=int(studio_id), level=data["level"], year=data["year"], reason=data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, f"已建立{rec}（草稿），请核对条件后推荐上报。")
            return redirect("recommendations:detail", rec.pk)
    return render(
        request,
        "recommendations/new.html",
        {"data": data, "studios": _studio_choices(), "levels": TargetLevel.choices},
    )


def _rec(request, pk, action="view"):
    return get_object_for_user(
        request,
        Recommendation.objects.select_related("studio__department", "studio__master", "created_by"),
        pk,
        action=action,
    )


def _lines_for(rec):
    if rec.status == RecommendationStatus.DRAFT:
        return check_studio(rec.studio_id, rec.level), False
    return (rec.snapshot or {}).get("lines", []), True


@login_required
def recommendation_detail(request, pk):
    rec = _rec(request, pk)
    user = request.user
    lines, frozen = _lines_for(rec)
    writer = is_organiser(user)
    context = {
        "rec": rec,
        "studio": rec.studio,
        "lines": lines,
        "frozen": frozen,
        "counts": tally(lines) if lines else None,
        "verdicts": Verdict,
        "can_change": writer and can(user, "change", rec),
        "can_submit": writer and can(user, "submit", rec),
        "can_withdraw": writer and can(user, "withdraw", rec),
        "can_outcome": writer and can(user, "outcome", rec),
        "levels": TargetLevel.choices,
        "today": dt.date.today(),
        "history": [
            {"at": h.at, "by": h.by, "note": h.note, "from_label": h.from_label, "to_label": h.to_label}
            for h in history_for(rec)
        ],
    }
    return render(request, "recommendations/detail.html", context)


@login_required
@require_POST
def recommendation_edit(request, pk):
    rec = _rec(request, pk, "change")
    back = reverse("recommendations:detail", args=[pk])
    post = request.POST
    return run_service(
        request,
        lambda: services.update_draft(
            rec, by=request.user, level=post.get("level", ""), year=post.get("year", ""), reason=post.get("reason", "")
        ),
        "已保存推荐申报。",
        back,
    )


@login_required
@require_POST
def recommendation_submit(request, pk):
    rec = _rec(request, pk, "submit")
    back = reverse("recommendations:detail", args=[pk])
    confirmations = {
        key.removeprefix("confirm_"): value for key, value in request.POST.items() if key.startswith("confirm_")
    }
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title="推荐上报",
            question=f"确定将{rec.studio.official_name}的{rec}推荐上报吗？上报时的核验结果将被固定，之后不能修改。",
            cancel_url=back,
        )
    return run_service(
        request,
        lambda: services.submit(
            rec, by=request.user, confirmations=confirmations, explanation=request.POST.get("explanation", "")
        ),
        "已推荐上报，核验结果已固定。",
        back,
    )


@login_required
@require_POST
def recommendation_withdraw(request, pk):
    rec = _rec(request, pk, "withdraw")
    back = reverse("recommendations:detail", args=[pk])
    if not is_confirmed(request):
        return confirmation_page(
            request, title="撤回推荐申报", question=f"确定撤回{rec.studio.official_name}的{rec}吗？", cancel_url=back,
            details=[("撤回理由", request.POST.get("reason", ""))],
        )  # fmt: skip
    return run_service(
        request,
        lambda: services.withdraw(rec, by=request.user, reason=request.POST.get("reason", "")),
        "已撤回推荐申报。",
        back,
    )


def _date(value):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def recommendation_outcome(request, pk):
    rec = _rec(request, pk, "outcome")
    back = reverse("recommendations:detail", args=[pk])
    post = request.POST
    approved = post.get("result") == "approved"
    if post.get("result") not in ("approved", "not_approved"):
        messages.error(request, "请选择评审结果（获批或未获批）。")
        return redirect(back)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title="登记推荐结果",
            question=f"确定登记{rec.studio.official_name}的{rec}{'已获批' if approved else '未获批'}吗？登记后不能修改。",
            cancel_url=back,
        )
    return run_service(
        request,
        lambda: services.record_outcome(
            rec,
            by=request.user,
            approved=approved,
            level=post.get("outcome_level", "") or None,
            year=post.get("outcome_year", ""),
            document=post.get("outcome_document", ""),
            on=_date(post.get("outcome_on")),
            note=post.get("note", ""),
        ),
        "已登记推荐结果。",
        back,
    )


@login_required
def recommendation_dossier(request, pk, fmt):
    if fmt not in ("pdf", "docx"):
        raise Http404
    rec = _rec(request, pk, "download")
    if fmt == "pdf":
        data, name, content_type = documents.dossier_pdf(rec)
    else:
        data, name, content_type = documents.dossier_docx(rec)
    return serve_bytes(data, name, content_type)


@login_required
def studio_rows(request, studio_pk):
    """The studio page's panel rows (htmx fragment; a page of its own without JavaScript)."""
    studio = get_object_for_user(request, Studio.objects.only("pk", "official_name"), studio_pk)
    context = {"studio": studio, "recommendations": panels.rows_for(studio.pk, request.user)}
    template = (
        "recommendations/panel_rows.html" if request.headers.get("HX-Request") else "recommendations/studio_rows.html"
    )
    return render(request, template, context)


@login_required
def requirements(request):
    _deny_unless_reader(request)
    groups = catalogue()
    rows = [
        {
            "level": TargetLevel(level).label,
            "items": [
                {"label": r.label, "checker": CHECKS[r.checker].label if r.checker in CHECKS else "—"} for r in items
            ],
        }
        for level, items in sorted(groups.items(), key=lambda kv: TargetLevel.values.index(kv[0]))
    ]
    return render(request, "recommendations/requirements.html", {"groups": rows})
