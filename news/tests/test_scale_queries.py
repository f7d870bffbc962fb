"""The news lists cost the same SQL at 1 and many rows (the reader's notice list with its read marks, the post list,
the unread list and their exports), and the indicator joins compute()'s one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger.tests.helpers import make_studio
from news import services
from news.models import Notice, Post
from plans.indicators import compute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _notices(ta, department, n):
    for i in range(n):
        notice = services.create_notice(
            by=ta, title=f"通知{Notice.objects.count()}-{i}", body="x", audience="department", department=department
        )
        services.publish_notice(notice, by=ta)


def _posts(studio, master, head, n):
    for i in range(n):
        post = services.create_post(studio, by=master, title=f"报道{i}", body="x")
        services.submit_post(post, by=master)
        if i % 2:
            services.publish_post(post, by=head)


def test_lists_cost_the_same_at_one_and_many_rows(client, department, teaching_affairs, dept_head):
    studio, master, team = make_studio(department)
    _notices(teaching_affairs, department, 1)
    _posts(studio, master, dept_head, 1)
    first = Notice.objects.get()
    urls = [
        reverse("news:notices"), reverse("news:notices_export"), reverse("news:posts"), reverse("news:posts_export"),
    ]  # fmt: skip
    client.force_login(team[0])
    client.get(reverse("news:notice", args=[first.pk]))  # one receipt
    small = [_count(client, u) for u in urls]
    client.force_login(teaching_affairs)
    unread = [
        reverse("news:notice_unread") + f"?notice={first.pk}",
        reverse("news:notice_unread_export") + f"?notice={first.pk}",
    ]
    small_unread = [_count(client, u) for u in unread]
    _notices(teaching_affairs, department, 30)
    _posts(studio, master, dept_head, 30)
    for _ in range(30):
        UserFactory(department=department)
    client.force_login(team[0])
    for notice in Notice.objects.all()[:10]:
        client.get(reverse("news:notice", args=[notice.pk]))
    assert [_count(client, u) for u in urls] == small
    client.force_login(teaching_affairs)
    assert [_count(client, u) for u in unread] == small_unread


def test_publicity_reports_indicator_counts_published_posts_of_the_year(department, dept_head):
    studio, master, _team = make_studio(department)
    _posts(studio, master, dept_head, 5)  # 2 published, 3 waiting
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as ctx:
        values = compute(["publicity_reports", "funds_execution"], [studio.pk], year)
    assert len(ctx) == 1  # joins the one UNION statement
    assert Post.objects.filter(status="published").count() == 2
    confirmed, waiting = values["publicity_reports"][studio.pk]
    assert (confirmed, waiting) == (2, 3)
    assert compute(["publicity_reports"], [studio.pk], year - 1)["publicity_reports"].get(studio.pk, (0, 3))[0] == 0
