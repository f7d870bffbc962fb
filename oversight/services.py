"""The writes of oversight: supervision notes and their entries, meeting attendance, the audit-chain check. Each takes
`by=` the acting user, runs in one transaction and writes its audit event in it. A note's entries are only ever
inserted (a correction is a new entry; migration 0002 makes the database refuse an UPDATE of an entry)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from accounts.permissions import can, visible_to
from core.audit import log_action
from core.fields import text_limit
from core.notifications import notify
from core.workflow import transition

from .enums import EntryKind, NoteStatus, Office
from .models import Attendance, NoteEntry, SupervisionNote
from .permissions import is_inspector, office_holders
from .registry import meeting_kind, note_target

NOT_INSPECTOR = "只有纪检办公室可以提出监督意见或登记列席会议。"
NOT_FOUND = "对象不存在或您无权查看。"


class NotVisible(Http404):
    """The record named does not exist or the user may not see it (pages answer 404, never a hint)."""


def _clean_text(value, model, field, label, *, required=True):
    value = str(value or "").strip()
    if "\x00" in value or any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise ValidationError(f"「{label}」含有无效字符。")
    if required and not value:
        raise ValidationError(f"请填写「{label}」。")
    limit = text_limit(model, field)
    if len(value) > limit:
        raise ValidationError(f"「{label}」最多 {limit} 个字（现有 {len(value)} 个）。")
    return value


def resolve_target(user, type_key, object_id):
    """The record (type key + id) as `user` sees it, with its NoteTarget; NotVisible when unknown or invisible."""
    target = note_target(type_key)
    if target is None:
        raise ValidationError("请选择监督对象的类型。")
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise ValidationError("请填写正确的对象编号。") from None
    if not 1 <= object_id <= 2**63 - 1:
        raise NotVisible(NOT_FOUND)
    rows = visible_to(user, target.model)
    if target.related:  # (select_related() without names would follow every foreign key)
        rows = rows.select_related(*target.related)
    obj = rows.filter(pk=object_id).first()
    if obj is None:
        raise NotVisible(NOT_FOUND)
    return target, obj


def _department_of(target, obj):
    if not target.department:
        return None
    return target.model._default_manager.filter(pk=obj.pk).values_list(target.department, flat=True).first()


def _note_url(note):
    return reverse("oversight:note", args=[note.pk])


def create_note(*, by, type_key, object_id, office, subject, text):
    """监督意见: the inspector attaches a note to a record he sees, addressed to an office; the office is told."""
    if not is_inspector(by):
        raise PermissionDenied(NOT_INSPECTOR)
    target, obj = resolve_target(by, type_key, object_id)
    if office not in Office.values:
        raise ValidationError("请选择责任部门。")
    subject = _clean_text(subject, SupervisionNote, "subject", "事由")
    text = _clean_text(text, NoteEntry, "text", "监督意见")
    department_id = _department_of(target, obj) if office == Office.DEPARTMENT else None
    if office == Office.DEPARTMENT and department_id is None:
        raise ValidationError("该记录不属于某个系部，请选择其他责任部门。")
    with transaction.atomic():
        note = SupervisionNote.objects.create(
            content_type=ContentType.objects.get_for_model(target.model),
            object_id=obj.pk,
            object_repr=f"{target.label}：{obj}"[:300],
            stage=target.stage,
            office=office,
            department_id=department_id,
            subject=subject,
            created_by=by,
        )
        NoteEntry.objects.create(note=note, kind=EntryKind.NOTE, text=text, by=by)
        log_action(
            actor=by,
            action="oversight.note.created",
            obj=note,
            after={"object": f"{target.key}#{obj.pk}", "office": office, "department": department_id, "text": text},
        )
        holders = office_holders(note)
        transaction.on_commit(
            lambda: notify(holders, title=f"纪检办公室监督意见：{subject}", body=text, url=_note_url(note))
        )
    return note


def _locked(note):
    return SupervisionNote.objects.select_for_update().get(pk=note.pk)


def answer_note(note, *, by, text):
    """The addressed office answers: an open note becomes answered; an answered one gets a further answer."""
    text = _clean_text(text, NoteEntry, "text", "答复")
    with transaction.atomic():
        fresh = _locked(note)
        if not can(by, "answer", fresh):
            if fresh.status == NoteStatus.CLOSED:
                raise ValidationError("这条监督意见已办结，不能再答复。")
            raise PermissionDenied(f"只有「{fresh.get_office_display()}」可以答复这条监督意见。")
        if fresh.status == NoteStatus.OPEN:
            transition(fresh, NoteStatus.ANSWERED, by=by, note=text)
        else:
            log_action(actor=by, action="oversight.note.answer_added", obj=fresh, after={"text": text})
        NoteEntry.objects.create(note=fresh, kind=EntryKind.ANSWER, text=text, by=by)
    _copy(note, fresh)
    return note


def close_note(note, *, by, text=""):
    """The inspector who wrote the note closes it (a remark is required when it has no answer)."""
    text = _clean_text(text, NoteEntry, "text", "办结说明", required=False)
    with transaction.atomic():
        fresh = _locked(note)
        transition(fresh, NoteStatus.CLOSED, by=by, note=text)
        if text:
            NoteEntry.objects.create(note=fresh, kind=EntryKind.CLOSE, text=text, by=by)
    _copy(note, fresh)
    return note


def reopen_note(note, *, by, text):
    """The inspector reopens an answered or closed note of his with a reason: the office answers again."""
    text = _clean_text(text, NoteEntry, "text", "重新打开原因")
    with transaction.atomic():
        fresh = _locked(note)
        transition(fresh, NoteStatus.OPEN, by=by, note=text)
        NoteEntry.objects.create(note=fresh, kind=EntryKind.REOPEN, text=text, by=by)
    _copy(note, fresh)
    return note


def correct_note(note, *, by, text):
    """A correction is a new entry (nothing is ever edited): by the note's author or the addressed office."""
    text = _clean_text(text, NoteEntry, "text", "更正内容")
    with transaction.atomic():
        fresh = _locked(note)
        if not (can(by, "supervise", fresh) or can(by, "correct", fresh)):
            raise PermissionDenied("只有提出人或被答复的责任部门可以更正这条监督意见。")
        NoteEntry.objects.create(note=fresh, kind=EntryKind.CORRECTION, text=text, by=by)
        log_action(actor=by, action="oversight.note.corrected", obj=fresh, after={"text": text})
    return note


