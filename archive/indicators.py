"""The indicator `archive_complete` (档案类别完整度, plans.indicators): the share of the policy's nine archive
categories (R15) holding at least one item for the year, in whole percent (truncated: 8 of 9 → 88). One SELECT over
the studios with one EXISTS per category source, joined into compute()'s one UNION statement.

An item counts when the archive holds it as final: a document uploaded into the archive; a ledger record confirmed
by the department with its evidence (ledger countable()); a photo attached to such a record (影像资料); an approved
plan (建设方案 covering the year, 年度工作计划 of the year). The waiting value is what submitted (not yet confirmed)
ledger records would add to the share once the department confirms them."""

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast

from ledger.enums import AchievementKind, AttachmentKind
from ledger.models import Achievement, Activity, Attachment, Meeting, Mentorship, Project
from plans.enums import PlanKind, PlanStatus
from plans.indicators import countable_q, in_year, provide_computation, waiting_q
from plans.models import Plan
from studios.models import Studio

from .categories import R15_CATEGORIES, Category
from .models import ArchiveDocument

KEY = "archive_complete"
SPECIAL = (AchievementKind.PATENT, AchievementKind.AWARD)


RECORD_MODELS = (
    (Activity, "activity"),
    (Mentorship, "mentorship"),
    (Meeting, "meeting"),
    (Project, "project"),
    (Achievement, "achievement"),
)


def _records(model, year, state_q, extra=None):
    rows = model.objects.filter(in_year(year), state_q(model), studio_id=OuterRef("pk"))
    return Exists(rows.filter(extra) if extra is not None else rows)


def _doc(year, category):
    return Exists(ArchiveDocument.objects.filter(studio_id=OuterRef("pk"), year=year, category=category))


def _photo(year, state):
    """A record of the year (in `state`) with a photo attached."""
    q = Q()
    for model, name in RECORD_MODELS:
        photo = Exists(Attachment.objects.filter(kind=AttachmentKind.PHOTO, **{name: OuterRef("pk")}))
        q |= Q(_records(model, year, state, Q(photo)))
    return q


def category_conditions(year, state):
    """Category → a boolean expression over Studio (OuterRef pk): does the archive hold an item of that category?"""
    approved = Plan.objects.filter(studio_id=OuterRef("pk"), status=PlanStatus.APPROVED)
    return {
        Category.RULES: _doc(year, Category.RULES),
        Category.CONSTRUCTION_PLAN: Q(
            Exists(approved.filter(kind=PlanKind.CONSTRUCTION, year__lte=year, year__gt=year - F("term_years")))
        )
        | Q(_doc(year, Category.CONSTRUCTION_PLAN)),
        Category.ANNUAL: Q(Exists(approved.filter(kind=PlanKind.ANNUAL, year=year))) | Q(_doc(year, Category.ANNUAL)),
        Category.RESEARCH: Q(_records(Project, year, state))
        | Q(_records(Achievement, year, state, ~Q(kind__in=SPECIAL)))
        | Q(_doc(year, Category.RESEARCH)),
        Category.PATENT: Q(_records(Achievement, year, state, Q(kind=AchievementKind.PATENT)))
        | Q(_doc(year, Category.PATENT)),
        Category.AWARD: Q(_records(Achievement, year, state, Q(kind=AchievementKind.AWARD)))
        | Q(_doc(year, Category.AWARD)),
        Category.MEETING: Q(_records(Meeting, year, state)) | Q(_doc(year, Category.MEETING)),
        Category.ACTIVITY: Q(_records(Activity, year, state))
        | Q(_records(Mentorship, year, state))
        | Q(_doc(year, Category.ACTIVITY)),
        Category.MEDIA: _photo(year, state) | Q(_doc(year, Category.MEDIA)),
    }


def _share(year, state):
    total = Value(0, output_field=IntegerField())
    for condition in category_conditions(year, state).values():
        total = total + Cast(condition, IntegerField())
    return (total * Value(100)) / Value(len(R15_CATEGORIES))


def _countable_or_waiting(model):
    return countable_q(model) | waiting_q(model)


def parts(studio_ids, year):
    """c: the share with confirmed records; w: what submitted (unconfirmed) records would add to it."""
    return [
        Studio.objects.filter(pk__in=studio_ids)
        .order_by()
        .annotate(confirmed_share=_share(year, countable_q))
        .annotate(
            c=F("confirmed_share"),
            w=_share(year, _countable_or_waiting) - F("confirmed_share"),
            tag=Value(KEY, output_field=CharField()),
        )
        .values_list("pk", "tag", "c", "w")
    ]


def register():
    provide_computation(KEY, parts, label="档案类别完整度：九类档案中本年度已有材料的类别占比（%，取整）")
