"""年度考核 pages: rounds (list, new), a round (its scorecards with totals and grades, one page of ≤ 12 statements
for 3 or 2,000 studios; the actions of 发改室 and the committee), a scorecard (line by line, adjustments, veto,
evaluators, the committee's grade), the click-through to the records behind an actual, the result notice (PDF) and
the round's results (xlsx). Views parse, check permission, call one service and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import can, get_object_for_user, visible_to
from core.confirm import confirmation_page
from core.forms import refusal_text, run_service
from core.lists import ChoiceFilter, Column, ListFilterSet, ListPage, SearchFilter
from core.pagination import CappedPaginator
from core.uploads import serve_bytes
from core.workflow import history_for
from plans.indicators import REGISTRY

from . import documents, services, votes
from .enums import Grade, RoundStatus, Veto
from .forms import (
    AdjustForm,
    AssignForm,
    GradeForm,
    MeetingForm,
    RoundForm,
    VetoForm,
    VoteForm,
    decide_form,
    submit_form,
)
from .models import Adjustment, EvaluationRound, EvaluationVote, Scorecard
from .permissions import is_committee, is_organiser, sees_all

PAGE_SIZE = 50


def _form_errors(form):
    return "；".join(e for es in form.errors.values() for e in es)


# --- rounds -------------------------------------------------------------------------------------------------------


def _year_choices():
    this = timezone.localdate().year
    return [(str(y), f"{y} 年度") for y in range(this, this - 10, -1)]


def _scorecards_count():
    count = Scorecard.objects.filter(round_id=OuterRef("pk")).order_by().values("round_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(count.values("n")[:1]), 0)


class RoundFilter(ListFilterSet):
    q = SearchFilter("title", label="名称")
    year = ChoiceFilter(choices=_year_choices, empty_label="全部年度", label="考核年度")
    status = ChoiceFilter(choices=RoundStatus.choices, empty_label="全部状态", label="状态")


class RoundListPage(ListPage):
    """年度考核: the visible rounds (evaluation.permissions.RoundPolicy), filtered by year and status; 导出 Excel."""

    template_name = "evaluation/rounds.html"
    filterset_class = RoundFilter
    list_url_name = "evaluation:rounds"
    export_title = "年度考核"
    default_sort = "-year"
    columns = (
        Column("year", "考核年度", ("year",), "year"),
        Column("title", "名称", ("title",), "title"),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("due", "评分截止", ("due_on",), "due_on"),
        Column("studios", "参加工作室", (), "studios"),
        Column("confirmed", "认定时间", ("confirmed_at",), "confirmed_at"),
    )

    def get_queryset(self):
        rows = visible_to(self.request.user, EvaluationRound)
        # the visibility filter may join (and DISTINCT): the count is a subquery, never a join that multiplies it
        return rows.annotate(studios=_scorecards_count())

    def extra_context(self):
        # own ids: the filter row above has a 考核年度 (id_year) too, and a <label for> must name this form's box
        return {"can_create": is_organiser(self.request.user), "form": RoundForm(auto_id="round_%s")}


rounds = RoundListPage.as_view()
rounds_export = RoundListPage.as_view(export=True)


@login_required
@require_POST
def round_create(request):
    if not is_organiser(request.user):
        raise PermissionDenied("只有发展改革研究室可以建立年度考核。")
    form = RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("evaluation:rounds")
    try:
        round_ = services.create_round(by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("evaluation:rounds")
    messages.success(request, f"已建立{round_}，共 {round_.scorecards.count()} 个工作室参加。")
    return redirect("evaluation:round", round_.pk)


def _round(request, pk, action="view"):
    return get_object_for_user(request, EvaluationRound.objects.select_related("created_by"), pk, action=action)


@login_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    user = request.user
    rows = Scorecard.objects.filter(round=round_).select_related("studio__department", "studio__master")
    grade = request.GET.get("grade", "")
    if grade in Grade.values:
        rows = rows.filter(
            Q(confirmed_grade=grade) if round_.status == RoundStatus.CONFIRMED else Q(suggested_grade=grade)
        )
    if not can(user, "manage", round_) and not is_committee(user) and not sees_all(user):
        rows = visible_to(user, Scorecard).filter(round=round_).select_related("studio__department", "studio__master")
    page = CappedPaginator(rows.order_by("-total", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    organiser = is_organiser(user) and round_.is_open
    committee = is_committee(user) and round_.status == RoundStatus.SUBMITTED
    context = {
        "round": round_,
        "page": page,
        "grades": Grade.choices,
        "grade": grade,
        "organiser": organiser,
        "committee": committee,
        "history": [
            {
                "at": h.at,
                "by": h.by,
                "note": h.note,
                "from_label": RoundStatus(h.from_state).label,
                "to_label": RoundStatus(h.to_state).label,
            }
            for h in history_for(round_)
        ],  # fmt: skip
        "submit_form": submit_form() if organiser and round_.status == RoundStatus.EVALUATING else None,
        "decide_form": decide_form() if committee else None,
        "assign_form": AssignForm() if organiser else None,
    }
    if committee:
        members = list(User.objects.filter(role_assignments__role=Role.COMMITTEE, is_active=True).distinct())
        context["meeting_form"] = MeetingForm(committee=members)
    if round_.status in (RoundStatus.SUBMITTED, RoundStatus.CONFIRMED):
        context.update(_meeting_context(round_, user, committee))
    return render(request, "evaluation/round.html", context)


def _meeting_context(round_, user, committee):
    """The latest meeting, its members present, the tally (hidden per votes.tally_hidden) and the vote form."""
    meeting = votes.latest_meeting(round_.pk)
    if meeting is None:
        return {"meeting": None}
    present = list(meeting.members_present.order_by("pk"))
    result = votes.viewer_tally(meeting, round_, user)
    may_vote = (
        committee
        and result.current
        and any(m.pk == user.pk for m in present)
        and not EvaluationVote.objects.filter(meeting=meeting, member_id=user.pk).exists()
    )
    return {
        "meeting": meeting,
        "present": present,
        "tally": result,
        "vote_form": VoteForm(auto_id="vote_%s") if may_vote else None,
    }


@login_required
@require_POST
def round_start(request, pk):
    round_ = _round(request, pk, "start")
    return run_service(request, lambda: services.start_round(round_, by=request.user), "已开始评分，评分表已计算。",
                reverse("evaluation:round", args=[pk]))  # fmt: skip


@login_required
@require_POST
def round_recompute(request, pk):
    round_ = _round(request, pk, "recompute")
    return run_service(request, lambda: services.recompute(round_, by=request.user), "已按最新的建设记录重新计算。",
                reverse("evaluation:round", args=[pk]))  # fmt: skip


@login_required
@require_POST
def round_assign(request, pk):
    round_ = _round(request, pk, "assign")
    form = AssignForm(request.POST)
    back = reverse("evaluation:round", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    evaluator = User.objects.filter(username=form.cleaned_data["evaluator"], is_active=True).first()
    if evaluator is None:
        messages.error(request, "没有该工号的在职用户。")
        return redirect(back)
    try:
        assigned, skipped = services.assign_to_round(round_, by=request.user, evaluator=evaluator)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect(back)
    text = f"已将{evaluator.display_name}指派为 {len(assigned)} 个工作室的评分人。"
    if skipped:
        text += f"因回避规则未指派：{'、'.join(skipped[:10])}{'等' if len(skipped) > 10 else ''}。"
    messages.success(request, text)
    return redirect(back)


@login_required
@require_POST
def round_submit(request, pk):
    round_ = _round(request, pk, "submit")
    back = reverse("evaluation:round", args=[pk])
    form = submit_form(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    if form.needs_confirmation():
        return confirmation_page(
            request, title="提交学术委员会认定", question=f"确定将{round_}的拟定等级提交学术委员会认定吗？提交后不能再调整评分。",
            cancel_url=back,
        )  # fmt: skip
    return run_service(request, lambda: services.submit_round(round_, by=request.user, note=form.cleaned_data["note"]),
                "已提交学术委员会认定。", back)  # fmt: skip


@login_required
@require_POST
def round_meeting(request, pk):
    round_ = _round(request, pk, "meeting")
    back = reverse("evaluation:round", args=[pk])
    members = list(User.objects.filter(role_assignments__role=Role.COMMITTEE, is_active=True).distinct())
    form = MeetingForm(request.POST, committee=members)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.record_meeting(
            round_, by=request.user, held_on=data["held_on"], members=[int(m) for m in data["members"]],
            minutes=data["minutes"],
        ),
        "已登记认定会议。",
        back,
    )  # fmt: skip


@login_required
@require_POST
def round_vote(request, pk):
    round_ = _round(request, pk, "vote")
    back = reverse("evaluation:round", args=[pk])
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    return run_service(request, lambda: services.cast_vote(round_, by=request.user, decision=data["decision"],
                                                    reason=data["reason"]),
                "已表决。表决一经投出不能更改。", back)  # fmt: skip


@login_required
@require_POST
def round_decide(request, pk):
    round_ = _round(request, pk, "confirm")
    back = reverse("evaluation:round", args=[pk])
    form = decide_form(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    note = form.cleaned_data["note"]
    if form.cleaned_data["target"] == RoundStatus.EVALUATING:
        return run_service(
            request, lambda: services.return_round(round_, by=request.user, reason=note), "已退回发改室。", back
        )
    if form.needs_confirmation():
        return confirmation_page(
            request, title="认定考核结果",
            question=f"确定认定{round_}的考核结果吗？认定后评分表冻结，不合格的工作室将被撤销，不能撤回。",
            cancel_url=back,
        )  # fmt: skip
    return run_service(request, lambda: services.confirm_round(round_, by=request.user, note=note),
                "已认定考核结果：评分表已冻结，不合格的工作室已撤销，优秀的工作室已标记重点扶持。", back)  # fmt: skip


@login_required
def round_results(request, pk):
    round_ = _round(request, pk, "download")
    if round_.status != RoundStatus.CONFIRMED:
        raise PermissionDenied("考核结果经学术委员会认定后才能导出。")
    data, name, content_type = documents.results_xlsx(round_)
    return serve_bytes(data, name, content_type)


class MyScorecardFilter(ListFilterSet):
    q = SearchFilter("studio__official_name", "studio__master__display_name", label="工作室或技能大师")
    year = ChoiceFilter(field_name="round__year", choices=_year_choices, empty_label="全部年度", label="考核年度")
    status = ChoiceFilter(field_name="round__status", choices=RoundStatus.choices, empty_label="全部状态",
                          label="考核状态")  # fmt: skip


class MyScorecardListPage(ListPage):
    """我的考核评分: the scorecards assigned to the user as evaluator, filtered by year and round status; 导出 Excel."""

    template_name = "evaluation/my_scorecards.html"
    filterset_class = MyScorecardFilter
    list_url_name = "evaluation:my_scorecards"
    export_title = "我的考核评分"
    default_sort = "-year"
    columns = (
        Column("year", "考核年度", ("round__year",), "round.year"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("department", "系部", ("studio__department__name",), "studio.department.name"),
        Column("status", "考核状态", ("round__status",), "round.get_status_display"),
        Column("total", "总分", ("total",), "total"),
        Column("suggested", "建议等级", ("suggested_grade",), "get_suggested_grade_display"),
    )

    def get_queryset(self):
        # one assignment per (scorecard, evaluator): the join never repeats a scorecard
        return Scorecard.objects.filter(assignments__evaluator_id=self.request.user.pk).select_related(
            "round", "studio__department"
        )


my_scorecards = MyScorecardListPage.as_view()
my_scorecards_export = MyScorecardListPage.as_view(export=True)


# --- scorecards ---------------------------------------------------------------------------------------------------


def _scorecard(request, pk, action="view"):
    return get_object_for_user(
        request, Scorecard.objects.select_related("round", "studio__department", "studio__master"), pk, action=action
    )


@login_required
def scorecard(request, pk):
    card = _scorecard(request, pk)
    user = request.user
    round_ = card.round
    lines = card.snapshot.get("lines") if card.frozen_at else card.lines
    adjustments = list(Adjustment.objects.filter(scorecard=card).select_related("by").order_by("-at", "-pk")[:50])
    context = {
        "card": card,
        "round": round_,
        "lines": lines or [],
        "vetoes": [Veto(v).label for v in (card.vetoes or [])],
        "adjustments": adjustments,
        "evaluators": list(card.assignments.select_related("evaluator")),
        "can_adjust": can(user, "adjust", card),
        "can_veto": can(user, "veto", card),
        "can_assign": can(user, "assign", card),
        "can_grade": is_committee(user) and round_.status == RoundStatus.SUBMITTED,
        "can_notice": card.frozen_at is not None,
        "adjust_form": AdjustForm(),
        "veto_form": VetoForm(),
        "assign_form": AssignForm(),
        "grade_form": GradeForm(initial={"grade": card.confirmed_grade or card.proposed_grade}),
        "grade_labels": dict(Grade.choices),
    }
    return render(request, "evaluation/scorecard.html", context)


@login_required
@require_POST
def scorecard_adjust(request, pk):
    card = _scorecard(request, pk, "adjust")
    form = AdjustForm(request.POST)
    back = reverse("evaluation:scorecard", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.adjust(card, by=request.user, indicator_key=data["indicator_key"], score=data["score"],
                                basis=data["basis"]),
        "已调整评分（原计算得分仍保留显示）。",
        back,
    )  # fmt: skip


@login_required
@require_POST
def scorecard_veto(request, pk):
    card = _scorecard(request, pk, "veto")
    form = VetoForm(request.POST)
    back = reverse("evaluation:scorecard", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    return run_service(request, lambda: services.record_falsification(card, by=request.user, reason=form.cleaned_data["reason"]),
                "已记录弄虚作假否决，该工作室建议等级为不合格。", back)  # fmt: skip


@login_required
@require_POST
def scorecard_assign(request, pk):
    card = _scorecard(request, pk, "assign")
    form = AssignForm(request.POST)
    back = reverse("evaluation:scorecard", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    evaluator = User.objects.filter(username=form.cleaned_data["evaluator"], is_active=True).first()
    if evaluator is None:
        messages.error(request, "没有该工号的在职用户。")
        return redirect(back)
    return run_service(request, lambda: services.assign_evaluator(card, by=request.user, evaluator=evaluator),
                f"已指派{evaluator.display_name}为评分人。", back)  # fmt: skip


@login_required
@require_POST
def scorecard_grade(request, pk):
    card = _scorecard(request, pk)
    if not (is_committee(request.user) and card.round.status == RoundStatus.SUBMITTED):
        raise PermissionDenied("只有学术委员会委员可以在待认定阶段认定等级。")
    form = GradeForm(request.POST)
    back = reverse("evaluation:scorecard", args=[pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    data = form.cleaned_data
    return run_service(request, lambda: services.decide_grade(card, by=request.user, grade=data["grade"], reason=data["reason"]),
                "已记录认定等级，认定考核结果时生效。", back)  # fmt: skip


@login_required
def scorecard_records(request, pk, key):
    """The records behind one line's actual: the frozen evidence ids of a confirmed scorecard, else the live query."""
    card = _scorecard(request, pk)
    comp = REGISTRY.get(key)
    if comp is None:
        raise Http404
    if card.frozen_at:
        ids = (card.snapshot.get("evidence") or {}).get(key, [])
        model = comp.model
        rows = model.objects.filter(pk__in=ids).order_by("-date", "pk") if model is not None and ids else None
        frozen = True
    else:
        rows = comp.records(card.studio_id, card.round.year)
        rows = rows.order_by("-pk") if rows is not None else None
        frozen = False
    records = list(rows[:200]) if rows is not None else None
    line = next((li for li in ((card.snapshot.get("lines") if frozen else card.lines) or []) if li["key"] == key), None)
    return render(
        request,
        "evaluation/records.html",
        {"card": card, "line": line, "records": records, "frozen": frozen, "label": comp.label},
    )


@login_required
def scorecard_notice(request, pk):
    card = _scorecard(request, pk, "download")
    if not card.frozen_at:
        raise PermissionDenied("考核结果经学术委员会认定后才有结果通知。")
    data, name, content_type = documents.result_notice_pdf(card)
    return serve_bytes(data, name, content_type)
