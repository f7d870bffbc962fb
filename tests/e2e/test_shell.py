"""The shell in a real browser: Chinese login, 我的工作台, role-dependent navigation, phone width."""

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_then_workbench_and_role_navigation(page, live_server, sign_in, screenshot):
    department = DepartmentFactory(code="JX", name="机械工程系")
    teacher = UserFactory(username="T1001", display_name="张明", department=department)
    inspector = UserFactory(username="K0001", display_name="罗纪检", department=None, roles=[Role.INSPECTOR])

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    page.get_by_label("工号").fill(teacher.username)
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("form")).to_contain_text("工号或密码")

    sign_in(teacher)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_text("您好，张明")).to_be_visible()
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link", name="我的工作台")).to_be_visible()
    expect(nav.get_by_role("link", name="审计日志")).to_have_count(0)
    expect(nav.get_by_role("link", name="用户与组织")).to_have_count(0)
    screenshot("shell-teacher-workbench")

    page.get_by_role("button", name="张明").click()
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    sign_in(inspector)
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link", name="审计日志")).to_be_visible()
    expect(nav.get_by_role("link", name="用户与组织")).to_be_visible()
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    # The teacher's sign-in a moment ago is on the inspector's audit trail.
    expect(page.locator("main")).to_contain_text("T1001")


def test_phone_width_has_a_collapsed_menu(page, sign_in, screenshot):
    department = DepartmentFactory(code="JX", name="机械工程系")
    teacher = UserFactory(username="T1001", display_name="张明", department=department)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(teacher)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    toggler = page.get_by_role("button", name="展开导航")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("main-nav")).not_to_be_visible()
    toggler.click()
    expect(page.get_by_test_id("main-nav").get_by_role("link", name="我的工作台")).to_be_visible()
    screenshot("shell-phone-390")


def test_the_browser_is_debians_chromium(browser):
    import shutil
    import subprocess

    reported = subprocess.run([shutil.which("chromium"), "--version"], capture_output=True, text=True, check=True)
    assert browser.version in reported.stdout, (browser.version, reported.stdout)
