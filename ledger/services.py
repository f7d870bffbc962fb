"""Writes on the ledger. Each takes `by=`, runs in one transaction, locks and re-reads the studio and calls
studios.services.ensure_writable (a revoked studio refuses everything), checks the permission and leaves an audit
event. Status changes go through core.workflow.transition (ledger/workflow.py)."""

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import can, require_write_access
from core.audit import log_action
from core.uploads import detect_kind, validate_upload
from core.workflow import WorkflowError, transition
from studios.freeze import ensure_year_open
from studios.models import Membership, Studio
from studios.services import ensure_writable

from .enums import AttachmentKind, Place, ProjectStage, RecordStatus
from .models import Attachment, Mentorship, MentorshipNote, Project, ProjectStageRecord
from .photos import clean_image

COMMON_FIELDS = ("date", "title", "description", "place", "place_detail")
FIELDS = {
    "activity": (*COMMON_FIELDS, "kind", "hours", "participants"),
    "mentorship": (
        *COMMON_FIELDS,
        "mentor",
        "apprentice_type",
        "apprentice_user",
        "apprentice_name",
        "end_on",
        "outcome_level",
        "outcome_on",
    ),
    "meeting": (*COMMON_FIELDS, "minutes"),
    "project": (*COMMON_FIELDS, "kind", "source", "amount", "partner"),
    "achievement": (*COMMON_FIELDS, "kind", "level", "number", "grant_date", "rank", "who", "landmark", "public"),
}
EARLIEST = dt.date(2000, 1, 1)


def _lock_studio(studio_id, *dates):
    """Lock and re-read the studio (its status may change concurrently), then refuse if it is revoked, or if the year
    of any of `dates` (the record's date, before and after an edit) is archived (studios.freeze)."""
    studio = ensure_writable(Studio.objects.select_for_update().get(pk=studio_id))
    for year in sorted({d.year for d in dates if d}):
        ensure_year_open(studio, year)
    return studio


def _refuse_control_characters(data):
    for name, value in data.items():
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _snapshot(record):
    data = {name: _plain(getattr(record, name)) for name in FIELDS[record._meta.model_name]}
    return data


def members_at(studio, on):
    """Users who were members (the master included) of `studio` on date `on`."""
    return Membership.objects.filter(studio=studio, joined_on__lte=on).exclude(left_on__lt=on)


def _check_members(studio, on, member_ids):
    member_ids = {int(i) for i in member_ids or ()}
    if not member_ids:
        return []
    allowed = set(members_at(studio, on).filter(user_id__in=member_ids).values_list("user_id", flat=True))
    strangers = member_ids - allowed
    if strangers:
        raise ValidationError({"members": "参与成员只能是记录日期当天在册的工作室成员。"})
    return sorted(member_ids)


def _validate(record, studio, member_ids):
    errors = {}
    today = timezone.localdate()
    if record.date and record.date > today:
        errors["date"] = "日期不能晚于今天：请在活动发生后再记录。"
    elif record.date and record.date < EARLIEST:
        errors["date"] = f"日期不能早于 {EARLIEST:%Y-%m-%d}。"
    if record.place == Place.PARTNER and studio.mode != "joint":
        errors["place"] = "只有校企联办的工作室才有合作企业场地。"
    name = record._meta.model_name
    if name == "mentorship":
        if not record.apprentice_user_id and not record.apprentice_name.strip():
            errors["apprentice_name"] = "请选择徒弟或填写徒弟姓名。"
        if record.end_on and record.date and record.end_on < record.date:
            errors["end_on"] = "结束日期不能早于开始日期。"
        if bool(record.outcome_level) != bool(record.outcome_on):
            errors["outcome_on"] = "技能等级与取得日期须同时填写。"
        if (
            record.mentor_id
            and record.date
            and not members_at(studio, record.date).filter(user_id=record.mentor_id).exists()
        ):
            errors["mentor"] = "师傅须为当时在册的工作室成员。"
    if name == "achievement" and record.kind == "patent" and not record.number.strip():
        errors["number"] = "请填写专利号。"
    if errors:
        raise ValidationError(errors)
    if record.date and not errors:
        return _check_members(studio, record.date, member_ids)
    return []


