"""The studio page with the ledger's panel (近期记录) and open tasks (待系部审核/被退回): the same number of SQL
statements, at most 12, for a studio with 3 records and for one with 5 years of thousands of records of every type."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger.models import Achievement, Activity, Attachment, Meeting, Mentorship, Project

from .helpers import make_studio

pytestmark = pytest.mark.django_db


def _rows(studio, master, n, start=0):
    today = timezone.localdate()
    statuses = ["confirmed", "submitted", "returned", "draft"]

    def common(i):
        return {
            "studio": studio,
            "date": today - dt.timedelta(days=(i * 5 * 365) // max(n, 1)),
            "title": f"记录{i}",
            "status": statuses[i % len(statuses)],
            "created_by": master,
        }

    builders = [
        lambda i: Activity(kind="exchange", hours=2, participants=10, **common(i)),
        lambda i: Mentorship(mentor=master, apprentice_type="student", apprentice_name=f"徒弟{i}", **common(i)),
        lambda i: Meeting(minutes="纪要", **common(i)),
        lambda i: Project(kind="internal", **common(i)),
        lambda i: Achievement(kind="paper", level="school", **common(i)),
    ]
    by_model = {}
    for i in range(start, start + n):
        row = builders[i % len(builders)](i)
        by_model.setdefault(type(row), []).append(row)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=1000)


def _page(client, studio):
    client.get(reverse("studios:detail", args=[studio.pk]))  # the first request after sign-in also saves the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("studios:detail", args=[studio.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def _setup(department):
    small, small_master, _ = make_studio(department, name="小技能大师工作室")
    big, big_master, _ = make_studio(department, name="大技能大师工作室")
    _rows(small, small_master, 3)
    _rows(big, big_master, 3000)
    return (small, small_master), (big, big_master)


@pytest.mark.parametrize("persona", ["master", "dept_head", "teaching_affairs"])
def test_studio_page_with_ledger_same_queries_for_3_and_thousands_of_records(
    client, department, dept_head, teaching_affairs, persona
):
    (small, small_master), (big, big_master) = _setup(department)
    photo_of = Activity.objects.filter(studio=big).first()
    Attachment.objects.create(activity=photo_of, kind="photo", file="ledger/x.jpg", uploaded_by=big_master)
    viewer = {"master": None, "dept_head": dept_head, "teaching_affairs": teaching_affairs}[persona]

    counts = []
    for studio, master in ((small, small_master), (big, big_master)):
        client.force_login(viewer or master)
        n, html, sql = _page(client, studio)
        counts.append(n)
        assert 'data-testid="ledger-recent"' in html
        assert "待系部审核的建设记录" in html
    assert counts[0] == counts[1], counts
    # the big studio's counts come from SQL aggregates, not from rows: 3000 records, 750 submitted
    assert "待系部审核的建设记录 750 条" in html
    # the panel lists the most recent records (it used to read its context under the wrong name and show none)
    recent = html.split('data-testid="ledger-recent"')[1].split("</ul>")[0]
    assert "记录0" in recent and "暂无建设记录" not in recent


def test_studio_page_with_ledger_and_plans_within_12_statements(client, department):
    (small, small_master), _ = _setup(department)
    client.force_login(small_master)
    n, _html, sql = _page(client, small)
    assert n <= 12, (n, sql)
