"""core.dbfunctions give what Django's ExtractYear / TruncDate / F ± timedelta give, natively on each database."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateField, DateTimeField, ExpressionWrapper, Value
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from core.dbfunctions import LocalDate, ShiftDays, Year

pytestmark = pytest.mark.django_db

# UTC instants around local (Asia/Shanghai, +08:00) midnight and a year's turn, a leap day, microseconds
INSTANTS = [
    dt.datetime(2025, 12, 31, 15, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2025, 12, 31, 16, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2024, 2, 28, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 6, 1, 0, 0, 1, 500, tzinfo=dt.UTC),
]


def _one(**annotations):
    """The annotations evaluated by the database on one row of a table that always has rows."""
    return ContentType.objects.order_by("pk").annotate(**annotations).values(*annotations)[0]


def _at(instant):
    return Value(instant, output_field=DateTimeField())


@pytest.mark.parametrize("instant", INSTANTS)
def test_local_date_and_year_equal_django_functions(instant):
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
    row = _one(ours=LocalDate(_at(instant)), django=TruncDate(_at(instant)))
    assert row["ours"] == row["django"] == timezone.localtime(instant).date()
    day = Value(row["django"], output_field=DateField())
    years = _one(ours=Year(day), django=ExtractYear(day))
    assert years["ours"] == years["django"] == row["django"].year


@pytest.mark.parametrize("days", [7, -7, 0, 366])
@pytest.mark.parametrize("instant", INSTANTS)
def test_shift_days_equals_timedelta_arithmetic(instant, days):
    django = ExpressionWrapper(_at(instant) + Value(dt.timedelta(days=days)), output_field=DateTimeField())
    row = _one(ours=ShiftDays(_at(instant), days), django=django)
    ours = row["ours"] if row["ours"].tzinfo else row["ours"].replace(tzinfo=dt.UTC)
    assert row["django"] == instant + dt.timedelta(days=days)
    # SQLite's datetime() drops microseconds: the shifted bound is at most a second early, never late
    assert dt.timedelta(0) <= row["django"] - ours < dt.timedelta(seconds=1)


@pytest.mark.parametrize("days", [-1, 29])
def test_shift_days_of_a_date_is_a_date(days):
    day = Value(dt.date(2024, 2, 28), output_field=DateField())
    assert _one(d=ShiftDays(day, days))["d"] == dt.date(2024, 2, 28) + dt.timedelta(days=days)


def test_shift_days_refuses_anything_but_an_int():
    with pytest.raises(TypeError):
        ShiftDays("at", "7 days'); DROP TABLE x; --")
