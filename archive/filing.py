"""The archive's own sources (archive.sources): the ledger's records and attachments, the plans of the year, the
responsibility letter and the documents uploaded directly into the archive.

Why computed instead of copied rows: a record exists once — in the ledger or the plans — and the archive is a view
over it, so an edit made before archiving shows in the archive at once, and after archiving studios.freeze keeps the
originals unchanged. Each source runs a fixed number of queries whatever the number of rows."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from ledger.enums import AchievementKind, AttachmentKind
from ledger.models import Attachment
from ledger.types import TYPES
from plans.documents import plan_pdf
from plans.enums import PlanKind, PlanStatus
from plans.models import Plan
from studios.models import ResponsibilityLetter

from .categories import Category
from .models import ArchiveDocument
from .sources import ArchiveEntry, register_source

RECORD_CATEGORY = {
    "activity": Category.ACTIVITY,
    "mentorship": Category.ACTIVITY,
    "meeting": Category.MEETING,
    "project": Category.RESEARCH,
    "achievement": Category.RESEARCH,
}


def record_category(record):
    name = record._meta.model_name
    if name == "achievement":
        if record.kind == AchievementKind.PATENT:
            return Category.PATENT
        if record.kind == AchievementKind.AWARD:
            return Category.AWARD
    return RECORD_CATEGORY[name]


def record_url(record_type, pk):
    return reverse("ledger:detail", kwargs={"kind": record_type.slug, "pk": pk})


def ledger_records(studio_id, year):
    """Every record of the year (typed minutes and notes count for their category even without a file)."""
    for record_type in TYPES.values():
        rows = record_type.model.objects.filter(studio_id=studio_id, date__year=year).order_by("date", "pk")
        for record in rows:
            yield ArchiveEntry(
                title=record.title,
                date=record.date,
                category=record_category(record),
                description=f"{record_type.label} · {record.get_status_display()} · {record.description[:200]}",
                url=record_url(record_type, record.pk),
                key=f"{record_type.name}-{record.pk}",
            )


def ledger_attachments(studio_id, year):
    """The evidence files of the year's records; photos are 影像资料."""
    for record_type in TYPES.values():
        name = record_type.name
        rows = (
            Attachment.objects.filter(**{f"{name}__studio_id": studio_id, f"{name}__date__year": year})
            .select_related(name)
            .order_by("pk")
        )
        for attachment in rows:
            record = getattr(attachment, name)
            category = Category.MEDIA if attachment.kind == AttachmentKind.PHOTO else record_category(record)
            yield ArchiveEntry(
                title=f"{record.title} · {attachment.get_kind_display()}",
                date=record.date,
                category=category,
                file=attachment.file,
                description=attachment.original_name,
                url=record_url(record_type, record.pk),
                key=f"attachment-{attachment.pk}",
                size=attachment.size,
            )


def plans_of_year(studio_id, year):
    """The approved 年度工作计划 of the year and the approved 建设方案 whose term covers it, as generated PDFs."""
    rows = (
        Plan.objects.filter(studio_id=studio_id, status=PlanStatus.APPROVED, year__lte=year)
        .filter(Q(kind=PlanKind.ANNUAL, year=year) | Q(kind=PlanKind.CONSTRUCTION))
        .order_by("kind", "year", "version")
    )
    for plan in rows:
        if plan.last_year < year:
            continue
        category = Category.ANNUAL if plan.kind == PlanKind.ANNUAL else Category.CONSTRUCTION_PLAN
        yield ArchiveEntry(
            title=str(plan),
            date=plan.approved_on or dt.date(year, 1, 1),
            category=category,
            description=(plan.goals or "")[:200],
            url=reverse("plans:detail", kwargs={"pk": plan.pk}),
            key=f"plan-{plan.pk}",
            render=lambda plan=plan: plan_pdf(plan)[:2],
        )


def letters_of_year(studio_id, year):
    """The signed responsibility letter (责任书) whose term covers the year."""
    rows = ResponsibilityLetter.objects.filter(
        studio_id=studio_id,
        term_start__lte=dt.date(year, 12, 31),
        term_end__gte=dt.date(year, 1, 1),
        signed_on__isnull=False,
    ).order_by("term_start", "pk")
    for letter in rows:
        yield ArchiveEntry(
            title=f"责任书（{letter.term_start:%Y-%m-%d} 至 {letter.term_end:%Y-%m-%d}）",
            date=letter.signed_on,
            category=Category.OTHER,
            file=letter.signed_file,
            description=letter.signed_file_name,
            key=f"letter-{letter.pk}",
        )


def documents_of_year(studio_id, year):
    """Documents uploaded directly into the archive (rules, summaries, video metadata)."""
    for doc in ArchiveDocument.objects.filter(studio_id=studio_id, year=year).order_by("date", "pk"):
        description = doc.description
        if doc.media_location:
            description = f"{description} 存放位置：{doc.media_location} {doc.media_duration}".strip()
        yield ArchiveEntry(
            title=doc.title,
            date=doc.date,
            category=doc.category,
            file=doc.file or None,
            description=description,
            url=reverse("archive:document", kwargs={"pk": doc.pk}),
            key=f"document-{doc.pk}",
            size=doc.size or None,
        )


def register():
    register_source("ledger.record", Category.ACTIVITY, ledger_records, label="建设记录")
    register_source("ledger.attachment", Category.ACTIVITY, ledger_attachments, label="建设记录佐证材料")
    register_source("plans.plan", Category.ANNUAL, plans_of_year, label="建设方案与年度计划")
    register_source("studios.letter", Category.OTHER, letters_of_year, label="责任书")
    register_source("archive.document", Category.OTHER, documents_of_year, label="档案上传文件")
