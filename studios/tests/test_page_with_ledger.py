"""工作室主页 with the panels and open tasks every installed app registers (ledger, plans): the same number of SQL
statements for a studio with 3 ledger records and one with 5 years of thousands (issue 10 query counts)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger.enums import RecordStatus
from ledger.models import Achievement, Activity, Attachment, Meeting, Mentorship, Project, ProjectStageRecord
from studios.models import Membership
from studios.tests.factories import make_studio
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STATUSES = [RecordStatus.CONFIRMED, RecordStatus.SUBMITTED, RecordStatus.DRAFT, RecordStatus.RETURNED]


def _fill(studio, by, n, *, all_types=True):
    """n ledger records of every type spread over 5 years and all statuses, with members, attachments (on every
    other activity), mentorship notes' parents and project stages — bulk_create, no services (volume only)."""
    today = timezone.localdate()
    team = list(Membership.objects.filter(studio=studio).values_list("user_id", flat=True))

    def common(i):
        return {
            "studio": studio,
            "date": today - dt.timedelta(days=(i * 5) % (5 * 365)),
            "title": f"记录{i}",
            "status": STATUSES[i % len(STATUSES)],
            "created_by": by,
        }

    activities = Activity.objects.bulk_create(
        Activity(kind="exchange", hours=Decimal("2.0"), participants=10, **common(i)) for i in range(n)
    )
    Activity.members.through.objects.bulk_create(
        Activity.members.through(activity_id=a.pk, user_id=team[i % len(team)]) for i, a in enumerate(activities)
    )
    Attachment.objects.bulk_create(
        Attachment(activity=a, kind="photo", file=f"ledger/x{a.pk}.jpg", uploaded_by=by) for a in activities[::2]
    )
    if not all_types:
        return
    Meeting.objects.bulk_create(Meeting(**common(i)) for i in range(max(1, n // 5)))
    Mentorship.objects.bulk_create(
        Mentorship(mentor=by, apprentice_type="student", apprentice_name=f"徒弟{i}", **common(i))
        for i in range(max(1, n // 10))
    )
    projects = Project.objects.bulk_create(Project(kind="internal", **common(i)) for i in range(max(1, n // 10)))
    ProjectStageRecord.objects.bulk_create(
        ProjectStageRecord(project=p, stage="approval", date=p.date, by=by) for p in projects
    )
    Achievement.objects.bulk_create(
        Achievement(kind="paper", level="school", landmark=not i % 7, **common(i)) for i in range(max(1, n // 5))
    )


def _page_queries(client, studio):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("studios:detail", args=[studio.pk]))
    assert response.status_code == 200
    return ctx.captured_queries, response


@pytest.mark.parametrize("persona", ["master", "teaching_affairs"])
def test_studio_page_query_count_does_not_grow_with_thousands_of_ledger_records(
    all_panels, login, teaching_affairs, applicant, department, persona
):
    small = make_studio(teaching_affairs, master=applicant, department=department, cores=3, name="小技能大师工作室")
    big_master = UserFactory(department=department)
    big = make_studio(teaching_affairs, master=big_master, department=department, cores=20, name="大技能大师工作室")
    _fill(small, applicant, 3, all_types=False)  # 3 activities
    _fill(big, big_master, 3000)
    assert Activity.objects.filter(studio=big).count() == 3000
    assert Activity.objects.filter(studio=big).dates("date", "year").count() >= 5

    viewers = {"master": (applicant, big_master), "teaching_affairs": (teaching_affairs, teaching_affairs)}[persona]
    counts = []
    for viewer, studio in zip(viewers, (small, big), strict=True):
        client = login(viewer)
        client.get(reverse("studios:detail", args=[studio.pk]))  # the first view after sign-in saves the session
        counts.append(_page_queries(client, studio))
    (n_small, _), (n_big, response) = counts
    assert len(n_small) == len(n_big), [q["sql"] for q in n_big]
    html = response.content.decode()
    # the registered panels and tasks really ran on the big studio: the waiting count covers every record type
    waiting = sum(
        m.objects.filter(studio=big, status=RecordStatus.SUBMITTED).count()
        for m in (Activity, Meeting, Mentorship, Project, Achievement)
    )
    assert waiting > 750 and f"待系部审核的建设记录 {waiting} 条" in html, html[html.find("待办") :][:2000]


def test_studio_page_with_every_panel_stays_within_12_statements(
    all_panels, login, teaching_affairs, applicant, department
):
    studio = make_studio(teaching_affairs, master=applicant, department=department, cores=3)
    _fill(studio, applicant, 3, all_types=False)
    client = login(applicant)
    client.get(reverse("studios:detail", args=[studio.pk]))
    queries, _ = _page_queries(client, studio)
    assert len(queries) <= 12, [q["sql"] for q in queries]
