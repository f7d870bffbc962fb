"""Issue 12 in the browser: the studio's master writes last year's 年度工作报告 (four sections, a nominated landmark
achievement), sees the computed tables and submits it after the confirmation dialog; the department head finds it on
我的工作台 (待系部审核的年度工作报告) and checks it through the decision box; 教学工作部 receives it. No console
error (CSP)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from annual.tests.helpers import TEXT, achievement
from ledger.tests.helpers import make_studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_master_writes_head_checks_office_receives(page, live_server, sign_in, screenshot):
    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="AN", name="电气工程系")
    studio, master, _team = make_studio(department, since=dt.date(year - 1, 3, 1))
    landmark = achievement(studio, master, title="工业机器人离线编程专利")
    head = UserFactory(department=department, display_name="周主任", roles=[Role.DEPT_HEAD])
    office = UserFactory(department=None, display_name="孙老师", roles=[Role.TEACHING_AFFAIRS])
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(master)
    page.goto(f"{live_server.url}/annual/mine/")
    form = page.get_by_test_id("report-form")
    form.get_by_label("完成情况").fill(TEXT["achievements_summary"])
    form.get_by_label("特色与创新").fill(TEXT["highlights"])
    form.get_by_label("问题与改进").fill(TEXT["problems"])
    form.get_by_label("下年度计划").fill(TEXT["next_year_plan"])
    form.get_by_label(landmark.title, exact=False).check()
    page.get_by_test_id("save-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    expect(page.get_by_test_id("plan-actual")).to_be_visible()
    expect(page.get_by_test_id("funds-total")).to_contain_text("合计")
    page.get_by_test_id("submit-report").click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已提交（待系部审核）")
    expect(page.get_by_test_id("landmarks")).to_contain_text(landmark.title)

    page.context.clear_cookies()
    sign_in(head)
    page.get_by_role("link", name="待系部审核的年度工作报告").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    box = page.get_by_test_id("decision-box")
    box.get_by_label("审核通过").check()
    box.get_by_role("button", name="提交办理意见").click()
    expect(page.get_by_test_id("report-status")).to_have_text("系部已审核（待教学工作部接收）")

    page.context.clear_cookies()
    sign_in(office)
    page.get_by_role("link", name="待接收的年度工作报告").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    box = page.get_by_test_id("decision-box")
    box.get_by_label("接收").check()
    box.get_by_role("button", name="提交办理意见").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已接收")
    expect(page.get_by_test_id("stepper-next")).to_have_text("已办结")
    screenshot("annual-received")
    assert not errors, errors
