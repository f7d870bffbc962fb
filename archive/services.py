"""Writes of the archive. Each takes `by=`, runs in one transaction, locks the studio row (the ledger and plans lock it
too, so a write racing the archiving lands either before the freeze or is refused after it), checks the permission
through archive.permissions and leaves an audit event.

    frozen_check(studio_id, year)            the studios.freeze checker (registered in apps.ready())
    checklist(studio, year)                  what is missing before archiving: [{"code", "text"}]
    archive_year(studio, year, by, reason)   归档; missing items need teaching affairs' override reason
    archive_all(year, by, reason)            every active studio of the year; returns (archived, refused)
    upload_document(...)                     a document uploaded into the archive (core.uploads checks)
    add_addendum(object_type, object_id, by, reason, text)   补充说明 to an item of an archived year
    start_package(studio, year, by)          queue the zip's background task (archive.tasks.build_package_task)
"""

import datetime as dt
import hashlib
import os

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import can, require_write_access
from core.audit import log_action
from core.uploads import validate_upload
from ledger.enums import RecordStatus
from ledger.types import TYPES
from studios.enums import StudioStatus
from studios.freeze import ensure_year_open
from studios.models import ResponsibilityLetter, Studio
from studios.services import ensure_writable

from .categories import R15_CATEGORIES, Category, label
from .models import Addendum, ArchiveDocument, ArchivePackage, PackageStatus, YearArchive
from .permissions import StudioYear
from .sources import entries
from .tasks import build_package_task

FROZEN_MESSAGE = "工作室{year}年度的档案已归档，不能再修改；如需更正，请在档案中添加补充说明。"
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def frozen_check(studio_id, year):
    if YearArchive.objects.filter(studio_id=studio_id, year=year).exists():
        return FROZEN_MESSAGE.format(year=year)
    return None


def is_archived(studio_id, year):
    return YearArchive.objects.filter(studio_id=studio_id, year=year).exists()


def parse_year(value):
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": "年度应为四位数字。"}) from None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError({"year": f"年度须在{EARLIEST_YEAR}至{LATEST_YEAR}之间。"})
    return year


def _clean_text(name, value, limit, required=False):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: "此项为必填项。"})
    if len(value) > limit:
        raise ValidationError({name: f"最多 {limit} 个字。"})
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})
    return value


def _lock_studio(studio_id):
    return Studio.objects.select_for_update().get(pk=studio_id)


# --- checklist and archiving ----------------------------------------------------------------------------------------


def categories_present(studio_id, year):
    return {e.category for e in entries(studio_id, year)}


def checklist(studio, year, present=None):
    """What the studio-year lacks before archiving, as [{"code", "text"}] (empty: ready to archive). `present`: the
    categories holding an item, when the caller has already read the entries."""
    studio_id = getattr(studio, "pk", studio)
    missing = []
    if not ArchiveDocument.objects.filter(studio_id=studio_id, year=year, category=Category.ANNUAL).exists():
        missing.append({"code": "no_summary", "text": f"尚未上传{year}年度工作总结（类别：年度工作计划和总结）。"})
    for record_type in TYPES.values():
        rows = record_type.model.objects.filter(studio_id=studio_id, date__year=year)
        unconfirmed = rows.exclude(status=RecordStatus.CONFIRMED).count()
        if unconfirmed:
            missing.append({"code": "unconfirmed", "text": f"{record_type.label}有 {unconfirmed} 条尚未经系部确认。"})
        without = rows.with_evidence().filter(has_evidence=False).count()
        if without:
            missing.append({"code": "no_evidence", "text": f"{record_type.label}有 {without} 条缺少佐证材料。"})
    signed = ResponsibilityLetter.objects.filter(
        studio_id=studio_id,
        term_start__lte=dt.date(year, 12, 31),
        term_end__gte=dt.date(year, 1, 1),
        signed_on__isnull=False,
    ).exists()
    if not signed:
        missing.append({"code": "letter", "text": f"没有覆盖{year}年度的已签订责任书。"})
    present = categories_present(studio_id, year) if present is None else present
    for code in R15_CATEGORIES:
        if code not in present:
            missing.append({"code": "empty_category", "text": f"类别「{label(code)}」没有任何档案。"})
    return missing


