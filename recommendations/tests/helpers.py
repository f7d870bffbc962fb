"""Builders for recommendation tests: a studio whose data meets (or not) the 市级 catalogue."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from evaluation.enums import Grade, RoundStatus
from evaluation.models import EvaluationRound, Scorecard
from ledger.tests.helpers import make_studio
from people.enums import HonorLevel
from people.models import StaffProfile
from people.tests.factories import HonorFactory
from plans.tests.helpers import mentorship

TODAY = timezone.localdate()


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def confirmed_grade(studio, year, grade, *, total="88.00", by=None):
    round_ = EvaluationRound.objects.filter(year=year).first() or EvaluationRound.objects.create(
        year=year,
        title=f"{year}年度考核",
        status=RoundStatus.CONFIRMED,
        due_on=dt.date(year + 1, 3, 1),
        created_by=by or studio.master,
    )
    return Scorecard.objects.create(round=round_, studio=studio, confirmed_grade=grade, total=Decimal(total))


def city_ready_studio(department, *, name="数控技能大师工作室", apprentices=5, skill="2", grade=Grade.GOOD, honor=True):
    """A studio approved 3 years ago meeting every automatic 市级 requirement (the manual one stays 需人工核实)."""
    since = add_years(TODAY, -3)
    studio, master, team = make_studio(department, name=name, since=since)
    StaffProfile.objects.create(user=master, skill_level=skill, title="高级讲师", phone="13800000000",
                                birth_date=dt.date(1975, 3, 4))  # fmt: skip
    for i in range(apprentices):
        mentorship(studio, master, date=since + dt.timedelta(days=30 + i))
    if honor:
        HonorFactory(user=master, level=HonorLevel.CITY, title="市技术能手")
    if grade:
        confirmed_grade(studio, TODAY.year - 1, grade)
    return studio, master, team
