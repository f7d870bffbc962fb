"""统计分析 in the browser: 校领导 opens 领导总览 from the side menu; the charts are drawn on a canvas by the locally
served ECharts (no CSP refusal in the console) and each chart's table shows the numbers of the database. At 390×844
the page fits the phone's width (the tables scroll inside their own box)."""

import pytest
from playwright.sync_api import expect

from insights.tests.helpers import THIS_YEAR, build_world
from studios.models import Studio
from tests.factories import DepartmentFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_reads_the_overview(page, live_server, sign_in, screenshot, leadership):
    department = DepartmentFactory(code="IA", name="机械工程系")
    other = DepartmentFactory(code="IB", name="电气工程系")
    build_world(department, other, studios=2)
    active = Studio.objects.filter(department=department, status="active").count()
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(leadership)
    page.get_by_role("link", name="领导总览").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"领导总览 · {THIS_YEAR} 年")
    chart = page.locator("#chart-studios_by_department")
    expect(chart).to_have_attribute("data-rendered", "1")
    expect(chart.locator("canvas")).to_have_count(1)
    row = page.get_by_test_id("table-studios_by_department").get_by_role("row").filter(has_text="机械工程系")
    expect(row).to_contain_text(str(active))
    expect(page.get_by_test_id("table-funds")).to_contain_text("4000.00")
    screenshot("insights-overview")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#chart-funds canvas")).to_have_count(1)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone"
    screenshot("insights-overview-phone")
    assert not errors, errors
