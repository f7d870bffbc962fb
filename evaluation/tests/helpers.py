"""Builders for evaluation tests: studios with an approved annual plan of the year (targets per indicator), the
confirmed evidenced records that meet them, annual reports, and a round taken to the committee."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.enums import Role
from annual.models import AnnualReport, ReportStatus
from ledger.tests.helpers import make_studio
from plans.actuals import indicators_for
from plans.enums import PlanKind, PlanStatus
from plans.models import Plan, PlanTarget
from plans.tests.helpers import activity
from tests.factories import UserFactory

YEAR = timezone.localdate().year - 1


def plan_with_targets(studio, year=YEAR, **targets):
    """An approved annual plan of `year`: every indicator's target 0 (met) unless named in `targets`."""
    indicators = indicators_for(year)
    plan = Plan.objects.create(
        studio=studio,
        kind=PlanKind.ANNUAL,
        year=year,
        status=PlanStatus.APPROVED,
        indicator_set=indicators[0].indicator_set,
        created_by_id=studio.master_id,
        approved_on=dt.date(year, 1, 20),
    )
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, indicator=i, target=Decimal(targets.get(i.key, 0))) for i in indicators
    )
    return plan


def report(studio, year=YEAR, *, status=ReportStatus.RECEIVED, on=None, late=False):
    on = on or dt.datetime(year + 1, 1, 15, 10, tzinfo=dt.UTC)
    return AnnualReport.objects.create(
        studio=studio, year=year, status=status, submitted_at=on, late=late, created_by_id=studio.master_id
    )


def full_marks_studio(department, name, year=YEAR):
    """Targets: 2 exchange events and the approved plan (plan_and_meetings 1); both met with confirmed records."""
    studio, master, team = make_studio(department, name=name)
    plan_with_targets(studio, year, exchange_events=2, plan_and_meetings=1)
    for month in (3, 6):
        activity(studio, master, date=dt.date(year, month, 10), kind="exchange")
    report(studio, year)
    return studio, master, team


def weak_studio(department, name, year=YEAR, *, with_report=True):
    """Default targets (no plan) and no records: a low total."""
    studio, master, team = make_studio(department, name=name)
    if with_report:
        report(studio, year)
    return studio, master, team


def people(department):
    dev = UserFactory(department=None, display_name="发改室甲", roles=[Role.DEV_OFFICE])
    committee = [UserFactory(department=None, display_name=f"委员{i}", roles=[Role.COMMITTEE]) for i in range(3)]
    return dev, committee


def meet_and_vote(round_, members, *, held_on=None, decisions=None):
    """Record a meeting with `members` present and each of them vote (同意 unless `decisions` {member: (decision,
    reason)} says otherwise); returns the meeting."""
    from evaluation import services
    from evaluation.enums import VoteDecision

    held_on = held_on or dt.date(round_.year + 1, 3, 5)
    meeting = services.record_meeting(round_, by=members[0], held_on=held_on, members=members)
    for member in members:
        decision, reason = (decisions or {}).get(member, (VoteDecision.AGREE, ""))
        services.cast_vote(round_, by=member, decision=decision, reason=reason)
    return meeting
