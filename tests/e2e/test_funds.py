"""Issue 11 in the browser: the studio's master enters an expenditure with its voucher scan and submits it; 财务部
finds it on 我的工作台 (待确认的经费支出), opens it, sees the line's room and confirms it through the decision box;
the studio's funds page then shows the confirmed amount and the balance to the fen. No console error (CSP)."""

import pytest
from playwright.sync_api import expect

from funds import services
from funds.tests.helpers import funded_studio
from tests.factories import DepartmentFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_finance_confirms_an_expenditure(page, live_server, sign_in, screenshot, tmp_path):
    department = DepartmentFactory(code="FD", name="电气工程系")
    studio, master, finance, line = funded_studio(department, budget="1000.00")
    services.ensure_default_categories()
    errors = watch_console(page)
    page.set_default_timeout(120_000)  # the shared test machine can be slow; the flow itself is what is checked

    sign_in(master)
    page.goto(f"{live_server.url}/funds/studio/{studio.pk}/")
    page.get_by_test_id("expenditure-new").click()
    form = page.get_by_test_id("expenditure-form")
    form.get_by_label("金额（元）").fill("333.33")
    form.get_by_label("经费来源").select_option(label="学校运行经费")
    form.get_by_label("支出类别").select_option(label="设备")
    form.get_by_label("收款单位/人").fill("重庆某数控设备有限公司")
    form.get_by_label("用途说明").fill("数控车床刀塔维修")
    voucher = tmp_path / "发票.pdf"
    voucher.write_bytes(PDF)
    form.get_by_label("凭证扫描件（PDF/JPG/PNG）").set_input_files(str(voucher))
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("expenditure-status")).to_have_text("待财务确认")
    expect(page.get_by_test_id("voucher-link")).to_have_text("发票.pdf")

    page.context.clear_cookies()
    sign_in(finance)
    page.get_by_role("link", name="待确认的经费支出").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("line-room")).to_contain_text("可用 666.67 元")
    box = page.get_by_test_id("decision-box")
    box.get_by_label("确认支出").check()
    box.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("expenditure-status")).to_have_text("已确认")
    screenshot("funds-confirmed")

    page.goto(f"{live_server.url}/funds/studio/{studio.pk}/")
    lines = page.get_by_test_id("budget-lines")
    expect(lines).to_contain_text("333.33")
    expect(lines).to_contain_text("666.67")
    assert not errors, errors
