"""send_reminders: 14, 7 and 1 day(s) before the due date and once when overdue, to the master and the contact
person of each studio whose report is not submitted; running twice sends nothing new; other apps' sources join."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annual import reminders, services
from annual.models import Reminder
from core.models import Notification
from ledger.tests.helpers import make_studio
from studios.models import Membership

from .helpers import TEXT

pytestmark = pytest.mark.django_db
YEAR = 2025
DUE = dt.date(2026, 1, 31)


def run(day):
    out = StringIO()
    call_command("send_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def studios(department, other_department):
    """A studio with a contact person (not submitted), and one that submitted on time."""
    waiting, master, team = make_studio(department, since=dt.date(2024, 3, 1))
    contact = Membership.objects.get(studio=waiting, user=team[0])
    type(waiting).objects.filter(pk=waiting.pk).update(contact=contact)
    done, done_master, _ = make_studio(other_department, name="焊接技能大师工作室", since=dt.date(2024, 3, 1))
    report = services.save_report(by=done_master, studio=done, year=YEAR, data=TEXT)
    from django.utils import timezone

    services.submit_report(report, by=done_master, now=timezone.make_aware(dt.datetime(2026, 1, 10, 9)))
    return {"master": master, "contact": team[0], "done_master": done_master, "studio": waiting}


def test_schedule_is_exact_and_idempotent(studios, django_capture_on_commit_callbacks):
    sent_days = []
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2026, 3, 15):
        with django_capture_on_commit_callbacks(execute=True):
            before = Reminder.objects.count()
            run(day)
            if Reminder.objects.count() > before:
                sent_days.append(day)
        day += dt.timedelta(days=1)
    assert sent_days == [DUE - dt.timedelta(days=14), DUE - dt.timedelta(days=7), DUE - dt.timedelta(days=1),
                         DUE + dt.timedelta(days=1)]  # fmt: skip
    kinds = sorted(Reminder.objects.values_list("recipient_id", "kind"))
    writers = sorted([studios["master"].pk, studios["contact"].pk])
    assert kinds == sorted(
        (pk, kind) for pk in writers for kind in ("annual.due_14", "annual.due_7", "annual.due_1", "annual.overdue")
    )
    assert not Reminder.objects.filter(recipient=studios["done_master"]).exists()
    notes = Notification.objects.filter(recipient=studios["master"], title__contains="年度工作报告")
    assert notes.count() == 4


def test_twice_the_same_day_sends_nothing_new(studios, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = run(DUE - dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        second = run(DUE - dt.timedelta(days=7))
    assert "已发送提醒 2 条" in first and "已发送提醒 0 条" in second
    assert Notification.objects.filter(recipient=studios["master"]).count() == 1
    # overdue: once, whatever day the command first sees the report missing (catch-up with --date)
    with django_capture_on_commit_callbacks(execute=True):
        run(DUE + dt.timedelta(days=5))
        run(DUE + dt.timedelta(days=6))
    assert Reminder.objects.filter(kind="annual.overdue").count() == 2


def test_submitted_report_stops_the_reminders(studios):
    report = services.save_report(by=studios["master"], studio=studios["studio"], year=YEAR, data=TEXT)
    services.submit_report(report, by=studios["master"])
    run(DUE - dt.timedelta(days=1))
    assert Reminder.objects.count() == 0


def test_registered_source_joins(studios, django_capture_on_commit_callbacks):
    def pending(today):
        yield reminders.Due(
            recipient=studios["done_master"], subject=studios["studio"], kind="evaluation.pending", day=today,
            title="您有待完成的评审",
        )  # fmt: skip

    reminders.register_reminder_source(pending)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(dt.date(2026, 6, 1))
            run(dt.date(2026, 6, 1))
    finally:
        reminders._SOURCES.remove(pending)
    assert Reminder.objects.filter(kind="evaluation.pending").count() == 1
    assert Notification.objects.filter(recipient=studios["done_master"], title="您有待完成的评审").count() == 1


def test_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", date="2026-13-40", stdout=StringIO())
