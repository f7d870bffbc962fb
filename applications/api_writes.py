"""The screens' writes that the API lacked (issue 8, "every action a page offers is in the API too"): calls, drafts,
attachments, batch expert assignment, committee meetings, disqualification and objections with evidence.

Each operation validates its input with the SAME Django form as the page (so the same choices, limits and Chinese
messages), then calls the SAME service function as the page; refusals: 403/404 (access), 409 (WorkflowError),
422 (bad input, nothing stored). Registered on applications.api.router (imported at the end of applications/api.py).
tests/security/test_api_parity.py maps every page write to its operation here or in api.py.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Schema, Status
from ninja.files import UploadedFile

from accounts.enums import Role
from accounts.permissions import get_object_for_user, may_write_as
from core.apitypes import Code, Id, IdList, model_text

from . import services
from .api import ApplicationOut, AssignmentOut, ObjectionOut, _app, _assignment, router
from .enums import ApplicationStatus, MemberRole
from .forms import (
    AssignForm,
    AttachmentForm,
    CallForm,
    CloseMeetingForm,
    DisqualifyForm,
    DraftForm,
    MeetingForm,
    ObjectionForm,
)
from .models import Application, Attachment, Call, CommitteeMeeting, Objection, Publicity, ReviewAssignment


def _require_ta(request):
    """As the pages' require_teaching_affairs(): 403 before anything is looked up."""
    if not may_write_as(request.auth, Role.TEACHING_AFFAIRS):
        raise PermissionDenied("仅教学工作部可以执行此操作。")


def _cleaned(form):
    """The page's form decides what is valid; its Chinese errors become one 422 message."""
    if not form.is_valid():
        from .views.common import form_errors

        raise ValidationError(form_errors(form))
    return form.cleaned_data


# --- Calls ----------------------------------------------------------------------------------------------------------


class CallIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: model_text(Call, "title")
    opens_at: datetime
    closes_at: datetime
    policy_year: int = Field(..., ge=2000, le=2100)
    rubric_id: Id
    blind_review: bool = False
    experts_see_scores: bool = False
    review_deadline: datetime | None = None


class CallOut(Schema):
    id: int
    year: int
    title: str
    opens_at: datetime
    closes_at: datetime
    policy_year: int
    rubric_id: int
    status: str
    blind_review: bool
    experts_see_scores: bool


@router.post("/calls", response={201: CallOut}, summary="创建申报批次（教学工作部；创建后尚未开放）")
def create_call(request, payload: CallIn):
    _require_ta(request)
    data = payload.dict()
    data["rubric"] = data.pop("rubric_id")
    cleaned = _cleaned(CallForm(data))
    return Status(201, services.create_call(by=request.auth, **cleaned))


def _call(pk):
    return get_object_or_404(Call, pk=pk)


@router.post("/calls/{int:pk}/open", response=CallOut, summary="开放申报")
def open_call(request, pk: int):
    _require_ta(request)
    return services.open_call(_call(pk), by=request.auth)


@router.post("/calls/{int:pk}/close", response=CallOut, summary="截止申报")
def close_call(request, pk: int):
    _require_ta(request)
    return services.close_call(_call(pk), by=request.auth)


# --- Applications: draft, edit, attachments ---------------------------------------------------------------------------


@router.post("/calls/{int:pk}/applications", response={201: ApplicationOut}, summary="新建申报草稿（本人为技能大师）")
def create_application(request, pk: int):
    app = services.create_application(_call(pk), by=request.auth)
    return Status(201, _app(request, app.pk))


class DraftIn(Schema):
    version: int = Field(..., ge=0, le=2**31 - 1, description="编辑时读取到的版本号（乐观并发）")
    studio_name: model_text(Application, "studio_name")
    occupation: model_text(Application, "occupation") = ""
    major_ids: IdList = []
    major_justification: model_text(Application, "major_justification") = ""
    mode: Code
    venue_school: model_text(Application, "venue_school") = ""
    venue_partner: model_text(Application, "venue_partner") = ""
    core_member_ids: IdList = []
    other_member_ids: IdList = []
    basic_conditions: model_text(Application, "basic_conditions") = ""
    support_measures: model_text(Application, "support_measures") = ""
    work_plan: model_text(Application, "work_plan") = ""
    main_directions: model_text(Application, "main_directions") = ""
    attest_political: bool = False
    attest_truthful: bool = False


