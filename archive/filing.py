"""The archive's own sources (archive.sources): the ledger's records and attachments, the plans of the year, the
responsibility letter and the documents uploaded directly into the archive.

Why computed instead of copied rows: a record exists once — in the ledger or the plans — and the archive is a view
over it, so an edit made before archiving shows in the archive at once, and after archiving studios.freeze keeps the
originals unchanged. Each source runs a fixed number of queries whatever the number of rows.

The search (q) runs in SQL: each source builds its entries' title and description twice — in Python for the entry,
and as SQL expressions (the *_text functions below) for search_filter() — and archive/tests/test_search.py checks
that both give the same text, so the SQL search finds exactly what the Python test `q in title + " " + description`
found before."""

import datetime as dt

from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat, Substr, Trim
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
from .sources import ArchiveEntry, register_source, search_filter

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


def display(field, prefix=""):
    """SQL of get_FOO_display(): the choice's label, or the stored value when it is not a choice."""
    name = f"{prefix}{field.name}"
    whens = [When(**{name: value}, then=Value(str(text))) for value, text in field.flatchoices]
    return Case(*whens, default=F(name), output_field=TextField())


DESCRIPTION_CHARS = 200


def record_description_text(record_type):
    """SQL of a ledger entry's description: f"{label} · {status} · {description[:200]}"."""
    status = display(record_type.model._meta.get_field("status"))
    return Concat(
        Value(f"{record_type.label} · "), status, Value(" · "), Substr("description", 1, DESCRIPTION_CHARS),
        output_field=TextField(),
    )  # fmt: skip


def ledger_records(studio_id, year, q=None):
    """Every record of the year (typed minutes and notes count for their category even without a file)."""
    for record_type in TYPES.values():
        rows = record_type.model.objects.filter(studio_id=studio_id, date__year=year).order_by("date", "pk")
        rows = search_filter(rows, q, F("title"), record_description_text(record_type))
        for record in rows:
            yield ArchiveEntry(
                title=record.title,
                date=record.date,
                category=record_category(record),
                description=f"{record_type.label} · {record.get_status_display()} · "
                f"{record.description[:DESCRIPTION_CHARS]}",
                url=record_url(record_type, record.pk),
                key=f"{record_type.name}-{record.pk}",
            )


def attachment_title_text(name):
    """SQL of an attachment entry's title: f"{record.title} · {kind}"."""
    kind = display(Attachment._meta.get_field("kind"))
    return Concat(F(f"{name}__title"), Value(" · "), kind, output_field=TextField())


def ledger_attachments(studio_id, year, q=None):
    """The evidence files of the year's records; photos are 影像资料."""
    for record_type in TYPES.values():
        name = record_type.name
        rows = (
            Attachment.objects.filter(**{f"{name}__studio_id": studio_id, f"{name}__date__year": year})
            .select_related(name)
            .order_by("pk")
        )
        rows = search_filter(rows, q, attachment_title_text(name), F("original_name"))
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


def plan_title_text():
    """SQL of str(plan): "2025–2027年建设方案（第1版）" or "2025年年度工作计划（第2版）"."""
    span = Case(
        When(
            kind=PlanKind.CONSTRUCTION,
            then=Concat(F("year"), Value("–"), F("year") + F("term_years") - 1, output_field=TextField()),
        ),
        default=Concat(F("year"), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    kind = display(Plan._meta.get_field("kind"))
    return Concat(span, Value("年"), kind, Value("（第"), F("version"), Value("版）"), output_field=TextField())


def plans_of_year(studio_id, year, q=None):
    """The approved 年度工作计划 of the year and the approved 建设方案 whose term covers it, as generated PDFs."""
    rows = (
        Plan.objects.filter(studio_id=studio_id, status=PlanStatus.APPROVED, year__lte=year)
        .filter(Q(kind=PlanKind.ANNUAL, year=year) | Q(kind=PlanKind.CONSTRUCTION))
        .order_by("kind", "year", "version")
    )
    rows = search_filter(rows, q, plan_title_text(), Substr("goals", 1, DESCRIPTION_CHARS))
    for plan in rows:
        if plan.last_year < year:
            continue
        category = Category.ANNUAL if plan.kind == PlanKind.ANNUAL else Category.CONSTRUCTION_PLAN
        yield ArchiveEntry(
            title=str(plan),
            date=plan.approved_on or dt.date(year, 1, 1),
            category=category,
            description=(plan.goals or "")[:DESCRIPTION_CHARS],
            url=reverse("plans:detail", kwargs={"pk": plan.pk}),
            key=f"plan-{plan.pk}",
            render=lambda plan=plan: plan_pdf(plan)[:2],
        )


def letter_title_text():
    """SQL of a letter entry's title (dates as ISO text: SQLite stores them so, PostgreSQL's date::text gives it)."""
    return Concat(
        Value("责任书（"), F("term_start"), Value(" 至 "), F("term_end"), Value("）"), output_field=TextField()
    )


def letters_of_year(studio_id, year, q=None):
    """The signed responsibility letter (责任书) whose term covers the year."""
    rows = ResponsibilityLetter.objects.filter(
        studio_id=studio_id,
        term_start__lte=dt.date(year, 12, 31),
        term_end__gte=dt.date(year, 1, 1),
        signed_on__isnull=False,
    ).order_by("term_start", "pk")
    rows = search_filter(rows, q, letter_title_text(), F("signed_file_name"))
    for letter in rows:
        yield ArchiveEntry(
            title=f"责任书（{letter.term_start:%Y-%m-%d} 至 {letter.term_end:%Y-%m-%d}）",
            date=letter.signed_on,
            category=Category.OTHER,
            file=letter.signed_file,
            description=letter.signed_file_name,
            key=f"letter-{letter.pk}",
        )


def document_description_text():
    """SQL of a document entry's description: with a storage place, f"{description} 存放位置：{place} {duration}"
    without leading and trailing spaces."""
    media = Concat(
        F("description"), Value(" 存放位置："), F("media_location"), Value(" "), F("media_duration"),
        output_field=TextField(),
    )  # fmt: skip
    return Case(When(media_location="", then=F("description")), default=Trim(media), output_field=TextField())


def documents_of_year(studio_id, year, q=None):
    """Documents uploaded directly into the archive (rules, summaries, video metadata)."""
    rows = ArchiveDocument.objects.filter(studio_id=studio_id, year=year).order_by("date", "pk")
    for doc in search_filter(rows, q, F("title"), document_description_text()):
        description = doc.description
        if doc.media_location:
            # spaces only, as SQL's TRIM (the forms strip every other whitespace on input)
            description = f"{description} 存放位置：{doc.media_location} {doc.media_duration}".strip(" ")
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
