"""Reminders sent by `manage.py send_reminders` (run daily by cron; README "定时任务"), in-app (core.notifications)
and by e-mail (notify() queues the e-mail copy for a recipient with an address).

Idempotent: each reminder sent is a `Reminder` row, unique on (recipient, subject object, kind, day); a reminder
whose row exists is not sent again, so running the command twice on a day — or catching up with `--date` — sends
nothing new. `day` is the day the reminder belongs to (the scheduled day; for "overdue", the day after the due date,
so it is sent once whatever day the command first sees the report missing).

Sources: a function `source(today) -> iterable[Due]` registered with `register_reminder_source(fn)`. This app
registers the annual-report source: the writers (master and contact person) of every active studio that owes a report
on last year and has not submitted it are reminded 14, 7 and 1 day(s) before the due date (annual.services.due_date)
and once when it is overdue.

For later apps (evaluation): register your source from your AppConfig.ready() — annual is a lower layer, so import it
there, never the other way round:

    from annual.reminders import Due, register_reminder_source

    def pending_reviews(today):
        for assignment in ...:                    # e.g. scorecards a committee member has not confirmed
            yield Due(recipient=assignment.user, subject=assignment.round, kind="evaluation.pending",
                      day=today, title="您有待完成的年度考核评审", body="…", url="/evaluation/…")

    register_reminder_source(pending_reviews)

`kind` is a short code (≤ 40 characters) naming the reminder; `day` decides how often it repeats: `day=today` sends
at most once a day, a fixed date (e.g. the round's deadline) at most once in all.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from core.notifications import notify

from .models import AnnualReport, Reminder
from .permissions import writer_ids
from .services import due_date, due_studios

logger = logging.getLogger(__name__)

SCHEDULE_DAYS = (14, 7, 1)


@dataclass(frozen=True)
class Due:
    """One reminder that should be sent: to `recipient` about `subject` (a saved model instance)."""

    recipient: object
    subject: object
    kind: str
    day: dt.date
    title: str
    body: str = ""
    url: str = ""


_SOURCES: list = []


def register_reminder_source(fn):
    """Add `fn(today) -> iterable[Due]`; idempotent (AppConfig.ready() may run twice in tests)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def annual_report_reminders(today):
    """The writers of the studios whose report on last year is not submitted, on the scheduled days."""
    year = today.year - 1
    due = due_date(year)
    left = (due - today).days
    if left in SCHEDULE_DAYS:
        kind, day = f"annual.due_{left}", today
        title = f"{year} 年度工作报告将于 {due:%Y年%m月%d日} 截止（还有 {left} 天）"
    elif left < 0:
        kind, day = "annual.overdue", due + dt.timedelta(days=1)
        title = f"{year} 年度工作报告已逾期（截止日期 {due:%Y年%m月%d日}），请尽快提交"
    else:
        return []
    submitted = AnnualReport.objects.filter(year=year, submitted_at__isnull=False).values("studio_id")
    studios = list(due_studios(year).exclude(pk__in=submitted).select_related("master").order_by("pk"))
    users = {}
    result = []
    for studio in studios:
        ids = writer_ids(studio)
        missing = ids - users.keys()
        if missing:
            users.update({u.pk: u for u in User.objects.filter(pk__in=missing, is_active=True)})
        for pk in sorted(ids):
            if pk in users:
                result.append(
                    Due(
                        recipient=users[pk], subject=studio, kind=kind, day=day,
                        title=f"「{studio.official_name}」{title}",
                        body="逾期提交的报告仍会被接收，但将标记为逾期提交，年度考核等级最高为良好。",
                        url=reverse("annual:studio_year", args=[studio.pk, year]),
                    )
                )  # fmt: skip
    return result


def send(due):
    """Send one reminder unless its Reminder row exists; True when sent."""
    subject_type = ContentType.objects.get_for_model(type(due.subject))
    try:
        with transaction.atomic():
            if Reminder.objects.filter(
                recipient=due.recipient, subject_type=subject_type, subject_id=due.subject.pk, kind=due.kind,
                day=due.day,
            ).exists():  # fmt: skip
                return False
            Reminder.objects.create(
                recipient=due.recipient, subject_type=subject_type, subject_id=due.subject.pk, kind=due.kind,
                day=due.day, title=due.title[: Reminder._meta.get_field("title").max_length],
            )  # fmt: skip
            transaction.on_commit(lambda: notify([due.recipient], title=due.title, body=due.body, url=due.url))
    except IntegrityError:  # another run sent it at the same moment
        return False
    return True


def run(today):
    """Send every due reminder of every source for `today`; returns {kind: number sent}."""
    sent = {}
    for source in list(_SOURCES):
        for due in source(today):
            if send(due):
                sent[due.kind] = sent.get(due.kind, 0) + 1
    return sent