def _apply(record, data):
    fields = FIELDS[record._meta.model_name]
    unknown = set(data) - set(fields)
    if unknown:  # a programming error in a caller, not user input
        raise TypeError(f"unknown fields {sorted(unknown)}")
    for name, value in data.items():
        field = record._meta.get_field(name)
        if field.is_relation:
            setattr(record, f"{name}_id", getattr(value, "pk", value))  # an instance (forms) or an id (API)
        elif value is None and not field.null:
            setattr(
                record,
                name,
                ""
                if isinstance(field.default, str) or field.get_internal_type() in ("CharField", "TextField")
                else field.get_default(),
            )
        else:
            setattr(record, name, value)


@transaction.atomic
def create_record(model, *, studio, by, data, member_ids=()):
    """Add a draft record to `studio` (its master or a current member)."""
    require_write_access(by)
    studio = _lock_studio(studio.pk)
    if not can(by, "record", studio):
        raise PermissionDenied("只有本工作室的技能大师或在册成员可以填报建设记录。")
    _refuse_control_characters(data)
    record = model(studio=studio, created_by=by, status=RecordStatus.DRAFT)
    _apply(record, data)
    if isinstance(record.date, dt.date):
        ensure_year_open(studio, record.date.year)
    if record.place == Place.PARTNER and not record.place_detail:
        record.place_detail = studio.venue_partner[: model._meta.get_field("place_detail").max_length]
    record.full_clean(exclude=["studio", "created_by"])
    members = _validate(record, studio, member_ids)
    record.save()
    record.members.set(members)
    log_action(
        actor=by,
        action=f"ledger.{model._meta.model_name}.created",
        obj=record,
        after={**_snapshot(record), "studio": studio.pk, "members": members},
    )
    return record


@transaction.atomic
def update_record(record, *, by, data, member_ids=None):
    """Change a draft or returned record."""
    require_write_access(by)
    model = type(record)
    studio = _lock_studio(record.studio_id)
    record = model.objects.select_for_update().select_related("studio").get(pk=record.pk)
    ensure_year_open(studio, record.date.year)
    record.studio = studio
    if not can(by, "edit", record):
        raise PermissionDenied("只有本工作室成员可以修改草稿或被退回的记录；已提交或已确认的记录不能修改。")
    _refuse_control_characters(data)
    before = _snapshot(record)
    before["members"] = sorted(record.members.values_list("pk", flat=True))
    _apply(record, data)
    if isinstance(record.date, dt.date):
        ensure_year_open(studio, record.date.year)
    record.full_clean(exclude=["studio", "created_by"])
    if member_ids is None:
        member_ids = before["members"]
    members = _validate(record, studio, member_ids)
    record.save()
    record.members.set(members)
    log_action(
        actor=by,
        action=f"ledger.{model._meta.model_name}.updated",
        obj=record,
        before=before,
        after={**_snapshot(record), "members": members},
    )
    return record


def _upload_name(upload):
    return os.path.basename(getattr(upload, "name", "") or "")[:200]