@transaction.atomic
def archive_year(studio, year, *, by, override_reason=""):
    """归档 one studio-year: refused while the checklist names something missing, unless teaching affairs gives an
    override reason. Archiving twice is refused (the unique constraint decides a race: one wins)."""
    require_write_access(by)
    year = parse_year(year)
    studio = _lock_studio(getattr(studio, "pk", studio))
    if not can(by, "archive", StudioYear(studio, year)):
        raise PermissionDenied("只有教学工作部可以办理年度归档。")
    if year > timezone.localdate().year:
        raise ValidationError({"year": "不能归档尚未开始的年度。"})
    if YearArchive.objects.filter(studio=studio, year=year).exists():
        raise ValidationError(f"{studio.official_name}{year}年度已经归档。")
    reason = _clean_text("override_reason", override_reason, 2000)
    missing = checklist(studio, year)
    if missing and not reason:
        raise ValidationError(
            {"override_reason": ["归档前仍有缺项，请补齐，或填写放行理由：", *[m["text"] for m in missing]]}
        )
    try:
        with transaction.atomic():
            row = YearArchive.objects.create(
                studio=studio,
                year=year,
                archived_at=timezone.now(),
                archived_by=by,
                missing=missing,
                override_reason=reason if missing else "",
            )
    except IntegrityError:
        raise ValidationError(f"{studio.official_name}{year}年度已经归档。") from None
    log_action(
        actor=by,
        action="archive.year.overridden" if missing else "archive.year.archived",
        obj=row,
        after={"studio": studio.pk, "year": year, "missing": [m["text"] for m in missing]},
        note=reason if missing else "",
    )
    return row


def archive_all(year, *, by, override_reason=""):
    """Archive every active studio's `year` (each in its own transaction). Returns (archived, refused) where refused
    is [(studio name, Chinese reason)]."""
    year = parse_year(year)
    archived, refused = [], []
    done = set(YearArchive.objects.filter(year=year).values_list("studio_id", flat=True))
    for studio in Studio.objects.exclude(status=StudioStatus.REVOKED).exclude(pk__in=done).order_by("pk"):
        try:
            archived.append(archive_year(studio, year, by=by, override_reason=override_reason))
        except ValidationError as exc:
            refused.append((studio.official_name, "；".join(exc.messages)))
        except PermissionDenied as exc:
            refused.append((studio.official_name, str(exc)))
            break
    return archived, refused


# --- documents uploaded into the archive ----------------------------------------------------------------------------


def _sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


@transaction.atomic
def upload_document(
    studio, *, by, year, category, title, date, description="", upload=None, media_location="", media_duration=""
):
    """A document filed directly into the archive (rules, summary, certificate scan, or a video's metadata). The
    file is content-checked (core.uploads); a video is recorded by its storage location and duration."""
    require_write_access(by)
    year = parse_year(year)
    studio = ensure_writable(_lock_studio(getattr(studio, "pk", studio)))
    if not can(by, "upload", StudioYear(studio, year)):
        raise PermissionDenied("只有本工作室的技能大师、在册成员或教学工作部可以向档案上传文件。")
    ensure_year_open(studio, year)
    if category not in Category.values:
        raise ValidationError({"category": "请选择档案类别。"})
    title = _clean_text("title", title, 200, required=True)
    description = _clean_text("description", description, 2000)
    media_location = _clean_text("media_location", media_location, 300)
    media_duration = _clean_text("media_duration", media_duration, 20)
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "请填写日期。"})
    if date.year != year:
        raise ValidationError({"date": f"日期须在{year}年内。"})
    if date > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天。"})
    if upload is None and not media_location:
        raise ValidationError({"file": "请上传文件，或填写影像资料的存放位置。"})
    doc = ArchiveDocument(
        studio=studio,
        year=year,
        category=category,
        title=title,
        description=description,
        date=date,
        media_location=media_location,
        media_duration=media_duration,
        uploaded_by=by,
    )
    if upload is not None:
        try:
            validate_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        name = os.path.basename(getattr(upload, "name", "") or "")[:200]
        doc.original_name = name
        doc.size = upload.size
        doc.sha256 = _sha256(upload)
        doc.file.save(name or "document", upload, save=False)
    try:
        doc.full_clean(exclude=["studio", "uploaded_by", "file"])
        doc.save()
        log_action(
            actor=by,
            action="archive.document.uploaded",
            obj=doc,
            after={
                "studio": studio.pk,
                "year": year,
                "category": category,
                "title": title,
                "name": doc.original_name,
                "sha256": doc.sha256,
                "media_location": media_location,
            },
        )
    except BaseException:
        if doc.file:
            doc.file.storage.delete(doc.file.name)
        raise
    return doc


