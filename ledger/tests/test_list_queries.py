"""Query counts of every ledger list page and the department's 系部审核 page (issue 10, "Done when"): the same number
of SQL statements, at most 12, for 3 records and for five years of thousands, for the master, the department head
and teaching affairs. Rows are bulk-created with members, attachments, progress notes, stages and a platform-user
apprentice — every relation a list could read — so a lazy load fails loudly under fetch_mode(RAISE) (conftest.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger.enums import RecordStatus
from ledger.models import (
    Achievement,
    Activity,
    Attachment,
    Meeting,
    Mentorship,
    MentorshipNote,
    Project,
    ProjectStageRecord,
)
from ledger.types import TYPES

from .helpers import make_studio

pytestmark = pytest.mark.django_db
MAX_STATEMENTS = 12
STATUSES = [RecordStatus.CONFIRMED, RecordStatus.SUBMITTED, RecordStatus.RETURNED, RecordStatus.DRAFT]
ATTACHMENT_KIND = {
    "activity": "photo",
    "meeting": "minutes",
    "mentorship": "agreement",
    "project": "contract",
    "achievement": "certificate",
}


def _build(model, i, common, apprentice):
    if model is Activity:
        return Activity(kind="exchange", hours=Decimal("2.0"), participants=10, **common)
    if model is Meeting:
        return Meeting(minutes="纪要" if i % 2 else "", **common)
    if model is Mentorship:
        return Mentorship(
            mentor=common["created_by"],
            apprentice_type="teacher" if i % 3 == 0 else "student",
            apprentice_user=apprentice if i % 3 == 0 else None,
            apprentice_name="" if i % 3 == 0 else f"徒弟{i}",
            **common,
        )
    if model is Project:
        return Project(kind="horizontal", amount=Decimal("1000.00"), **common)
    return Achievement(kind="award", level="city", landmark=not i % 7, **common)


def _records(studio, master, team, n, start=0):
    """n records of every type over five years and all statuses, with a member, an attachment on every other one,
    two progress notes per mentorship and a stage per project."""
    today = timezone.localdate()
    for model in (Activity, Meeting, Mentorship, Project, Achievement):
        rows = model.objects.bulk_create(
            (
                _build(
                    model,
                    i,
                    {
                        "studio": studio,
                        "date": today - dt.timedelta(days=(i * 5 * 365) // max(n, 1)),
                        "title": f"记录{i}",
                        "status": STATUSES[i % len(STATUSES)],
                        "created_by": master,
                    },
                    team[0],
                )
                for i in range(start, start + n)
            ),
            batch_size=1000,
        )
        model.members.through.objects.bulk_create(
            (model.members.through(**{f"{model._meta.model_name}_id": r.pk, "user_id": team[0].pk}) for r in rows),
            batch_size=1000,
        )
        name = model._meta.model_name
        Attachment.objects.bulk_create(
            (
                Attachment(**{name: r}, kind=ATTACHMENT_KIND[name], file=f"ledger/{name}{r.pk}.pdf", uploaded_by=master)
                for r in rows[::2]
            ),
            batch_size=1000,
        )
        if model is Mentorship:
            MentorshipNote.objects.bulk_create(
                MentorshipNote(mentorship=r, date=r.date, note="进展", by=master) for r in rows for _ in range(2)
            )
        if model is Project:
            ProjectStageRecord.objects.bulk_create(
                ProjectStageRecord(project=r, stage="approval", date=r.date, by=master) for r in rows
            )


def _statements(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.text, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("persona", ["master", "dept_head", "teaching_affairs"])
def test_every_ledger_list_same_statements_for_3_and_thousands_of_records(
    client, login, department, dept_head, teaching_affairs, persona
):
    studio, master, team = make_studio(department)
    viewer = {"master": master, "dept_head": dept_head, "teaching_affairs": teaching_affairs}[persona]
    login(viewer)
    urls = [reverse(f"ledger:{slug}") + "?page_size=50" for slug in TYPES]
    client.get(urls[0])  # the first request after sign-in also saves the session
    _records(studio, master, team, 3)
    small = {url: _statements(client, url) for url in urls}
    for url, (_n, html, _sql) in small.items():
        assert html.count('data-testid="list-row"') == 3, url
    _records(studio, master, team, 1200, start=3)
    assert Activity.objects.filter(studio=studio).dates("date", "year").count() >= 5
    for url in urls:
        n_small = small[url][0]
        n_big, html, sql = _statements(client, url)
        assert html.count('data-testid="list-row"') == 50, url  # a full page read from 1,203 rows
        assert n_small == n_big <= MAX_STATEMENTS, (url, n_small, n_big, sql)
    # a filtered list (status, year, studio, search) is bounded the same way
    year = timezone.localdate().year - 2
    filtered = reverse("ledger:achievements") + f"?status=submitted&year={year}&studio={studio.pk}&q=记录"
    n_filtered, html, sql = _statements(client, filtered)
    assert 'data-testid="list-row"' in html and n_filtered <= MAX_STATEMENTS, sql


def test_review_queue_same_statements_for_3_and_thousands_of_waiting_records(client, login, department, dept_head):
    studio, master, team = make_studio(department)
    login(dept_head)
    url = reverse("ledger:review_queue")
    client.get(url)
    _records(studio, master, team, 3)
    n_small, html, _sql = _statements(client, url)
    _records(studio, master, team, 1200, start=3)
    n_big, html, sql = _statements(client, url)
    assert n_small == n_big <= MAX_STATEMENTS, (n_small, n_big, sql)
    waiting = Activity.objects.filter(studio=studio, status=RecordStatus.SUBMITTED).count()
    assert waiting == 301 and f">{waiting}<" in html.replace(" ", ""), html[html.find("系部审核") :][:1500]