@transaction.atomic
def add_attachment(record, *, by, kind, upload):
    """Attach a file (content-checked; images stored without EXIF and with a thumbnail) to a draft/returned record."""
    require_write_access(by)
    model = type(record)
    studio = _lock_studio(record.studio_id)
    record = model.objects.select_for_update().select_related("studio").get(pk=record.pk)
    ensure_year_open(studio, record.date.year)
    record.studio = studio
    if not can(by, "upload", record):
        raise PermissionDenied("只有本工作室成员可以为草稿或被退回的记录上传材料。")
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": "请选择材料类型。"})
    if upload is None:
        raise ValidationError({"file": "请选择要上传的文件。"})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    ext = detect_kind(getattr(upload, "file", upload))
    if kind == AttachmentKind.PHOTO and ext not in ("jpg", "png"):
        raise ValidationError({"file": "现场照片须为 JPG 或 PNG 图片。"})
    name = _upload_name(upload)
    attachment = Attachment(kind=kind, original_name=name, uploaded_by=by, **{record._meta.model_name: record})
    if ext in ("jpg", "png"):
        stored, thumb = clean_image(upload, ext)
        attachment.size = stored.size
        stem = "photo.png" if ext == "png" else "photo.jpg"
        attachment.file.save(stem, stored, save=False)
        attachment.thumbnail.save("thumb.jpg", thumb, save=False)
    else:
        attachment.size = upload.size
        attachment.file.save(name or f"file.{ext}", upload, save=False)
    try:
        attachment.save()
        log_action(
            actor=by,
            action=f"ledger.{record._meta.model_name}.attachment_added",
            obj=record,
            after={"attachment": attachment.pk, "kind": kind, "name": name, "size": attachment.size},
        )
    except BaseException:
        # The files were written before the row: nothing may stay behind when the row is not stored.
        for field in (attachment.file, attachment.thumbnail):
            if field:
                field.storage.delete(field.name)
        raise
    return attachment


# --- status changes -------------------------------------------------------------------------------------------------


def _move(record, to, *, by, note="", changes=None):
    with transaction.atomic():
        _lock_studio(record.studio_id, type(record).objects.values_list("date", flat=True).get(pk=record.pk))
        return transition(record, to, by=by, note=note, changes=changes)


def submit_record(record, *, by):
    require_write_access(by)
    return _move(record, RecordStatus.SUBMITTED, by=by, changes={"submitted_at": timezone.now()})


def confirm_record(record, *, by, note=""):
    require_write_access(by)
    return _move(
        record,
        RecordStatus.CONFIRMED,
        by=by,
        note=note,
        changes={"reviewed_by": by, "reviewed_at": timezone.now(), "return_reason": ""},
    )


