"""Query counts at scale (issue 10, "Done when"): the school-wide plan-vs-actual page issues the same number of SQL
statements (≤ 12) for 3 studios and for 2,000 studios with approved annual plans and confirmed, evidenced records;
the plans panel on the studio page (目标与完成, open tasks, the 责任书 targets) likewise for a studio with 3 records
and one with five years of plans and thousands of records. Rows are bulk-created: only what the pages read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from ledger.models import Activity, Attachment
from ledger.tests.helpers import make_studio
from plans import studio_page
from plans.enums import PlanKind, PlanStatus
from plans.models import Indicator, IndicatorSet, Plan, PlanTarget
from studios.models import Studio

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
MAX_STATEMENTS = 12


def _studios(department, start, n):
    masters = User.objects.bulk_create(
        User(username=f"Q{i:06d}", display_name=f"大师{i:05d}", department=department) for i in range(start, start + n)
    )
    return Studio.objects.bulk_create(
        Studio(
            source="registered",
            official_name=f"规模工作室{i:05d}",
            plaque_name=f"学校（大师{i:05d}）技能大师工作室",
            master=m,
            mode="school",
            department=department,
            status="active",
            document_number=f"渝工校〔2024〕{i}号",
            approved_on=dt.date(YEAR - 2, 9, 1),
        )
        for i, m in zip(range(start, start + n), masters, strict=True)
    )


def _plans_and_records(studios, *, years=(YEAR,), records_per_year=2):
    """An approved annual plan with a target per indicator, and confirmed activities with a photo, per studio and
    year."""
    indicator_sets = {s.year: s for s in IndicatorSet.objects.all()}
    by = studios[0].master_id
    plans = Plan.objects.bulk_create(
        Plan(
            studio=s,
            kind=PlanKind.ANNUAL,
            year=year,
            status=PlanStatus.APPROVED,
            indicator_set=indicator_sets.get(year) or indicator_sets[min(indicator_sets)],
            created_by_id=s.master_id,
            approved_on=dt.date(year, 1, 20),
        )
        for s in studios
        for year in years
    )
    indicators = {}
    for i in Indicator.objects.all():
        indicators.setdefault(i.indicator_set_id, []).append(i)
    PlanTarget.objects.bulk_create(
        (PlanTarget(plan=p, indicator=i, target=2) for p in plans for i in indicators[p.indicator_set_id]),
        batch_size=2000,
    )
    activities = Activity.objects.bulk_create(
        (
            Activity(
                studio=s,
                date=dt.date(year, 1 + n % 12, 1 + n % 28),
                title=f"活动{n}",
                kind="exchange",
                participants=10,
                status="confirmed",
                created_by_id=s.master_id,
            )
            for s in studios
            for year in years
            for n in range(records_per_year)
        ),
        batch_size=2000,
    )
    Attachment.objects.bulk_create(
        (Attachment(activity=a, kind="photo", file="ledger/photo.jpg", uploaded_by_id=by) for a in activities),
        batch_size=2000,
    )


def _school_page(client, user):
    client.get("/plans/actual/")  # the first request after sign-in also saves the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/plans/actual/", {"page_size": "100"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_school_wide_plan_vs_actual_same_statements_for_3_and_2000_studios(client, department, teaching_affairs):
    client.force_login(teaching_affairs)
    few_studios = _studios(department, 0, 3)
    _plans_and_records(few_studios)
    few, html = _school_page(client, teaching_affairs)
    assert "规模工作室00000" in html
    _plans_and_records(_studios(department, 3, 1997), years=(YEAR - 1, YEAR))
    assert Studio.objects.count() == 2000 and Activity.objects.count() == 3 * 2 + 1997 * 4
    many, html = _school_page(client, teaching_affairs)
    assert many == few and many <= MAX_STATEMENTS, (few, many)
    assert (
        "第 1 页 / 共 " in html and "下一页" in html
    )  # 2,000 studios, 100 on the page; actuals from one registry call
    assert html.count('href="/plans/actual/studio/') >= 100


def _panel_statements(studio, user):
    studio = Studio.objects.get(pk=studio.pk)  # a fresh instance, as each page request loads (page_memo lives on it)
    with CaptureQueriesContext(connection) as ctx:
        context = studio_page.panel_context(studio, user)
        tasks = studio_page.open_tasks(studio, user)
        targets = studio_page.letter_targets(studio)
    return len(ctx.captured_queries), context, tasks, targets


def test_studio_plans_panel_same_statements_for_3_records_and_five_years_of_thousands(department, teaching_affairs):
    small, _m, _t = make_studio(department, name="小技能大师工作室")
    big, _m, _t = make_studio(department, name="大技能大师工作室")
    _plans_and_records([small], records_per_year=3)
    _plans_and_records([big], years=range(YEAR - 4, YEAR + 1), records_per_year=1000)
    small = Studio.objects.get(pk=small.pk)
    big = Studio.objects.get(pk=big.pk)
    _panel_statements(small, teaching_affairs)  # the viewer's roles are read once per request, before the panel
    n_small, context_small, _tasks, _targets = _panel_statements(small, teaching_affairs)
    n_big, context_big, _tasks, _targets = _panel_statements(big, teaching_affairs)
    assert n_small == n_big and n_big <= MAX_STATEMENTS, (n_small, n_big)
    exchange = {c.indicator.key: c for c in context_big["cells"]}
    assert exchange["exchange_events"].confirmed == 1000  # this year's records only, counted in SQL
    assert {c.indicator.key: c for c in context_small["cells"]}["exchange_events"].confirmed == 3
