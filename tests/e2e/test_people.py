"""我的资历 and the eligibility pre-check in a real browser (people app, issue 3)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from people.models import StaffProfile, WorkPeriod
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_staff_records_practice_and_runs_the_precheck(page, live_server, sign_in, screenshot, tmp_path):
    from people.policy import ensure_policy_version

    ensure_policy_version(2026)  # the transactional flush removed the migration's row
    department = DepartmentFactory(code="JX", name="机械工程系")
    teacher = UserFactory(username="T1001", display_name="张明", department=department)
    profile = StaffProfile.objects.create(user=teacher, birth_date=date(1985, 6, 15), gender="male")
    profile.majors.add(MajorFactory(name="数控技术应用", department=department))
    proof = tmp_path / "实践证明.pdf"
    proof.write_bytes(PDF)

    sign_in(teacher)
    page.get_by_test_id("main-nav").get_by_role("link", name="我的资历").click()
    expect(page.get_by_role("heading", name="我的资历")).to_be_visible()
    page.get_by_test_id("work-table").locator("xpath=ancestor::section").get_by_role("link", name="添加").click()
    page.get_by_label("类型").select_option("practice")
    page.get_by_label("企业名称").fill("重庆机床（集团）有限责任公司")
    page.get_by_label("开始日期").fill("2024-07-01")
    page.get_by_label("结束日期").fill("2024-09-30")
    page.get_by_label("证明材料").set_input_files(str(proof))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("work-table")).to_contain_text("实践证明.pdf")
    assert WorkPeriod.objects.filter(user=teacher, kind="practice").count() == 1
    screenshot("people-my-record")

    page.get_by_role("link", name="技能大师资格预审").click()
    table = page.get_by_test_id("rule-table")
    expect(table).to_contain_text("R5")
    expect(table).to_contain_text("企业实践累计3个月")
    expect(page.get_by_test_id("overall")).to_contain_text("条件不符合")  # no certified honour yet (R6)
    screenshot("people-eligibility")


def test_coop_office_registers_a_partner_and_hr_sees_the_roster(page, live_server, sign_in, screenshot):
    from accounts.enums import Role
    from people.models import Enterprise
    from people.validators import credit_code_check_char

    department = DepartmentFactory(code="JX", name="机械工程系")
    MajorFactory(name="数控技术应用", department=department)
    coop = UserFactory(username="Q0001", display_name="高主任", department=None, roles=[Role.COOP_OFFICE])
    hr = UserFactory(username="R0001", display_name="林人事", department=None, roles=[Role.HR])
    teacher = UserFactory(username="T1001", display_name="张明", department=department)
    StaffProfile.objects.create(user=teacher, birth_date=date(1985, 6, 15), id_number_masked="500***********2315")
    body = "91500000202800001"

    sign_in(coop)
    page.get_by_test_id("main-nav").get_by_role("link", name="合作企业").click()
    page.get_by_role("link", name="登记企业").click()
    page.get_by_label("企业名称").fill("重庆机床（集团）有限责任公司")
    page.get_by_label("统一社会信用代码").fill(body + "0" if credit_code_check_char(body) != "0" else body + "1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main form")).to_contain_text("校验位不正确")
    assert not Enterprise.objects.exists()
    page.get_by_label("统一社会信用代码").fill(body + credit_code_check_char(body))
    page.get_by_label("合作企业").check()
    page.get_by_label("合作协议开始日期").fill("2024-01-01")
    page.get_by_label("具有较高行业影响力").check()
    page.get_by_label("行业影响力评估理由").fill("国内齿轮加工机床龙头企业")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="重庆机床（集团）有限责任公司")).to_be_visible()
    expect(page.locator("main")).to_contain_text("可为工作室提供校外成员")
    screenshot("people-enterprise-detail")
    page.get_by_role("button", name="高主任").click()
    page.get_by_role("button", name="退出").click()

    sign_in(hr)
    page.get_by_test_id("main-nav").get_by_role("link", name="教职工档案").click()
    expect(page.get_by_test_id("staff-table")).to_contain_text("500***********2315")
    screenshot("people-staff-list")
