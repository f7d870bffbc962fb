"""REST API of 年度考核, mounted at /api/v1/evaluation/: rounds (list, detail, create, start, recompute, submit,
meeting, confirm, return), scorecards (list per round, detail with lines), adjustments, the 弄虚作假 veto, evaluator
assignment and the committee's grade per scorecard. Writes go through evaluation.services: the permissions, the
workflow (409 with a Chinese message), the conflict rule and the audit are those of the pages."""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts.models import User
from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, IdList, model_text, text
from core.pagination import BoundedPagination

from . import services, votes
from .models import Adjustment, EvaluationMeeting, EvaluationRound, EvaluationVote, Scorecard

router = Router(tags=["evaluation"])
PREFIX = "evaluation"

Year = Annotated[int, Field(ge=2000, le=2100)]


class RoundOut(Schema):
    id: int
    year: int
    title: str
    status: str
    status_label: str
    due_on: dt.date
    scorecards: int


class RoundIn(Schema):
    year: Year
    due_on: dt.date
    title: model_text(EvaluationRound, "title") = ""


class ScorecardOut(Schema):
    id: int
    round_id: int
    studio_id: int
    studio: str
    total: str | None
    suggested_grade: str
    proposed_grade: str
    confirmed_grade: str
    vetoes: list[str]
    grade_note: str
    frozen: bool


class ScorecardDetail(ScorecardOut):
    lines: list[dict]
    grade_reason: str


class AdjustIn(Schema):
    indicator_key: Code
    score: text(12, min_length=1)
    basis: model_text(Adjustment, "basis", min_length=1)


class ReasonIn(Schema):
    reason: model_text(Scorecard, "falsified_reason", min_length=1)


class NoteIn(Schema):
    note: text(1000) = ""


class AssignIn(Schema):
    evaluator_id: Id


class GradeIn(Schema):
    grade: Code
    reason: model_text(Scorecard, "grade_reason") = ""


class MeetingIn(Schema):
    held_on: dt.date
    members: IdList
    minutes: model_text(EvaluationMeeting, "minutes") = ""


class VoteIn(Schema):
    decision: Code
    reason: model_text(EvaluationVote, "reason") = ""


class VoteOut(Schema):
    member_id: int
    member: str
    decision: str
    decision_label: str
    reason: str
    cast_at: dt.datetime


class TallyOut(Schema):
    meeting_id: int | None
    held_on: dt.date | None
    committee: int
    quorum: int
    present: int
    hidden: bool
    current: bool
    agree: int | None
    disagree: int | None
    passed: bool | None
    summary: str
    votes: list[VoteOut]


def _tally_out(round_, user):
    meeting = votes.latest_meeting(round_.pk)
    if meeting is None:
        return TallyOut(
            meeting_id=None, held_on=None, committee=0, quorum=0, present=0, hidden=False, current=False, agree=None,
            disagree=None, passed=None, summary="尚未登记认定会议。", votes=[],
        )  # fmt: skip
    t = votes.viewer_tally(meeting, round_, user)
    return TallyOut(
        meeting_id=meeting.pk, held_on=meeting.held_on, committee=t.committee, quorum=t.quorum, present=t.present,
        hidden=t.hidden, current=t.current, agree=None if t.hidden else t.agree,
        disagree=None if t.hidden else t.disagree, passed=None if t.hidden else t.refusal is None, summary=t.label,
        votes=[
            VoteOut(member_id=v.member_id, member=v.member.display_name, decision=v.decision,
                    decision_label=v.get_decision_display(), reason=v.reason, cast_at=v.cast_at)
            for v in t.votes
        ],
    )  # fmt: skip


def _round_out(r):
    return RoundOut(
        id=r.pk, year=r.year, title=r.title, status=r.status, status_label=r.get_status_display(), due_on=r.due_on,
        scorecards=r.scorecards.count(),
    )  # fmt: skip


