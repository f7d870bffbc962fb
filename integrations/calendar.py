"""Personal calendar feeds (iCalendar, RFC 5545) that Outlook, WPS and phone calendars subscribe to.

Each person may hold one private link `/calendar/<token>.ics`; only the token's SHA-256 is stored (CalendarFeed).
A new link revokes the old one; a revoked or unknown token answers 404. The feed lists the person's own deadlines,
one query per source whatever the amount of data:

| source | who sees it |
|---|---|
| 申报截止 (Call.closes_at) | the applicant of an unsubmitted/returned application in an open call; 教学工作部: every open call |
| 专家评审截止 (Call.review_deadline) | the expert with an unfinished review assignment in that call (one entry per call) |
| 学术委员会会议 (CommitteeMeeting.held_on, open) | 学术委员会委员 and 教学工作部 |
| 公示期 (Publicity.starts_at … ends_at) | applicants with an application in that call past 草稿; 教学工作部, 纪检办公室 |
| 建设任务期限 (PlanTask.due_on of a plan not superseded) | the task's owner and the studio's 技能大师 |
| 整改期限 (StudioException.deadline, unresolved) | the studio's 技能大师; 教学工作部 |
| 年度工作报告截止 (annual.services.due_date of last year's and this year's report, not yet submitted) | the studio's 技能大师 and 联系人 |
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.enums import Role
from accounts.permissions import roles_of
from annual.models import AnnualReport
from annual.permissions import writable_studios
from annual.services import due_dates
from applications.enums import ApplicationStatus, AssignmentStatus, CallStatus, MeetingStatus
from applications.models import Application, Call, CommitteeMeeting, Publicity, ReviewAssignment
from core.audit import log_action
from plans.enums import PlanStatus
from plans.models import PlanTask
from studios.enums import StudioStatus
from studios.models import StudioException

from .models import CalendarFeed

# Entries older than this are left out (a subscription shows what is coming, with a little history).
PAST_DAYS = 90
MAX_PER_SOURCE = 500
LAST_USED_EVERY = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(f"integrations.CalendarFeed:{token}".encode()).hexdigest()


# --- Services -------------------------------------------------------------------------------------------------------


@transaction.atomic
def issue_feed(*, by):
    """A new private link for `by` (the previous one stops working). Returns the token, shown once.
    Two at once (two tabs, a page and the API) are serialised on the person's row: without it, the second one's
    UPDATE would miss the first one's new link and its INSERT break the one-active-link constraint (a 500)."""
    get_user_model().objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True).first()
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=by, token_hash=token_hash(token))
    log_action(actor=by, action="integrations.calendar.issued", obj=feed, after={"replaced": bool(revoked)})
    return token


@transaction.atomic
def revoke_feed(*, by):
    """Stop `by`'s link; returns whether there was one."""
    feed = CalendarFeed.objects.select_for_update().filter(user=by, revoked_at__isnull=True).first()
    if feed is None:
        return False
    CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
    log_action(actor=by, action="integrations.calendar.revoked", obj=feed)
    return True