# --- addenda --------------------------------------------------------------------------------------------------------

ADDENDUM_TARGETS = {
    **{f"ledger.{t.name}": "date" for t in TYPES.values()},
    "plans.plan": "year",
    "archive.archivedocument": "year",
}


def resolve_target(object_type, object_id):
    """(object, studio_id, year, title) of an addendum's original, or ValidationError."""
    if object_type not in ADDENDUM_TARGETS:
        raise ValidationError({"object_type": "该类记录不能添加补充说明。"})
    model = apps.get_model(object_type)
    try:
        obj = model.objects.get(pk=int(object_id))
    except (ObjectDoesNotExist, TypeError, ValueError, OverflowError):
        raise ValidationError({"object_id": "原记录不存在。"}) from None
    attr = ADDENDUM_TARGETS[object_type]
    year = getattr(obj, attr).year if attr == "date" else getattr(obj, attr)
    return obj, obj.studio_id, year, str(obj)[:200]


@transaction.atomic
def add_addendum(object_type, object_id, *, by, reason, text):
    """补充说明 to a record or document of an archived year: the original is not changed."""
    require_write_access(by)
    obj, studio_id, year, title = resolve_target(object_type, object_id)
    studio = _lock_studio(studio_id)
    if not can(by, "addendum", StudioYear(studio, year)):
        raise PermissionDenied("只有本工作室成员或教学工作部可以添加补充说明。")
    if not is_archived(studio.pk, year):
        raise ValidationError(f"{year}年度尚未归档，请直接修改原记录。")
    reason = _clean_text("reason", reason, 1000, required=True)
    text = _clean_text("text", text, 4000, required=True)
    row = Addendum.objects.create(
        studio=studio,
        year=year,
        object_type=object_type,
        object_id=obj.pk,
        object_title=title,
        reason=reason,
        text=text,
        created_by=by,
    )
    log_action(
        actor=by,
        action="archive.addendum.added",
        obj=row,
        after={"object_type": object_type, "object_id": obj.pk, "reason": reason, "text": text},
    )
    return row


def addenda_for(object_type, object_id):
    return list(Addendum.objects.filter(object_type=object_type, object_id=object_id).select_related("created_by"))


# --- packages -------------------------------------------------------------------------------------------------------


def start_package(studio, year, *, by, run=True):
    """Queue the archive package of one studio-year; the background task builds it. One package at a time per
    studio-year: while one is queued or running, it is returned instead of a second."""
    require_write_access(by)
    year = parse_year(year)
    with transaction.atomic():
        studio = _lock_studio(getattr(studio, "pk", studio))
        if not can(by, "package", StudioYear(studio, year)):
            raise PermissionDenied("只有教学工作部或本工作室的技能大师可以生成档案包。")
        pending = ArchivePackage.objects.filter(
            studio=studio, year=year, status__in=(PackageStatus.QUEUED, PackageStatus.RUNNING)
        ).first()
        if pending is not None:
            return pending
        package = ArchivePackage.objects.create(studio=studio, year=year, requested_by=by)
        log_action(actor=by, action="archive.package.started", obj=package, after={"studio": studio.pk, "year": year})
        if run:
            transaction.on_commit(lambda: build_package_task.enqueue(package_id=package.pk))
    return package