@router.put("/{int:pk}/draft", response=ApplicationOut, summary="保存申报草稿（草稿或退回修改状态，本人）")
def save_draft(request, pk: int, payload: DraftIn):
    app = _app(request, pk, action="edit")
    data = payload.dict()
    data["majors"] = data.pop("major_ids")
    data["core_members"] = data.pop("core_member_ids")
    data["other_members"] = data.pop("other_member_ids")
    cleaned = _cleaned(DraftForm(data, applicant=app.applicant))
    core = list(cleaned["core_members"])
    members = [(u, MemberRole.CORE) for u in core] + [
        (u, MemberRole.MEMBER) for u in cleaned["other_members"] if u not in core
    ]
    services.save_draft(
        app,
        by=request.auth,
        version=cleaned["version"],
        data={k: cleaned[k] for k in services.drafts.DRAFT_FIELDS},
        majors=list(cleaned["majors"]),
        members=members,
    )
    return _app(request, pk)


class AttachmentOut(Schema):
    id: int
    application_id: int
    kind: str
    original_name: str
    uploaded_at: datetime


@router.post(
    "/{int:pk}/attachments",
    response={201: AttachmentOut},
    summary="上传申报材料（multipart：字段 kind 与 file；草稿或退回修改状态，本人）",
)
def upload_attachment(request, pk: int, kind: Form[Code], file: File[UploadedFile]):
    app = _app(request, pk, action="edit")
    cleaned = _cleaned(AttachmentForm({"kind": kind}, {"file": file}))
    attachment = services.add_attachment(app, by=request.auth, kind=cleaned["kind"], uploaded_file=cleaned["file"])
    return Status(201, Attachment.objects.get(pk=attachment.pk))


# --- Expert assignment in a batch ------------------------------------------------------------------------------------


class BatchAssignIn(Schema):
    application_ids: IdList
    expert_ids: IdList


@router.post(
    "/calls/{int:pk}/assignments", response=list[AssignmentOut], summary="批量指派评审专家（全部成功或全部不变）"
)
def post_batch_assignments(request, pk: int, payload: BatchAssignIn):
    _require_ta(request)
    call = _call(pk)
    experts = _cleaned(AssignForm({"experts": payload.expert_ids}))["experts"]
    wanted = set(payload.application_ids)
    apps = list(
        Application.objects.filter(
            call=call, pk__in=wanted, status__in=[ApplicationStatus.RECOMMENDED, ApplicationStatus.UNDER_REVIEW]
        ).order_by("pk")
    )
    if not apps or len(apps) != len(wanted):
        raise ValidationError("请选择本批次已推荐或评审中的申报。")
    return services.assign_experts(apps, list(experts), by=request.auth)


# --- Committee meetings -----------------------------------------------------------------------------------------------


class MeetingIn(Schema):
    title: model_text(CommitteeMeeting, "title")
    held_on: date
    member_ids: IdList = Field(..., description="出席委员（学术委员会委员）")
    agenda_ids: IdList = Field(..., description="审议事项：本批次已完成专家评审的申报")
    quorum: int = Field(..., ge=1, le=1000)
    majority: Code


class MeetingOut(Schema):
    id: int
    call_id: int
    title: str
    held_on: date
    quorum: int
    majority: str
    status: str
    minutes: str
    member_ids: list[int]
    agenda_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj):
        return sorted(u.pk for u in obj.members_present.all())

    @staticmethod
    def resolve_agenda_ids(obj):
        return sorted(a.pk for a in obj.agenda.all())


def _meeting_out(pk):
    return CommitteeMeeting.objects.prefetch_related("members_present", "agenda").get(pk=pk)


@router.post("/calls/{int:pk}/meetings", response={201: MeetingOut}, summary="组织学术委员会审议（出席委员、审议事项）")
def create_meeting(request, pk: int, payload: MeetingIn):
    _require_ta(request)
    call = _call(pk)
    reviewed = Application.objects.filter(call=call, status=ApplicationStatus.REVIEWED)
    data = payload.dict()
    data["members_present"] = data.pop("member_ids")
    data["agenda"] = data.pop("agenda_ids")
    cleaned = _cleaned(MeetingForm(data, agenda_queryset=reviewed))
    meeting = services.create_meeting(by=request.auth, call=call, **cleaned)
    return Status(201, _meeting_out(meeting.pk))


class CloseMeetingIn(Schema):
    minutes: model_text(CommitteeMeeting, "minutes") = ""


