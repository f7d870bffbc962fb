"""The indicator `archive_complete` (档案类别完整度, plans.indicators): the share of the policy's nine archive
categories (R15) holding at least one item for the year, in whole percent (truncated: 8 of 9 → 88).

An item counts when the archive holds it as final: a document uploaded into the archive; a ledger record confirmed
by the department with its evidence (ledger countable()); a photo attached to such a record (影像资料); an approved
plan (建设方案 covering the year, 年度工作计划 of the year). The waiting value is what submitted (not yet confirmed)
ledger records would add to the share once the department confirms them.

Each source is one grouped SELECT over its own table (`studio_id IN (…)`, indexed), joined into compute()'s one UNION
statement with a tag naming the source; `combine()` turns a studio's source counts into the share. (A first version
correlated ~50 EXISTS per studio row: 2–5 s at 2,000 studios on PostgreSQL, past the statement timeout under load.)"""

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat

from ledger.enums import AchievementKind, AttachmentKind
from ledger.models import Achievement, Activity, Attachment, Meeting, Mentorship, Project
from plans.enums import PlanKind, PlanStatus
from plans.indicators import countable_q, in_year, provide_computation, waiting_q
from plans.models import Plan

from .categories import R15_CATEGORIES, Category
from .models import ArchiveDocument

KEY = "archive_complete"
SPECIAL = (AchievementKind.PATENT, AchievementKind.AWARD)
DOC = "doc:"

RECORD_MODELS = (
    (Activity, "activity"),
    (Mentorship, "mentorship"),
    (Meeting, "meeting"),
    (Project, "project"),
    (Achievement, "achievement"),
)

# Ledger sources: tag → (model, extra filter, category). A record source counts records of the year; "photo:" sources
# count such records with a photo attached (影像资料).
LEDGER_SOURCES = {
    "project": (Project, None, Category.RESEARCH),
    "research": (Achievement, ~Q(kind__in=SPECIAL), Category.RESEARCH),
    "patent": (Achievement, Q(kind=AchievementKind.PATENT), Category.PATENT),
    "award": (Achievement, Q(kind=AchievementKind.AWARD), Category.AWARD),
    "meeting": (Meeting, None, Category.MEETING),
    "activity": (Activity, None, Category.ACTIVITY),
    "mentorship": (Mentorship, None, Category.ACTIVITY),
    **{f"photo:{name}": (model, "photo", Category.MEDIA) for model, name in RECORD_MODELS},
}
PLAN_SOURCES = {"plan:construction": Category.CONSTRUCTION_PLAN, "plan:annual": Category.ANNUAL}


def _tag(source):
    return Value(f"{KEY}#{source}", output_field=CharField())


def _ledger_part(studio_ids, year, source):
    model, extra, _category = LEDGER_SOURCES[source]
    rows = model.objects.filter(in_year(year), studio_id__in=studio_ids)
    if extra == "photo":
        name = dict(RECORD_MODELS)[model]
        rows = rows.filter(Exists(Attachment.objects.filter(kind=AttachmentKind.PHOTO, **{name: OuterRef("pk")})))
    elif extra is not None:
        rows = rows.filter(extra)
    confirmed = countable_q(model)
    return (
        rows.filter(confirmed | waiting_q(model))
        .order_by()
        .values("studio_id")
        .annotate(c=Count("pk", filter=confirmed), w=Count("pk"), tag=_tag(source))
        .values_list("studio_id", "tag", "c", "w")
    )


def _plan_part(studio_ids, year, source):
    plans = Plan.objects.filter(studio_id__in=studio_ids, status=PlanStatus.APPROVED)
    if source == "plan:construction":
        plans = plans.filter(kind=PlanKind.CONSTRUCTION, year__lte=year, year__gt=year - F("term_years"))
    else:
        plans = plans.filter(kind=PlanKind.ANNUAL, year=year)
    return (
        plans.order_by()
        .values("studio_id")
        .annotate(c=Count("pk"), w=Count("pk"), tag=_tag(source))
        .values_list("studio_id", "tag", "c", "w")
    )


def _document_part(studio_ids, year):
    return (
        ArchiveDocument.objects.filter(studio_id__in=studio_ids, year=year)
        .order_by()
        .values("studio_id", "category")
        .annotate(
            c=Count("pk"),
            w=Count("pk"),
            tag=Concat(Value(f"{KEY}#{DOC}"), "category", output_field=CharField()),
        )
        .values_list("studio_id", "tag", "c", "w")
    )


def parts(studio_ids, year):
    """Rows (studio_id, "archive_complete#<source>", confirmed items, confirmed-or-waiting items) per source."""
    return [
        _document_part(studio_ids, year),
        *(_plan_part(studio_ids, year, source) for source in PLAN_SOURCES),
        *(_ledger_part(studio_ids, year, source) for source in LEDGER_SOURCES),
    ]


def category_of(source):
    if source.startswith(DOC):
        return source[len(DOC) :]
    return PLAN_SOURCES.get(source) or LEDGER_SOURCES[source][2]


def share(count):
    return count * 100 // len(R15_CATEGORIES)


def combine(sources):
    """{source: (confirmed, confirmed or waiting)} of one studio → (share, what waiting records would add)."""
    confirmed = {category_of(s) for s, (c, _w) in sources.items() if c} & set(R15_CATEGORIES)
    with_waiting = {category_of(s) for s, (_c, w) in sources.items() if w} & set(R15_CATEGORIES)
    return share(len(confirmed)), share(len(with_waiting)) - share(len(confirmed))


def register():
    provide_computation(
        KEY, parts, combine=combine, label="档案类别完整度：九类档案中本年度已有材料的类别占比（%，取整）"
    )