def refuse_entry_edit(entry, *, by):
    """An entry is never edited or deleted: the refusal itself is audited (the database refuses the UPDATE too)."""
    with transaction.atomic():
        log_action(
            actor=by, action="oversight.note.edit_refused", object_type="oversight.supervisionnote",
            object_id=entry.note_id, after={"entry": entry.pk},
        )  # fmt: skip
    raise PermissionDenied("监督意见的记录不能修改或删除；如需更正，请添加一条更正。")


def _copy(note, fresh):
    for key, value in vars(fresh).items():
        if not key.startswith("_"):
            setattr(note, key, value)


def record_attendance(*, by, kind_key, meeting_id, remark=""):
    """The inspector records that he attended a meeting (committee meeting, later an evaluation meeting)."""
    if not is_inspector(by):
        raise PermissionDenied(NOT_INSPECTOR)
    kind = meeting_kind(kind_key)
    if kind is None:
        raise ValidationError("请选择会议类型。")
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise ValidationError("请选择会议。") from None
    rows = kind.rows(by) if kind.rows else visible_to(by, kind.model)
    meeting = rows.filter(pk=meeting_id).first() if 1 <= meeting_id < 2**63 else None
    if meeting is None:
        raise NotVisible(NOT_FOUND)
    remark = _clean_text(remark, Attendance, "remark", "列席说明", required=False)
    content_type = ContentType.objects.get_for_model(kind.model)
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                content_type=content_type,
                object_id=meeting.pk,
                meeting_repr=f"{kind.label}：{meeting}"[:300],
                meeting_date=getattr(meeting, kind.date, None),
                person=by,
                remark=remark,
            )
            log_action(
                actor=by, action="oversight.attendance.recorded", obj=row, after={"meeting": f"{kind.key}#{meeting.pk}"}
            )
    except IntegrityError:
        raise ValidationError("您已登记列席该会议。") from None
    return row