def _card_out(c, detail=False):
    data = {
        "id": c.pk, "round_id": c.round_id, "studio_id": c.studio_id, "studio": c.studio.official_name,
        "total": None if c.total is None else f"{c.total:.2f}", "suggested_grade": c.suggested_grade,
        "proposed_grade": c.proposed_grade, "confirmed_grade": c.confirmed_grade, "vetoes": list(c.vetoes or []),
        "grade_note": c.grade_note, "frozen": c.frozen_at is not None,
    }  # fmt: skip
    if detail:
        return ScorecardDetail(
            **data, lines=(c.snapshot.get("lines") if c.frozen_at else c.lines) or [], grade_reason=c.grade_reason
        )
    return ScorecardOut(**data)


def _round(request, pk, action="view"):
    return get_object_for_user(request, EvaluationRound, pk, action=action)


def _card(request, pk, action="view"):
    return get_object_for_user(request, Scorecard.objects.select_related("round", "studio"), pk, action=action)


@router.get("/rounds/", url_name="evaluation_round_list", response=list[RoundOut], summary="年度考核列表")
def list_rounds(request):
    return [_round_out(r) for r in visible_to(request.auth, EvaluationRound).order_by("-year")[:50]]


@router.post("/rounds/", url_name="evaluation_round_create", response={201: RoundOut}, summary="建立年度考核（发改室）")
def create_round(request, payload: RoundIn):
    round_ = services.create_round(by=request.auth, year=payload.year, due_on=payload.due_on, title=payload.title)
    return Status(201, _round_out(round_))


@router.get("/rounds/{int:pk}", url_name="evaluation_round_get", response=RoundOut, summary="年度考核详情")
def get_round(request, pk: Id):
    return _round_out(_round(request, pk))


@router.post("/rounds/{int:pk}/start", url_name="evaluation_round_start", response=RoundOut, summary="开始评分")
def start_round(request, pk: Id):
    return _round_out(services.start_round(_round(request, pk, "start"), by=request.auth))


@router.post("/rounds/{int:pk}/recompute", url_name="evaluation_round_recompute", response=RoundOut,
             summary="按最新建设记录重新计算")  # fmt: skip
def recompute(request, pk: Id):
    round_ = _round(request, pk, "recompute")
    services.recompute(round_, by=request.auth)
    return _round_out(EvaluationRound.objects.get(pk=pk))


@router.post("/rounds/{int:pk}/assign", url_name="evaluation_round_assign", response=dict,
             summary="指派评分人到所有无须回避的工作室")  # fmt: skip
def assign_round(request, pk: Id, payload: AssignIn):
    evaluator = get_object_or_404(User, pk=payload.evaluator_id, is_active=True)
    assigned, skipped = services.assign_to_round(_round(request, pk, "assign"), by=request.auth, evaluator=evaluator)
    return {"assigned": len(assigned), "skipped": skipped}


@router.post("/rounds/{int:pk}/submit", url_name="evaluation_round_submit", response=RoundOut,
             summary="提交拟定等级（发改室）")  # fmt: skip
def submit_round(request, pk: Id, payload: NoteIn):
    return _round_out(services.submit_round(_round(request, pk, "submit"), by=request.auth, note=payload.note))


@router.post("/rounds/{int:pk}/meeting", url_name="evaluation_round_meeting", response={201: dict},
             summary="登记学术委员会认定会议")  # fmt: skip
def record_meeting(request, pk: Id, payload: MeetingIn):
    meeting = services.record_meeting(
        _round(request, pk, "meeting"), by=request.auth, held_on=payload.held_on, members=payload.members,
        minutes=payload.minutes,
    )  # fmt: skip
    return Status(201, {"id": meeting.pk, "present": len(payload.members), "committee": meeting.committee_size})


@router.get("/rounds/{int:pk}/votes", url_name="evaluation_round_votes", response=TallyOut,
            summary="认定会议的表决情况（委员表决前不显示票数）")  # fmt: skip
def round_votes(request, pk: Id):
    return _tally_out(_round(request, pk), request.auth)


