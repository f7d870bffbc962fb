"""Personal calendar feeds (issue 14 item 6): the .ics parses back, holds exactly the person's deadlines, a revoked
link is refused, and the number of statements does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.enums import Role
from applications.enums import ApplicationStatus, AssignmentStatus, CallStatus
from applications.models import Application, Call, CommitteeMeeting, Publicity, ReviewAssignment, Rubric
from core.models import AuditEvent
from integrations import calendar
from integrations.models import CalendarFeed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _call(creator, n, *, closes_in=10, review_in=20):
    now = timezone.now()
    rubric = Rubric.objects.get_or_create(name="日历测试评分标准")[0]
    return Call.objects.create(
        year=2026,
        title=f"第{n}批申报",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=closes_in),
        policy_year=2026,
        rubric=rubric,
        status=CallStatus.OPEN,
        review_deadline=now + dt.timedelta(days=review_in),
        created_by=creator,
    )


def _world(n, department, teaching_affairs, applicant, expert, committee_member, other):
    """n calls: applicant has a draft in each, expert an unfinished review in each, a meeting and a publicity each;
    `other` has his own draft in a separate call."""
    for i in range(n):
        call = _call(teaching_affairs, i)
        Application.objects.create(call=call, applicant=applicant, department=department)
        submitted = Application.objects.create(
            call=call, applicant=UserFactory(department=department), department=department, status="under_review"
        )
        ReviewAssignment.objects.create(
            application=submitted, expert=expert, assigned_by=teaching_affairs, status=AssignmentStatus.ASSIGNED
        )
        CommitteeMeeting.objects.create(
            call=call,
            title=f"第{i}次审议会",
            held_on=timezone.localdate() + dt.timedelta(days=3),
            created_by=teaching_affairs,
        )
        Publicity.objects.create(
            call=call,
            title=f"第{i}批公示",
            starts_at=timezone.now() + dt.timedelta(days=5),
            ends_at=timezone.now() + dt.timedelta(days=10),
            days=5,
            working_days=True,
            published_by=teaching_affairs,
        )
    other_call = _call(teaching_affairs, 99)
    Application.objects.create(call=other_call, applicant=other, department=department)


def _summaries(body):
    parsed = Calendar.from_ical(body)
    return sorted(str(e.get("summary")) for e in parsed.walk("VEVENT"))


@pytest.fixture
def people(department, teaching_affairs, applicant, expert, committee_member, outsider):
    _world(2, department, teaching_affairs, applicant, expert, committee_member, outsider)
    return applicant, expert, committee_member, outsider


def _feed(client, user):
    token = calendar.issue_feed(by=user)
    return client.get(reverse("integrations:calendar_feed", args=[token])), token


def test_feed_parses_and_holds_exactly_the_persons_deadlines(client, people):
    applicant, expert, committee_member, outsider = people
    response, _ = _feed(client, applicant)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert _summaries(response.content) == ["申报截止：第0批申报", "申报截止：第1批申报"]

    response, _ = _feed(client, expert)
    assert _summaries(response.content) == ["专家评审截止：第0批申报", "专家评审截止：第1批申报"]

    response, _ = _feed(client, committee_member)
    assert _summaries(response.content) == ["学术委员会会议：第0次审议会", "学术委员会会议：第1次审议会"]

    response, _ = _feed(client, outsider)
    assert _summaries(response.content) == ["申报截止：第99批申报"]


def test_applicant_past_draft_sees_the_publicity(client, people):
    applicant = people[0]
    Application.objects.filter(applicant=applicant, call__title="第0批申报").update(
        status=ApplicationStatus.IN_PUBLICITY
    )
    response, _ = _feed(client, applicant)
    assert _summaries(response.content) == ["公示期：第0批公示", "申报截止：第1批申报"]


def test_revoked_and_replaced_links_are_refused(client, applicant):
    response, token = _feed(client, applicant)
    assert response.status_code == 200
    new_token = calendar.issue_feed(by=applicant)
    assert client.get(reverse("integrations:calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("integrations:calendar_feed", args=[new_token])).status_code == 200
    assert calendar.revoke_feed(by=applicant)
    assert client.get(reverse("integrations:calendar_feed", args=[new_token])).status_code == 404
    assert client.get(reverse("integrations:calendar_feed", args=["not-a-token"])).status_code == 404
    assert not CalendarFeed.objects.filter(token_hash__in=[token, new_token]).exists()  # only hashes are stored
    assert AuditEvent.objects.filter(action="integrations.calendar.revoked", actor=applicant).count() == 1


def test_personal_page_issues_and_revokes(client, login, applicant):
    login(applicant)
    response = client.post(reverse("integrations:calendar"), {"action": "issue"})
    assert response.status_code == 200
    url = response.context["new_url"]
    assert client.get(url).status_code == 200
    client.post(reverse("integrations:calendar"), {"action": "revoke"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_feed_statements_do_not_grow_with_the_data(client, n, department, teaching_affairs, expert, committee_member):
    who = UserFactory(department=department, roles=[Role.TEACHING_AFFAIRS, Role.COMMITTEE])
    _world(n, department, teaching_affairs, who, who, committee_member, expert)
    token = calendar.issue_feed(by=who)
    client.get(reverse("integrations:calendar_feed", args=[token]))  # first fetch also records last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("integrations:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) >= 3 * n
    assert len(queries) == 9, [q["sql"][:80] for q in queries]  # 9: the annual-report source (annual) joined
