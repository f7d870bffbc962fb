"""Issue 12 item 5 in the browser: 发改室 opens 推荐申报 from the menu, starts a 市级 recommendation (the studio chosen in
the tom-select picker), sees the checker (满足 / 需人工核实 badges with their explanations), submits with the manual
confirmation (dialog), records 获批 with its 文件文号 (dialog) — the studio page then shows 市级 and the outcome in its
推荐申报 panel (loaded by htmx). Screenshots of the detail at 1440×900 and 390×844 (no horizontal scroll). No console
error (CSP)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from recommendations.defaults import ensure_default_requirements
from recommendations.tests.helpers import city_ready_studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recommend_submit_and_approve(page, live_server, sign_in, screenshot):
    ensure_default_requirements()
    department = DepartmentFactory(code="RCE", name="推荐浏览器测试系")
    dev = UserFactory(department=None, display_name="发改室浏览器", roles=[Role.DEV_OFFICE])
    studio, _master, _ = city_ready_studio(department, name="数控推荐技能大师工作室")
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(dev)
    page.get_by_role("link", name="推荐申报").first.click()
    page.wait_for_url(f"{live_server.url}/recommendations/")
    page.get_by_test_id("new-recommendation").click()
    page.locator(".ts-control").first.click()
    page.keyboard.type("数控推荐")
    page.locator(".ts-dropdown .option", has_text=studio.official_name).first.click()
    page.get_by_label("推荐理由").fill("工作室带徒成效显著，推荐申报市级技能大师工作室。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("草稿")
    table = page.get_by_test_id("check-table")
    expect(table).to_contain_text("累计带徒不少于 5 人")
    expect(table.get_by_test_id("verdict").filter(has_text="满足").first).to_be_visible()
    expect(table.get_by_test_id("verdict").filter(has_text="需人工核实").first).to_be_visible()
    for width, height, name in ((1440, 900, "recommendation-check"), (390, 844, "recommendation-check-mobile")):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(name)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than {width}px"
    page.set_viewport_size({"width": 1440, "height": 900})

    inputs = page.get_by_test_id("confirm-input")
    for i in range(inputs.count()):
        inputs.nth(i).fill("已取得行业协会推荐函")
    page.get_by_test_id("submit-recommendation").click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("已推荐上报")
    expect(page.get_by_test_id("check-table")).to_contain_text("已取得行业协会推荐函")

    form = page.get_by_test_id("outcome-form")
    form.get_by_label("文件文号").fill("渝人社发〔2026〕128号")
    form.get_by_label("获批日期").fill(timezone.localdate().isoformat())
    page.get_by_test_id("record-outcome").click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("已获批")
    screenshot("recommendation-approved")

    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    expect(page.get_by_test_id("studio-level")).to_have_text("市级")
    expect(page.get_by_test_id("recommendation-panel")).to_contain_text("渝人社发〔2026〕128号")
    screenshot("recommendation-studio-page")
    assert not errors, errors
