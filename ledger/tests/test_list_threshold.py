"""活动记录列表 (/ledger/activities/) for the benchmark's persona (教学工作部, who sees every row) issues the same
statements with 3 activities in one studio as with more rows than the paginator counts (its cap of 1,000 rows, where
the page shows 「共 N+ 页」), across many studios and departments (the studio filter's option list), with the viewer a
member of a studio (the 新增 button) or not, and on a deep page. Each size is compared statement by statement, so a
branch taken only above a threshold (a second COUNT, a lazy load, an option list read twice) fails here."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from core.lists import ListPage
from ledger.models import Activity
from studios.models import Membership, Studio

from .helpers import make_studio

pytestmark = pytest.mark.django_db
URL = reverse("ledger:activities")
CAP = ListPage.count_cap


def _shape(sql):
    """A statement without its literal values (ids, dates, session keys): what must not change with the data."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _statements(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [_shape(q["sql"]) for q in ctx.captured_queries], response.text


def _activities(studios, n, start=0):
    today = timezone.localdate()
    Activity.objects.bulk_create(
        (
            Activity(
                studio=studio, date=today - dt.timedelta(days=i % 1800), title=f"活动{i}", kind="exchange",
                status=("confirmed", "submitted", "draft", "returned")[i % 4], created_by_id=studio.master_id,
            )
            for i, studio in ((i, studios[i % len(studios)]) for i in range(start, start + n))
        ),
        batch_size=1000,
    )  # fmt: skip


def _more_studios(n, master):
    departments = Department.objects.bulk_create(Department(code=f"T{i:03d}", name=f"测试系{i}") for i in range(n // 2))
    return Studio.objects.bulk_create(
        Studio(
            source="registered", official_name=f"测试工作室{i:03d}", plaque_name=f"测试{i}", master=master,
            mode="school", department=departments[i % len(departments)], status="active",
            document_number=f"渝工校〔2024〕{i}号", approved_on=dt.date(2024, 1, 1),
        )
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize("member", [False, True], ids=["not-a-member", "member"])
def test_activity_list_same_statements_below_and_above_the_count_cap(
    client, login, department, teaching_affairs, member
):
    studio, master, _team = make_studio(department)
    if member:
        Membership.objects.create(studio=studio, user=teaching_affairs, role="core", joined_on=studio.approved_on)
    login(teaching_affairs)
    client.get(URL)  # the first request after sign-in also saves the session
    _activities([studio], 3)
    small, html = _statements(client, URL)
    assert html.count('data-testid="list-row"') == 3 and "共 1 页" not in html
    filtered_url = URL + f"?studio={studio.pk}&status=submitted&q=活动"
    small_filtered, _ = _statements(client, filtered_url)
    assert ("ledger-new" in html) == member

    studios = [studio, *_more_studios(60, master)]
    _activities(studios, CAP + 1, start=3)  # one more row than the paginator counts: the page reads 「共 N+ 页」
    capped, html = _statements(client, URL)
    assert html.count('data-testid="list-row"') == 20 and "+ 页" in html
    assert capped == small, (small, capped)

    _activities(studios, 1500, start=CAP + 4)  # far above it, over 61 studios in 31 departments
    many, html = _statements(client, URL)
    assert "测试工作室059" in html  # the studio filter lists every studio
    assert many == small, (small, many)
    deep, html = _statements(client, URL + "?page=60")  # the count reaches as far as the page asked for
    assert html.count('data-testid="list-row"') == 20 and len(deep) == len(small)
    filtered, html = _statements(client, filtered_url)  # a filtered list: the same statements as with 3 rows
    assert 'data-testid="list-row"' in html and filtered == small_filtered
