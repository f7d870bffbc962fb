"""The personal calendar feed (integrations.calendar) carries the annual report's due date for its writers while the
report is not submitted."""

import datetime as dt

import pytest
from django.utils import timezone

from annual import services
from integrations import calendar
from ledger.tests.helpers import make_studio

from .helpers import TEXT

pytestmark = pytest.mark.django_db


def test_master_sees_due_date_until_submitted(department):
    today = timezone.localdate()
    year = today.year
    studio, master, team = make_studio(department, since=dt.date(year - 2, 1, 1))
    now = timezone.make_aware(dt.datetime(year, 1, 10, 9))
    entries = [e for e in calendar.entries_for(master, now=now) if e.uid.startswith("annual-")]
    assert [(e.uid, e.start) for e in entries] == [
        (f"annual-{studio.pk}-{year - 1}", dt.date(year, 1, 31)),
        (f"annual-{studio.pk}-{year}", dt.date(year + 1, 1, 31)),
    ]
    assert not [e for e in calendar.entries_for(team[0], now=now) if e.uid.startswith("annual-")]
    report = services.save_report(by=master, studio=studio, year=year - 1, data=TEXT)
    services.submit_report(report, by=master)
    left = [e.uid for e in calendar.entries_for(master, now=now) if e.uid.startswith("annual-")]
    assert left == [f"annual-{studio.pk}-{year}"]


def test_due_dates_in_one_statement_equal_due_date(django_assert_num_queries):
    from people.models import PolicyVersion

    PolicyVersion.objects.create(year=2031, annual_report_due_month=2, annual_report_due_day=15)
    with django_assert_num_queries(1):
        dues = services.due_dates([2029, 2030, 2031])
    assert dues == {y: services.due_date(y) for y in (2029, 2030, 2031)}
    assert dues[2030] == dt.date(2031, 2, 15)
