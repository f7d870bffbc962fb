"""The dashboards' numbers equal counts taken directly from the database; a fixed number of statements whatever the
data size; only the listed roles see them; the xlsx and the API carry the same numbers."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from annual.models import AnnualReport
from applications.models import Application
from evaluation.models import Scorecard
from funds.models import BudgetLine, Expenditure
from insights import stats
from plans.actuals import indicators_for, table
from plans.models import Plan, PlanTarget
from studios.models import Studio
from tests.factories import UserFactory

from .helpers import THIS_YEAR, build_world

pytestmark = pytest.mark.django_db


def _chart(charts, chart_id):
    return next(c for c in charts if c.id == chart_id)


def _cell(chart, category, series):
    names = [name for name, _v in chart.series]
    row = dict(chart.rows)[category]
    return row[names.index(series)]


@pytest.fixture
def world(department, other_department):
    return build_world(department, other_department)


def test_overview_numbers_equal_direct_counts(world, department, other_department):
    charts = stats.overview(THIS_YEAR)

    by_dept = _chart(charts, "studios_by_department")
    for dept in (department, other_department):
        assert _cell(by_dept, dept.name, "运行中") == Studio.objects.filter(department=dept, status="active").count()
        assert _cell(by_dept, dept.name, "已撤销") == Studio.objects.filter(department=dept, status="revoked").count()
    assert _cell(by_dept, other_department.name, "已撤销") == 1

    by_mode = _chart(charts, "studios_by_mode")
    assert _cell(by_mode, "校企联办", "历史登记") == Studio.objects.filter(status="active", mode="joint").count()
    assert _cell(by_mode, "学校单独创办", "历史登记") == Studio.objects.filter(status="active", mode="school").count()
    assert _cell(by_mode, "学校单独创办", "申报认定") == 0

    apps = _chart(charts, "applications")
    for status in ("submitted", "recommended", "under_review", "in_publicity"):
        label = Application(status=status).get_status_display()
        assert _cell(apps, label, "申报数") == Application.objects.filter(status=status).count()
    assert sum(v for _c, (v,) in apps.rows) == Application.objects.exclude(status__in=["draft", "approved"]).count()

    funds = _chart(charts, "funds")
    budget = BudgetLine.objects.filter(year=THIS_YEAR).aggregate(t=Sum("amount"))["t"]
    spent = Expenditure.objects.filter(budget_line__year=THIS_YEAR, status="confirmed").aggregate(t=Sum("amount"))["t"]
    assert _cell(funds, "合计", "预算（元）") == f"{budget:.2f}" == "6000.00"
    assert _cell(funds, "合计", "已确认支出（元）") == f"{spent:.2f}" == "723.00"
    assert _cell(funds, "合计", "执行率（%）") == "12.1"

    grades = _chart(charts, "grades_by_year")
    for year in (THIS_YEAR - 2, THIS_YEAR - 1):
        for grade, label in (("excellent", "优秀"), ("fail", "不合格")):
            expected = Scorecard.objects.filter(round__year=year, confirmed_grade=grade).count()
            assert _cell(grades, year, label) == expected
    assert sum(sum(v) for _c, v in grades.rows) == Scorecard.objects.count() == 12


def test_indicators_against_targets_sum_the_approved_annual_plans(world):
    chart = _chart(stats.overview(THIS_YEAR), "indicators")
    studio_ids = list(
        Plan.objects.filter(kind="annual", status="approved", year=THIS_YEAR).values_list("studio_id", flat=True)
    )
    indicators, cells = table(studio_ids, THIS_YEAR)
    by_name = {i.name: i for i in indicators_for(THIS_YEAR)}
    exchange = next(n for n, i in by_name.items() if i.key == "exchange_events")
    # targets 2, 3, 4 in each of the two departments; one confirmed event per studio this year
    assert _cell(chart, exchange, "目标") == "18"
    assert _cell(chart, exchange, "完成") == "6"
    for n, indicator in enumerate(indicators):
        actual = [row[n].confirmed for row in cells.values()]
        total = None if None in actual else sum(actual, Decimal(0))
        if total is not None and stats.is_rate(indicator):  # a rate: the mean over the planning studios, not a sum
            total = (total / len(studio_ids)).quantize(Decimal("0.1"))
        expected = None if total is None else stats.number(total)
        assert _cell(chart, indicator.name, "完成") == expected
    rates = [i for i in indicators if stats.is_rate(i)]
    assert rates  # 经费执行, 档案完整…: the test above covers the mean
    targets = PlanTarget.objects.filter(
        plan__studio_id__in=studio_ids, plan__year=THIS_YEAR, indicator__key=rates[0].key
    )
    mean = (sum(t.target for t in targets) / len(studio_ids)).quantize(Decimal("0.1"))
    assert _cell(chart, rates[0].name, "目标") == stats.number(mean)


def test_evaluation_numbers_equal_direct_counts(world, department):
    charts = stats.evaluation(THIS_YEAR - 1)
    by_dept = _chart(charts, "grades_by_department")
    for grade, label in (("excellent", "优秀"), ("good", "良好"), ("pass", "合格"), ("fail", "不合格")):
        expected = Scorecard.objects.filter(
            round__year=THIS_YEAR - 1, studio__department=department, confirmed_grade=grade
        ).count()
        assert _cell(by_dept, department.name, label) == expected

    late = _chart(charts, "late_reports")
    for year in (THIS_YEAR - 2, THIS_YEAR - 1):
        n_late = AnnualReport.objects.filter(year=year, late=True).count()
        total = AnnualReport.objects.filter(year=year).count()
        assert _cell(late, year, "逾期提交") == n_late
        assert _cell(late, year, "按时提交") == total - n_late
    assert sum(_cell(late, y, "逾期提交") for y in (THIS_YEAR - 2, THIS_YEAR - 1)) > 0

    attainment = _chart(stats.evaluation(THIS_YEAR), "attainment")
    exchange = next(i.name for i in indicators_for(THIS_YEAR) if i.key == "exchange_events")
    # last year: 6 events against 6 × 1; this year 6 against 18; earlier years have no target
    assert _cell(attainment, THIS_YEAR - 1, exchange) == "100.0"
    assert _cell(attainment, THIS_YEAR, exchange) == "33.3"
    assert _cell(attainment, THIS_YEAR - 3, exchange) is None


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["insights:overview", "insights:evaluation", "insights:overview_export"])
def test_statements_do_not_grow_with_the_data(name, leadership, login, department, other_department, client):
    build_world(department, other_department, studios=1, tag="小")
    login(leadership)
    url = reverse(name) + f"?year={THIS_YEAR}"
    small = _count(client, url)
    build_world(department, other_department, studios=6, tag="大")
    assert Studio.objects.count() == 14
    assert _count(client, url) == small


@pytest.mark.parametrize("persona", ["leadership", "dev_office", "teaching_affairs", "inspector", "admin_user"])
def test_listed_roles_see_both_pages_with_their_tables(persona, request, login, client, world, department):
    login(request.getfixturevalue(persona))
    page = client.get(reverse("insights:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="insights-data"' in html and "vendor/echarts/echarts.min.js" in html
    assert 'data-testid="table-studios_by_department"' in html and department.name in html
    assert client.get(reverse("insights:evaluation")).status_code == 200


@pytest.mark.parametrize("persona", ["dept_head", "applicant", "expert", "finance", "committee_member"])
def test_other_roles_are_refused(persona, request, login, client):
    login(request.getfixturevalue(persona))
    for name in ("insights:overview", "insights:evaluation", "insights:overview_export", "insights:evaluation_export"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get("/api/v1/insights/overview").status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("insights:overview"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_invalid_year_is_named_and_this_year_shown(leadership, login, client):
    login(leadership)
    html = client.get(reverse("insights:overview") + "?year=20x5").content.decode()
    assert "年度无效" in html and f"{THIS_YEAR} 年" in html


def test_export_holds_the_page_numbers(leadership, login, client, world, department):
    login(leadership)
    response = client.get(reverse("insights:overview_export") + f"?year={THIS_YEAR}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
        ).active.values
    )
    data = {(r[0], r[1], r[2]): r[3] for r in rows[2:]}
    assert data[("各系部工作室数量（按状态）", department.name, "运行中")] == "3"
    assert data[(f"{THIS_YEAR} 年经费预算与已确认支出（按经费来源）", "合计", "已确认支出（元）")] == "723.00"


def test_api_returns_the_same_numbers(leadership, client, login, world):
    login(leadership)
    body = client.get(f"/api/v1/insights/overview?year={THIS_YEAR}").json()
    funds = next(c for c in body["charts"] if c["id"] == "funds")
    assert funds["categories"][-1] == "合计"
    assert funds["series"][1]["data"][-1] == "723.00"
    page = {c.id: c.as_api() for c in stats.overview(THIS_YEAR)}
    assert {c["id"]: c for c in body["charts"]} == page
    evaluation = client.get(f"/api/v1/insights/evaluation?year={THIS_YEAR}").json()
    assert [c["id"] for c in evaluation["charts"]] == [
        "grades_by_year",
        "grades_by_department",
        "attainment",
        "late_reports",
    ]
    assert client.get("/api/v1/insights/overview?year=1999").status_code == 422


def test_staff_without_role_is_refused_in_the_api(client, login, department):
    login(UserFactory(department=department))
    assert client.get("/api/v1/insights/evaluation").status_code == 403


def test_export_with_an_invalid_year_goes_back_to_the_page(leadership, login, client):
    login(leadership)
    response = client.get(reverse("insights:evaluation_export") + "?year=abc")
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:evaluation") + "?year=abc"
    assert "年度无效" in client.get(response["Location"]).content.decode()


def test_studios_by_level_equal_direct_counts(world, department):
    from accounts.enums import Role
    from studios.services import set_level

    dev = UserFactory(department=None, roles=[Role.DEV_OFFICE])
    active = list(Studio.objects.filter(status="active").order_by("pk"))
    set_level(active[0], by=dev, level="city", reason="市级认定文件")
    set_level(active[1], by=dev, level="province", reason="省级认定文件")
    revoked = Studio.objects.filter(status="revoked").first()
    set_level(revoked, by=dev, level="national", reason="撤销的工作室不计")
    chart = _chart(stats.overview(THIS_YEAR), "studios_by_level")
    for code, label in (("school", "校级"), ("city", "市级"), ("province", "省级"), ("national", "国家级")):
        assert _cell(chart, label, "工作室") == Studio.objects.filter(status="active", level=code).count()
    assert _cell(chart, "市级", "工作室") == 1 and _cell(chart, "国家级", "工作室") == 0
