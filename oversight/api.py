"""REST API of oversight, mounted at /api/v1/oversight/: supervision notes (list, detail, create, answer, close,
reopen, correct), anomaly flags (list), meeting attendance (list, record) and the audit-chain check. Writes go through
oversight.services (and core.audit for the check): the permission checks, the workflow (409) and the audit are those
of the pages; a record the caller cannot see is 404."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from accounts.enums import Role
from accounts.permissions import get_object_for_user, has_role, visible_to
from core.apitypes import Code, Id, model_text
from core.audit import verify_and_record
from core.pagination import BoundedPagination

from . import services
from .flags import RULES, all_flags
from .models import Attendance, NoteEntry, SupervisionNote
from .permissions import sees_console

router = Router(tags=["oversight"])
PREFIX = "oversight"


class OversightEntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    by: str
    at: dt.datetime


class OversightNoteOut(Schema):
    id: int
    object_type: str
    object_id: int
    object: str
    stage: str
    office: str
    department_id: int | None
    subject: str
    status: str
    status_label: str
    created_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_object_type(note):
        return f"{note.content_type.app_label}.{note.content_type.model}"

    @staticmethod
    def resolve_object(note):
        return note.object_repr

    @staticmethod
    def resolve_status_label(note):
        return note.get_status_display()

    @staticmethod
    def resolve_created_by(note):
        return note.created_by.display_name


class OversightNoteDetailOut(OversightNoteOut):
    entries: list[OversightEntryOut]

    @staticmethod
    def resolve_entries(note):
        return [
            {"id": e.pk, "kind": e.kind, "kind_label": e.get_kind_display(), "text": e.text, "by": e.by.display_name,
             "at": e.at}
            for e in NoteEntry.objects.filter(note=note).select_related("by").order_by("at", "id")
        ]  # fmt: skip


class OversightNoteIn(Schema):
    object_type: Code
    object_id: Id
    office: Code
    subject: model_text(SupervisionNote, "subject", min_length=1)
    text: model_text(NoteEntry, "text", min_length=1)


class OversightTextIn(Schema):
    text: model_text(NoteEntry, "text") = ""


class OversightFlagOut(Schema):
    rule: str
    rule_label: str
    subject: str
    reason: str
    url: str


class OversightAttendanceOut(Schema):
    id: int
    meeting_type: str
    meeting_id: int
    meeting: str
    meeting_date: dt.date | None
    person: str
    remark: str
    recorded_at: dt.datetime


class OversightAttendanceIn(Schema):
    meeting_type: Code
    meeting_id: Id
    remark: model_text(Attendance, "remark") = ""


class OversightVerifyOut(Schema):
    ok: bool
    message: str
    broken_id: int | None


def _detail(request, pk):
    return _note(request, pk)


def _note(request, pk, action="view"):
    return get_object_for_user(
        request, SupervisionNote.objects.select_related("content_type", "created_by"), pk, action
    )


@router.get("/notes/", url_name="oversight_notes", response=list[OversightNoteOut], summary="监督意见列表")
@paginate(BoundedPagination)
def list_notes(request, status: Code | None = None, object_type: Code | None = None, object_id: Id | None = None):
    """The notes the caller sees; object_type ("applications.application") and object_id narrow them to one record
    (the page's 「监督意见 N 条」 link)."""
    rows = visible_to(request.auth, SupervisionNote).select_related("content_type", "created_by")
    if status:
        rows = rows.filter(status=status)
    if object_type:
        app_label, _dot, model = object_type.partition(".")
        rows = rows.filter(content_type__app_label=app_label, content_type__model=model)
    if object_id:
        rows = rows.filter(object_id=object_id)
    return rows.order_by("-created_at", "-id")


@router.get(
    "/notes/{int:pk}", url_name="oversight_note", response=OversightNoteDetailOut, summary="监督意见（含答复记录）"
)
def note_detail(request, pk: Id):
    return _detail(request, pk)


@router.post(
    "/notes/",
    url_name="oversight_note_create",
    response={201: OversightNoteDetailOut},
    summary="提出监督意见（纪检办）",
)
def create_note(request, payload: OversightNoteIn):
    note = services.create_note(by=request.auth, type_key=payload.object_type, object_id=payload.object_id,
                                office=payload.office, subject=payload.subject, text=payload.text)  # fmt: skip
    return Status(201, _detail(request, note.pk))


@router.post("/notes/{int:pk}/answer", url_name="oversight_note_answer", response=OversightNoteDetailOut,
             summary="答复监督意见（责任部门）")  # fmt: skip
def answer_note(request, pk: Id, payload: OversightTextIn):
    services.answer_note(_note(request, pk, "answer"), by=request.auth, text=payload.text)
    return _detail(request, pk)


@router.post("/notes/{int:pk}/close", url_name="oversight_note_close", response=OversightNoteDetailOut,
             summary="办结监督意见（提出人）")  # fmt: skip
def close_note(request, pk: Id, payload: OversightTextIn):
    services.close_note(_note(request, pk, "supervise"), by=request.auth, text=payload.text)
    return _detail(request, pk)


@router.post("/notes/{int:pk}/reopen", url_name="oversight_note_reopen", response=OversightNoteDetailOut,
             summary="重新打开监督意见（提出人，须写原因）")  # fmt: skip
def reopen_note(request, pk: Id, payload: OversightTextIn):
    services.reopen_note(_note(request, pk, "supervise"), by=request.auth, text=payload.text)
    return _detail(request, pk)


@router.post("/notes/{int:pk}/correct", url_name="oversight_note_correct", response=OversightNoteDetailOut,
             summary="添加更正（原记录不变）")  # fmt: skip
def correct_note(request, pk: Id, payload: OversightTextIn):
    services.correct_note(_note(request, pk), by=request.auth, text=payload.text)
    return _detail(request, pk)


@router.get("/flags/", url_name="oversight_flags", response=list[OversightFlagOut], summary="异常提示（即时计算）")
def list_flags(request, rule: Code | None = None):
    if not sees_console(request.auth):
        raise PermissionDenied("异常提示仅供纪检办公室、校领导和系统管理员查看。")
    if rule and rule not in RULES:
        rule = None
    return [
        {"rule": f.rule, "rule_label": f.rule_label, "subject": f.subject, "reason": f.reason, "url": f.url}
        for f in all_flags(rule)
    ]


@router.get(
    "/attendance/", url_name="oversight_attendance", response=list[OversightAttendanceOut], summary="列席会议记录"
)
@paginate(BoundedPagination)
def list_attendance(request):
    rows = visible_to(request.auth, Attendance).select_related("content_type", "person").order_by("-recorded_at", "-id")
    return [
        {"id": a.pk, "meeting_type": f"{a.content_type.app_label}.{a.content_type.model}", "meeting_id": a.object_id,
         "meeting": a.meeting_repr, "meeting_date": a.meeting_date, "person": a.person.display_name,
         "remark": a.remark, "recorded_at": a.recorded_at}
        for a in rows
    ]  # fmt: skip


@router.post("/attendance/", url_name="oversight_attendance_record", response={201: OversightAttendanceOut},
             summary="登记列席会议（纪检办）")  # fmt: skip
def record_attendance(request, payload: OversightAttendanceIn):
    a = services.record_attendance(by=request.auth, kind_key=payload.meeting_type, meeting_id=payload.meeting_id,
                                   remark=payload.remark)  # fmt: skip
    return Status(201, {"id": a.pk, "meeting_type": payload.meeting_type, "meeting_id": a.object_id,
                        "meeting": a.meeting_repr, "meeting_date": a.meeting_date,
                        "person": request.auth.display_name, "remark": a.remark, "recorded_at": a.recorded_at})  # fmt: skip


@router.post(
    "/audit/verify",
    url_name="oversight_audit_verify",
    response=OversightVerifyOut,
    summary="校验审计链（纪检办、系统管理员）",
)
def audit_verify(request):
    if not has_role(request.auth, Role.INSPECTOR, Role.ADMIN):
        raise PermissionDenied("仅纪检办公室和系统管理员可以校验审计链。")
    ok, message, broken = verify_and_record(by=request.auth)
    return {"ok": ok, "message": message, "broken_id": broken}