@router.post("/rounds/{int:pk}/vote", url_name="evaluation_round_vote", response={201: TallyOut},
             summary="学术委员会委员对拟定等级表决（同意/不同意，不同意须写理由；不能更改）")  # fmt: skip
def cast_vote(request, pk: Id, payload: VoteIn):
    round_ = _round(request, pk, "vote")
    services.cast_vote(round_, by=request.auth, decision=payload.decision, reason=payload.reason)
    return Status(201, _tally_out(round_, request.auth))


@router.post("/rounds/{int:pk}/confirm", url_name="evaluation_round_confirm", response=RoundOut,
             summary="学术委员会认定考核结果（冻结评分表，撤销不合格，标记优秀）")  # fmt: skip
def confirm_round(request, pk: Id, payload: NoteIn):
    return _round_out(services.confirm_round(_round(request, pk, "confirm"), by=request.auth, note=payload.note))


@router.post("/rounds/{int:pk}/return", url_name="evaluation_round_return", response=RoundOut,
             summary="学术委员会退回发改室（须写理由）")  # fmt: skip
def return_round(request, pk: Id, payload: NoteIn):
    return _round_out(services.return_round(_round(request, pk, "return"), by=request.auth, reason=payload.note))


@router.get("/rounds/{int:pk}/scorecards/", url_name="evaluation_scorecard_list", response=list[ScorecardOut],
            summary="考核评分表列表（总分与等级）")  # fmt: skip
@paginate(BoundedPagination)
def list_scorecards(request, pk: Id):
    round_ = _round(request, pk)
    rows = visible_to(request.auth, Scorecard).filter(round=round_).select_related("studio").order_by("-total", "pk")
    return _Mapped(rows, _card_out)


class _Mapped:
    def __init__(self, rows, fn):
        self.rows, self.fn = rows, fn

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, item):
        return [self.fn(r) for r in self.rows[item]]


@router.get("/scorecards/{int:pk}", url_name="evaluation_scorecard_get", response=ScorecardDetail,
            summary="考核评分表（逐项）")  # fmt: skip
def get_scorecard(request, pk: Id):
    return _card_out(_card(request, pk), detail=True)


@router.post("/scorecards/{int:pk}/adjust", url_name="evaluation_scorecard_adjust", response=ScorecardDetail,
             summary="调整某项指标得分（须写评分依据）")  # fmt: skip
def adjust(request, pk: Id, payload: AdjustIn):
    card = _card(request, pk)
    services.adjust(card, by=request.auth, indicator_key=payload.indicator_key, score=payload.score,
                    basis=payload.basis)  # fmt: skip
    return _card_out(_card(request, pk), detail=True)


@router.post("/scorecards/{int:pk}/veto", url_name="evaluation_scorecard_veto", response=ScorecardDetail,
             summary="记录弄虚作假一票否决（发改室）")  # fmt: skip
def veto(request, pk: Id, payload: ReasonIn):
    services.record_falsification(_card(request, pk, "veto"), by=request.auth, reason=payload.reason)
    return _card_out(_card(request, pk), detail=True)


@router.post("/scorecards/{int:pk}/assign", url_name="evaluation_scorecard_assign", response=ScorecardDetail,
             summary="指派评分人（回避规则）")  # fmt: skip
def assign(request, pk: Id, payload: AssignIn):
    evaluator = get_object_or_404(User, pk=payload.evaluator_id, is_active=True)
    services.assign_evaluator(_card(request, pk, "assign"), by=request.auth, evaluator=evaluator)
    return _card_out(_card(request, pk), detail=True)


@router.post("/scorecards/{int:pk}/grade", url_name="evaluation_scorecard_grade", response=ScorecardDetail,
             summary="学术委员会认定等级（与拟定等级不同须写理由）")  # fmt: skip
def grade(request, pk: Id, payload: GradeIn):
    services.decide_grade(_card(request, pk), by=request.auth, grade=payload.grade, reason=payload.reason)
    return _card_out(_card(request, pk), detail=True)