def return_record(record, *, by, reason):
    require_write_access(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因，以便工作室修改后重新提交。"})
    limit = type(record)._meta.get_field("return_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"reason": f"退回原因最多 {limit} 个字。"})
    _refuse_control_characters({"reason": reason})
    return _move(
        record,
        RecordStatus.RETURNED,
        by=by,
        note=reason,
        changes={"reviewed_by": by, "reviewed_at": timezone.now(), "return_reason": reason},
    )


def batch_confirm(model, ids, *, by):
    """Confirm several submitted records in one transaction, each through the workflow. Returns (confirmed,
    refused) where refused is [(record title or id, Chinese reason)]; refused items change nothing."""
    require_write_access(by)
    confirmed, refused = [], []
    ids = sorted({int(i) for i in ids})
    with transaction.atomic():
        rows = {r.pk: r for r in model.objects.filter(pk__in=ids).only("pk", "title", "studio_id", "status")}
        for pk in ids:
            record = rows.get(pk)
            if record is None:
                refused.append((f"#{pk}", "记录不存在或您无权查看。"))
                continue
            try:
                with transaction.atomic():
                    _lock_studio(record.studio_id, model.objects.values_list("date", flat=True).get(pk=pk))
                    transition(
                        record,
                        RecordStatus.CONFIRMED,
                        by=by,
                        changes={"reviewed_by": by, "reviewed_at": timezone.now(), "return_reason": ""},
                    )
            except (WorkflowError, PermissionDenied) as exc:
                refused.append((record.title, getattr(exc, "message", None) or str(exc)))
                continue
            confirmed.append(record)
    return confirmed, refused


@transaction.atomic
def spot_check(record, *, by, note):
    """教学工作部抽查: a flag and a note on a confirmed record (its status does not change)."""
    require_write_access(by)
    model = type(record)
    studio = _lock_studio(record.studio_id)
    record = model.objects.select_for_update().get(pk=record.pk)
    ensure_year_open(studio, record.date.year)
    record.studio = studio
    if not can(by, "spot_check", record):
        raise PermissionDenied("只有教学工作部可以抽查已确认的记录。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写抽查意见。"})
    record.spot_check_note = note
    record.full_clean(exclude=["studio", "created_by"])
    _refuse_control_characters({"note": note})
    model.objects.filter(pk=record.pk).update(spot_checked_by=by, spot_checked_at=timezone.now(), spot_check_note=note)
    log_action(actor=by, action=f"ledger.{model._meta.model_name}.spot_checked", obj=record, after={"note": note})
    return record


# --- progress of long-running records ---------------------------------------------------------------------------


@transaction.atomic
def add_progress_note(mentorship, *, by, date, note):
    require_write_access(by)
    studio = _lock_studio(mentorship.studio_id)
    mentorship = Mentorship.objects.get(pk=mentorship.pk)
    if isinstance(date, dt.date):
        ensure_year_open(studio, date.year)
    mentorship.studio = studio
    if not can(by, "progress", mentorship):
        raise PermissionDenied("只有本工作室成员可以记录带徒进展。")
    row = MentorshipNote(mentorship=mentorship, date=date, note=(note or "").strip(), by=by)
    _refuse_control_characters({"note": row.note})
    row.full_clean(exclude=["mentorship", "by"])
    if row.date > timezone.localdate() or row.date < mentorship.date:
        raise ValidationError({"date": "进展日期应在结对开始之后、今天之前。"})
    row.save()
    log_action(
        actor=by,
        action="ledger.mentorship.note_added",
        obj=mentorship,
        after={"note": row.pk, "date": row.date.isoformat(), "text": row.note},
    )
    return row


@transaction.atomic
def record_stage(project, *, by, stage, date, note=""):
    """Record one R17 stage of a project (each stage once, in order); the 结题评价 note is the closing evaluation."""
    require_write_access(by)
    studio = _lock_studio(project.studio_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if isinstance(date, dt.date):
        ensure_year_open(studio, date.year)
    project.studio = studio
    if not can(by, "progress", project):
        raise PermissionDenied("只有本工作室成员可以记录项目阶段。")
    if stage not in ProjectStage.values:
        raise ValidationError({"stage": "请选择项目阶段。"})
    done = list(project.stages.values_list("stage", "date"))
    order = ProjectStage.values
    if stage in {s for s, _ in done}:
        raise ValidationError({"stage": f"「{ProjectStage(stage).label}」已记录。"})
    expected = order[len(done)]
    if stage != expected:
        raise ValidationError({"stage": f"项目阶段须依次记录：下一阶段应为「{ProjectStage(expected).label}」。"})
    row = ProjectStageRecord(project=project, stage=stage, date=date, note=(note or "").strip(), by=by)
    _refuse_control_characters({"note": row.note})
    row.full_clean(exclude=["project", "by"])
    if date > timezone.localdate() or (done and date < done[-1][1]) or date < project.date:
        raise ValidationError({"date": "阶段日期不能早于上一阶段或项目登记日期，也不能晚于今天。"})
    if stage == ProjectStage.CLOSING and not row.note:
        raise ValidationError({"note": "结题评价须填写评价意见。"})
    row.save()
    if stage == ProjectStage.CLOSING:
        Project.objects.filter(pk=project.pk).update(closing_evaluation=row.note)
    log_action(
        actor=by,
        action="ledger.project.stage_recorded",
        obj=project,
        after={"stage": stage, "date": date.isoformat(), "note": row.note},
    )
    return row


def create_record_with_photos(model, *, studio, by, data, member_ids=(), photos=(), submit=False):
    """The phone's one step: a record, its photos (kind 现场照片) and optionally its submission, all or nothing —
    a bad photo leaves no record and no file behind."""
    saved = []
    try:
        with transaction.atomic():
            record = create_record(model, studio=studio, by=by, data=data, member_ids=member_ids)
            for upload in photos:
                saved.append(add_attachment(record, by=by, kind=AttachmentKind.PHOTO, upload=upload))
            if submit:
                submit_record(record, by=by)
    except BaseException:
        for attachment in saved:
            for field in (attachment.file, attachment.thumbnail):
                if field:
                    field.storage.delete(field.name)
        raise
    return record