@router.post("/meetings/{int:pk}/close", response=MeetingOut, summary="结束表决并记录审议结果")
def close_meeting(request, pk: int, payload: CloseMeetingIn):
    _require_ta(request)
    meeting = get_object_for_user(request, CommitteeMeeting, pk, action="close")
    minutes = _cleaned(CloseMeetingForm(payload.dict()))["minutes"]
    services.close_meeting(meeting, by=request.auth, minutes=minutes)
    return _meeting_out(pk)


# --- Disqualification and objections with evidence -----------------------------------------------------------------


@router.post(
    "/{int:pk}/disqualify",
    response=ApplicationOut,
    summary="取消申报资格（弄虚作假；multipart：字段 reason，可选 evidence）",
)
def disqualify(
    request,
    pk: int,
    reason: Form[model_text(Application, "disqualify_reason")],
    evidence: File[UploadedFile] = None,
):
    _require_ta(request)
    app = _app(request, pk, action="manage")
    cleaned = _cleaned(DisqualifyForm({"reason": reason}, {"evidence": evidence} if evidence else {}))
    services.disqualify_application(app, by=request.auth, reason=cleaned["reason"], evidence=cleaned["evidence"])
    return _app(request, pk)


@router.post(
    "/publicity/{int:pk}/objections/with-evidence",
    response={201: ObjectionOut},
    summary="提出异议并附证据材料（multipart：字段 application_id、content，可选 evidence）",
)
def object_with_evidence(
    request,
    pk: int,
    application_id: Form[Id],
    content: Form[model_text(Objection, "content")],
    evidence: File[UploadedFile] = None,
):
    publicity = get_object_for_user(request, Publicity, pk)
    app = get_object_or_404(Application, pk=application_id, publicity=publicity)
    cleaned = _cleaned(ObjectionForm({"content": content}, {"evidence": evidence} if evidence else {}))
    objection = services.lodge_objection(
        publicity, app, by=request.auth, content=cleaned["content"], evidence=cleaned["evidence"]
    )
    return Status(201, objection)


# --- Issue 9 items 7–9: draft attachments, score drafts, objection investigation --------------------------------------


@router.delete(
    "/{int:pk}/attachments/{int:attachment_pk}",
    response={204: None},
    summary="删除申报材料（草稿或退回修改状态，本人；提交后不能删除）",
)
def delete_attachment(request, pk: int, attachment_pk: int):
    app = _app(request, pk, action="edit")
    services.delete_attachment(app, attachment_pk, by=request.auth)
    return Status(204, None)


@router.post(
    "/{int:pk}/attachments/{int:attachment_pk}/replace",
    response=AttachmentOut,
    summary="替换申报材料的文件（multipart：字段 file；草稿或退回修改状态，本人）",
)
def replace_attachment(request, pk: int, attachment_pk: int, file: File[UploadedFile]):
    from .forms import AttachmentReplaceForm

    app = _app(request, pk, action="edit")
    cleaned = _cleaned(AttachmentReplaceForm({}, {"file": file}))
    attachment = services.replace_attachment(app, attachment_pk, by=request.auth, uploaded_file=cleaned["file"])
    return Attachment.objects.get(pk=attachment.pk)


class ReviewDraftIn(Schema):
    scores: dict[Code, Code | None] = Field(default_factory=dict, max_length=50)
    comment: model_text(ReviewAssignment, "comment") = ""
    recommendation: Code = ""


@router.post("/reviews/{int:pk}/draft", response=AssignmentOut, summary="暂存评分（不计入评审结果，提交前可修改）")
def save_review_draft(request, pk: int, payload: ReviewDraftIn):
    return services.save_review_draft(
        _assignment(request, pk),
        by=request.auth,
        scores=payload.scores,
        comment=payload.comment,
        recommendation=payload.recommendation,
    )


@router.post("/objections/{int:pk}/investigate", response=ObjectionOut, summary="开始调查异议（待调查 → 调查中）")
def investigate_objection(request, pk: int):
    _require_ta(request)
    objection = get_object_for_user(request, Objection, pk, action="investigate")
    return services.start_investigation(objection, by=request.auth)


@router.post(
    "/objections/{int:pk}/investigation-evidence",
    response=ObjectionOut,
    summary="上传或替换异议的调查材料（multipart：字段 file；仅调查中）",
)
def upload_investigation_evidence(request, pk: int, file: File[UploadedFile]):
    from .forms import InvestigationEvidenceForm

    _require_ta(request)
    objection = get_object_for_user(request, Objection, pk, action="investigate")
    cleaned = _cleaned(InvestigationEvidenceForm({}, {"file": file}))
    return services.add_investigation_evidence(objection, by=request.auth, uploaded_file=cleaned["file"])