def active_feed(user):
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_for_token(token):
    """The active feed of a token with its user (one query), or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is not None and (feed.last_used_at is None or timezone.now() - feed.last_used_at > LAST_USED_EVERY):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


# --- Entries --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    url: str = ""


def _call_closings(user, roles, since):
    calls = Call.objects.filter(status=CallStatus.OPEN, closes_at__gte=since)
    if Role.TEACHING_AFFAIRS not in roles:
        open_drafts = Application.objects.filter(
            applicant=user, status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
        )
        calls = calls.filter(pk__in=open_drafts.values("call_id"))
    for call in calls.order_by("closes_at", "pk").only("pk", "title", "closes_at")[:MAX_PER_SOURCE]:
        yield Entry(
            f"call-{call.pk}-closes", f"申报截止：{call.title}", call.closes_at, description="提交申报的截止时间。"
        )


def _review_deadlines(user, roles, since):
    unfinished = ReviewAssignment.objects.filter(
        expert=user, status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED]
    )
    calls = Call.objects.filter(pk__in=unfinished.values("application__call_id"), review_deadline__gte=since)
    for call in calls.order_by("review_deadline", "pk").only("pk", "title", "review_deadline")[:MAX_PER_SOURCE]:
        yield Entry(
            f"call-{call.pk}-review-{user.pk}",
            f"专家评审截止：{call.title}",
            call.review_deadline,
            description="您有尚未提交的评审，请在截止前提交评分。",
        )


def _meetings(user, roles, since):
    if not roles & {Role.COMMITTEE, Role.TEACHING_AFFAIRS}:
        return
    meetings = CommitteeMeeting.objects.filter(status=MeetingStatus.OPEN, held_on__gte=since.date())
    for meeting in meetings.order_by("held_on", "pk").only("pk", "title", "held_on")[:MAX_PER_SOURCE]:
        yield Entry(
            f"meeting-{meeting.pk}",
            f"学术委员会会议：{meeting.title}",
            meeting.held_on,
            meeting.held_on + timedelta(days=1),
        )


def _publicities(user, roles, since):
    publicities = Publicity.objects.filter(ends_at__gte=since)
    if not roles & {Role.TEACHING_AFFAIRS, Role.INSPECTOR}:
        mine = Application.objects.filter(applicant=user).exclude(status=ApplicationStatus.DRAFT)
        publicities = publicities.filter(call_id__in=mine.values("call_id"))
    for publicity in publicities.order_by("starts_at", "pk").only("pk", "title", "starts_at", "ends_at")[
        :MAX_PER_SOURCE
    ]:
        yield Entry(
            f"publicity-{publicity.pk}",
            f"公示期：{publicity.title}",
            publicity.starts_at,
            publicity.ends_at,
            description="公示期内可以实名提出异议。",
        )


def _plan_tasks(user, roles, since):
    tasks = (
        PlanTask.objects.filter(Q(owner=user) | Q(plan__studio__master=user), due_on__gte=since.date())
        .exclude(plan__status=PlanStatus.SUPERSEDED)
        .exclude(plan__studio__status=StudioStatus.REVOKED)
        .select_related("plan__studio")
        .only("pk", "title", "due_on", "plan__studio__official_name")
    )
    for item in tasks.order_by("due_on", "pk")[:MAX_PER_SOURCE]:
        yield Entry(
            f"plantask-{item.pk}",
            f"建设任务期限：{item.title}",
            item.due_on,
            item.due_on + timedelta(days=1),
            description=f"{item.plan.studio.official_name}",
        )


def _exceptions(user, roles, since):
    exceptions = StudioException.objects.filter(resolved_on__isnull=True, deadline__gte=since.date())
    if Role.TEACHING_AFFAIRS not in roles:
        exceptions = exceptions.filter(studio__master=user)
    exceptions = exceptions.select_related("studio").only("pk", "deadline", "studio__official_name")
    for item in exceptions.order_by("deadline", "pk")[:MAX_PER_SOURCE]:
        yield Entry(
            f"exception-{item.pk}",
            f"整改期限：{item.studio.official_name}",
            item.deadline,
            item.deadline + timedelta(days=1),
            description="核心成员人数不足的整改期限。",
        )


def _annual_reports(user, roles, since):
    """The due date of the report on last year and on this year of each studio the person writes for (master or
    contact), while it is not submitted — one statement (an EXISTS per year), plus the policy's due dates when there is
    such a studio."""
    this_year = (since + timedelta(days=PAST_DAYS)).year  # the year of `now`: its report is the next one due
    years = tuple(range(since.year - 1, this_year + 1))
    submitted = {
        year: Exists(AnnualReport.objects.filter(studio_id=OuterRef("pk"), year=year, submitted_at__isnull=False))
        for year in years
    }
    studios = (
        writable_studios(user)
        .annotate(**{f"done_{year}": flag for year, flag in submitted.items()})
        .order_by("pk")
        .values("pk", "official_name", "approved_on", *(f"done_{year}" for year in years))
    )
    dues = None
    for studio in studios[:MAX_PER_SOURCE]:
        dues = dues or due_dates(years)  # read only when the person writes a report
        for year in years:
            due = dues[year]
            if due < since.date() or studio["approved_on"].year > year or studio[f"done_{year}"]:
                continue
            yield Entry(
                f"annual-{studio['pk']}-{year}",
                f"年度工作报告截止：{studio['official_name']} {year} 年度",
                due,
                due + timedelta(days=1),
                description="逾期提交将标记为逾期提交，年度考核等级最高为良好。",
            )


SOURCES = (_call_closings, _review_deadlines, _meetings, _publicities, _plan_tasks, _exceptions, _annual_reports)


def entries_for(user, *, now=None):
    now = now or timezone.now()
    since = now - timedelta(days=PAST_DAYS)
    roles = roles_of(user)
    found = []
    for source in SOURCES:
        found.extend(source(user, roles, since))
    return found


def ics_bytes(user, *, now=None) -> bytes:
    """The person's deadlines as an iCalendar document."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SCHOOL_NAME}//{settings.PLATFORM_NAME}//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.PLATFORM_NAME}（{user.display_name or user.username}）")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "studio"
    for entry in entries_for(user, now=now):
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", now)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        if entry.end is not None:
            event.add("dtend", entry.end)
        if entry.description:
            event.add("description", entry.description)
        event.add("url", f"{settings.SITE_URL}/")
        calendar.add_component(event)
    return calendar.to_ical()
