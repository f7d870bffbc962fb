"""REST API of the application process, mounted at /api/v1/applications/ (config/api.py).

Every write calls the same service/workflow function as the screens: same role, scope, conflict and window checks,
same audit events. Refusals: 409 (WorkflowError, with "code"), 422 (bad input), 403/404 (access).
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import can, get_object_for_user, has_role, may_write_as, visible_to
from core.apitypes import Code, Id, IdList, model_text
from core.models import StatusChange
from core.pagination import BoundedPagination
from core.workflow import history_for

from . import eligibility, services
from .enums import ApplicationStatus
from .models import Application, CommitteeMeeting, Objection, Publicity, ReviewAssignment, Revote
from .queries import with_identity_flag

router = Router(tags=["applications"])


class ApplicationOut(Schema):
    id: int
    call_id: int
    studio_name: str
    occupation: str
    mode: str
    status: str
    status_label: str
    applicant_id: int | None
    applicant_name: str | None
    department_id: int
    version: int
    submitted_at: datetime | None
    document_number: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    # Blind review: null for a user who may not learn the applicant (can(user, "see_identity", app)); lists carry the
    # rule as the annotation `identity_hidden` (queries.with_identity_flag), one object asks the policy.
    @staticmethod
    def resolve_applicant_id(obj, context):
        return None if _identity_hidden(obj, context) else obj.applicant_id

    @staticmethod
    def resolve_applicant_name(obj, context):
        return None if _identity_hidden(obj, context) else obj.applicant.display_name


def _identity_hidden(obj, context):
    if getattr(obj, "identity_hidden", None) is None:
        obj.identity_hidden = not can(context["request"].auth, "see_identity", obj)
    return obj.identity_hidden


class TransitionIn(Schema):
    target: Code
    note: model_text(StatusChange, "note") = ""
    # 推荐 only: the department head's judgement of R7 (专业相关性) and R8 (政治素质、师德): "pass" / "fail" (required)
    r7_judgement: Code = ""
    r7_note: model_text(Application, "dept_r7_note") = ""
    r8_judgement: Code = ""
    r8_note: model_text(Application, "dept_r8_note") = ""


class HistoryOut(Schema):
    from_state: str
    to_state: str
    by_id: int | None  # null: the applicant's own move, for a blind reviewer
    note: str
    at: datetime


class CheckOut(Schema):
    code: str
    title: str
    verdict: str
    message: str


class AssignIn(Schema):
    expert_ids: IdList


class AssignmentOut(Schema):
    id: int
    application_id: int
    expert_id: int
    status: str
    total: Decimal | None
    recommendation: str
    comment: str


class ReviewIn(Schema):
    scores: dict[Code, Decimal]
    comment: model_text(ReviewAssignment, "comment")
    recommendation: Code


class RecuseIn(Schema):
    reason: model_text(ReviewAssignment, "recusal_reason")


class VoteIn(Schema):
    application_id: Id
    choice: Code


class VoteOut(Schema):
    id: int
    meeting_id: int
    application_id: int
    member_id: int
    choice: str


class PublicityOut(Schema):
    id: int
    call_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    days: int
    working_days: bool
    calendar_warning: str


class PublishIn(Schema):
    call_id: Id
    application_ids: IdList
    starts_at: datetime
    title: model_text(Publicity, "title") = ""
    body: model_text(Publicity, "body") = ""
    acknowledge_warning: bool = False
    backdate_reason: model_text(Publicity, "backdate_reason") = ""


class ObjectionIn(Schema):
    application_id: Id
    content: model_text(Objection, "content")


class ObjectionOut(Schema):
    id: int
    publicity_id: int
    application_id: int
    raised_by_id: int
    content: str
    status: str
    findings: str
    outcome: str


class ResolveIn(Schema):
    upheld: bool
    findings: model_text(Objection, "findings")
    outcome: Code = ""


class ApproveIn(Schema):
    document_number: model_text(Application, "document_number")
    approved_on: date


class StudioOut(Schema):
    id: int
    official_name: str
    plaque_name: str
    status: str
    document_number: str
    approved_on: date


def _app(request, pk, action="view"):
    return get_object_for_user(request, Application.objects.select_related("applicant", "call"), pk, action=action)


@router.get("/", response=list[ApplicationOut], summary="申报列表（仅本人可见范围）")
@paginate(BoundedPagination)
def list_applications(request, status: Code = "", call_id: int | None = Query(None, ge=1, le=2**31 - 1)):
    apps = with_identity_flag(request.auth, visible_to(request.auth, Application).select_related("applicant"))
    apps = apps.order_by("-id")
    if status:
        apps = apps.filter(status=status)
    if call_id:
        apps = apps.filter(call_id=call_id)
    return apps


@router.get("/{int:pk}", response=ApplicationOut, summary="申报详情")
def get_application(request, pk: int):
    return _app(request, pk)


@router.get("/{int:pk}/history", response=list[HistoryOut], summary="办理记录")
def get_history(request, pk: int):
    app = _app(request, pk)
    if can(request.auth, "see_identity", app):
        return list(history_for(app))
    return [
        {
            "from_state": h.from_state,
            "to_state": h.to_state,
            "by_id": None if h.by_id == app.applicant_id else h.by_id,
            "note": "" if h.by_id == app.applicant_id else h.note,
            "at": h.at,
        }
        for h in history_for(app)
    ]


@router.get("/{int:pk}/precheck", response=list[CheckOut], summary="资格与组成预审")
def get_precheck(request, pk: int):
    app = _app(request, pk)
    if not can(request.auth, "see_identity", app):
        raise PermissionDenied("匿名评审期间，评审专家不能查看申报人的资格预审（含个人信息）。")
    return eligibility.precheck(app)


@router.post("/{int:pk}/transitions", response=ApplicationOut, summary="办理（状态变更）")
def post_transition(request, pk: int, payload: TransitionIn):
    app = _app(request, pk, action="transition")
    if payload.target not in ApplicationStatus.values:
        from django.core.exceptions import ValidationError

        raise ValidationError("目标状态无效。")
    judgements = {
        "r7": payload.r7_judgement,
        "r7_note": payload.r7_note,
        "r8": payload.r8_judgement,
        "r8_note": payload.r8_note,
    }
    services.move_application(app, payload.target, by=request.auth, note=payload.note, judgements=judgements)
    return _app(request, pk)


@router.post("/{int:pk}/assignments", response=list[AssignmentOut], summary="指派评审专家")
def post_assignments(request, pk: int, payload: AssignIn):
    app = _app(request, pk)
    experts = list(User.objects.filter(pk__in=payload.expert_ids))
    return services.assign_experts([app], experts, by=request.auth)


@router.get("/reviews", response=list[AssignmentOut], summary="我的评审任务")
def my_reviews(request):
    return list(ReviewAssignment.objects.filter(expert=request.auth).order_by("-assigned_at"))


def _assignment(request, pk):
    assignment = get_object_for_user(request, ReviewAssignment, pk)
    if assignment.expert_id != request.auth.pk:
        raise PermissionDenied("这不是您的评审任务。")
    return assignment


@router.post("/reviews/{int:pk}/declare", response=AssignmentOut, summary="声明无利益冲突")
def declare(request, pk: int):
    return services.declare_no_conflict(_assignment(request, pk), by=request.auth)


@router.post("/reviews/{int:pk}/recuse", response=AssignmentOut, summary="回避")
def recuse(request, pk: int, payload: RecuseIn):
    return services.recuse(_assignment(request, pk), by=request.auth, reason=payload.reason)


@router.post("/reviews/{int:pk}/submit", response=AssignmentOut, summary="提交评分")
def submit_review(request, pk: int, payload: ReviewIn):
    return services.submit_review(
        _assignment(request, pk),
        by=request.auth,
        scores=payload.scores,
        comment=payload.comment,
        recommendation=payload.recommendation,
    )


@router.post("/meetings/{int:pk}/votes", response=VoteOut, summary="学术委员会表决")
def vote(request, pk: int, payload: VoteIn):
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="vote")
    app = get_object_or_404(Application, pk=payload.application_id)
    return services.cast_vote(meeting, app, by=request.auth, choice=payload.choice)


@router.get("/publicity", response=list[PublicityOut], summary="公示列表")
def list_publicity(request):
    return list(visible_to(request.auth, Publicity).order_by("-starts_at"))


@router.post("/publicity", response=PublicityOut, summary="发布公示")
def publish(request, payload: PublishIn):
    if not may_write_as(request.auth, Role.TEACHING_AFFAIRS):
        raise PermissionDenied("只有教学工作部可以发布公示。")
    from .models import Call

    call = get_object_or_404(Call, pk=payload.call_id)
    apps = list(Application.objects.filter(pk__in=payload.application_ids, call=call))
    return services.publish_publicity(
        by=request.auth,
        call=call,
        applications=apps,
        starts_at=payload.starts_at,
        title=payload.title,
        body=payload.body,
        acknowledge_warning=payload.acknowledge_warning,
        backdate_reason=payload.backdate_reason,
    )


@router.post("/publicity/{int:pk}/objections", response=ObjectionOut, summary="提出异议（实名，仅公示期内）")
def object_to(request, pk: int, payload: ObjectionIn):
    if not has_role(request.auth, Role.STAFF):
        raise PermissionDenied("只有本校教职工可以提出异议。")
    publicity = get_object_for_user(request, Publicity, pk)
    app = get_object_or_404(Application, pk=payload.application_id, publicity=publicity)
    return services.lodge_objection(publicity, app, by=request.auth, content=payload.content)


@router.get("/objections", response=list[ObjectionOut], summary="异议（本人提出的；教学工作部全部）")
def list_objections(request):
    return list(visible_to(request.auth, Objection).order_by("-id"))


@router.post("/objections/{int:pk}/resolve", response=ObjectionOut, summary="处理异议")
def resolve(request, pk: int, payload: ResolveIn):
    objection = get_object_for_user(request, Objection, pk, action="resolve")
    return services.resolve_objection(
        objection, by=request.auth, upheld=payload.upheld, findings=payload.findings, outcome=payload.outcome
    )


@router.post("/{int:pk}/approve", response=StudioOut, summary="认定（建立工作室）")
def approve(request, pk: int, payload: ApproveIn):
    app = _app(request, pk, action="manage")
    return services.approve_application(
        app, by=request.auth, document_number=payload.document_number, approved_on=payload.approved_on
    )


# --- issue 8: 撤回, 重新表决, 取消会议 (the same services as the pages) -------------------------------------------------


class WithdrawIn(Schema):
    reason: model_text(Revote, "reason") = ""


class RevoteIn(Schema):
    application_id: Id
    reason: model_text(Revote, "reason")


class CancelMeetingIn(Schema):
    reason: model_text(CommitteeMeeting, "cancel_reason")


class CancelledMeetingOut(Schema):
    id: int
    call_id: int
    title: str
    held_on: date
    status: str
    cancel_reason: str


class RevoteOut(Schema):
    id: int
    application_id: int
    earlier_meeting_id: int
    later_meeting_id: int | None
    reason: str


@router.post("/{int:pk}/withdraw", response=ApplicationOut, summary="撤回申报（系部办理前，仅申报人）")
def withdraw(request, pk: int, payload: WithdrawIn):
    app = _app(request, pk, action="withdraw")
    services.withdraw_application(app, by=request.auth, reason=payload.reason)
    return _app(request, pk)


@router.post("/meetings/{int:pk}/revote", response=RevoteOut, summary="重新表决（须说明理由）")
def meeting_revote(request, pk: int, payload: RevoteIn):
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="revote")
    app = get_object_or_404(Application, pk=payload.application_id)
    return services.revote(meeting, app, by=request.auth, reason=payload.reason)


@router.post("/meetings/{int:pk}/cancel", response=CancelledMeetingOut, summary="取消会议（须说明原因）")
def meeting_cancel(request, pk: int, payload: CancelMeetingIn):
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="cancel")
    return services.cancel_meeting(meeting, by=request.auth, reason=payload.reason)


class AgendaItemOut(Schema):
    application_id: int
    studio_name: str
    expert_count: int
    expert_mean: Decimal | None
    expert_stdev: Decimal | None
    expert_min: Decimal | None
    expert_max: Decimal | None
    expert_recommendations: dict[str, int]
    dept_opinion: str
    dept_r7_judgement: str
    dept_r8_judgement: str
    # Running tallies are hidden from members until they have voted on the item or the meeting is over
    # (queries.tally_hidden, the same rule as the page): then the counts are null and tally_hidden is true.
    tally_hidden: bool
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    result: str
    my_vote: str | None


class MeetingDetailOut(Schema):
    id: int
    call_id: int
    title: str
    held_on: date
    status: str
    quorum: int
    majority: str
    members_present: int
    items: list[AgendaItemOut]


@router.get("/meetings/{int:pk}", response=MeetingDetailOut, summary="审议会议：议程、专家评审结果、系部意见与票数")
def meeting_detail(request, pk: int):
    from .models import Vote
    from .queries import expert_stats_by_application, viewer_tally

    meeting = get_object_for_user(request, CommitteeMeeting, pk)
    user = request.auth
    agenda = list(meeting.agenda.order_by("pk"))
    present_ids = set(meeting.members_present.values_list("pk", flat=True))
    mine = dict(Vote.objects.filter(meeting=meeting, member=user).values_list("application_id", "choice"))
    stats = expert_stats_by_application([a.pk for a in agenda])
    items = []
    for app in agenda:
        t = viewer_tally(meeting, app.pk, user, present=len(present_ids), voted=app.pk in mine, present_ids=present_ids)
        s = stats[app.pk]
        items.append(
            {
                "application_id": app.pk,
                "studio_name": app.studio_name,
                "expert_count": s["count"],
                "expert_mean": s["mean"],
                "expert_stdev": s["stdev"],
                "expert_min": s["min"],
                "expert_max": s["max"],
                "expert_recommendations": s["recommendations"],
                "dept_opinion": app.dept_opinion,
                "dept_r7_judgement": app.dept_r7_judgement,
                "dept_r8_judgement": app.dept_r8_judgement,
                "tally_hidden": t.hidden,
                "votes_for": None if t.hidden else t.votes_for,
                "votes_against": None if t.hidden else t.votes_against,
                "votes_abstain": None if t.hidden else t.votes_abstain,
                "result": t.label,
                "my_vote": mine.get(app.pk),
            }
        )
    return {
        "id": meeting.pk,
        "call_id": meeting.call_id,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "status": meeting.status,
        "quorum": meeting.quorum,
        "majority": meeting.majority,
        "members_present": len(present_ids),
        "items": items,
    }


# The screens' other writes (calls, drafts, attachments, meetings, disqualification, objection evidence) live in their
# own module, registered on this router.
from . import api_writes  # noqa: E402, F401
