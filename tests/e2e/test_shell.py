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


def test_side_menu_groups_highlight_and_drawer(page, live_server, sign_in, screenshot):
    """Issue 9 item 1: grouped side menu at desktop width, a drawer at phone width, exactly one lit item (objection
    and approval pages light 公示), a visible keyboard focus, and the unread badge in the header."""
    from core.models import Notification

    officer = UserFactory(username="J0001", display_name="孙丽", department=None, roles=[Role.TEACHING_AFFAIRS])
    Notification.objects.create(recipient=officer, title="新的申报待处理")
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(officer)
    nav = page.get_by_test_id("main-nav")
    expect(nav).to_be_visible()
    for group in ("申报评审", "人员与资历", "工作室建设", "系统管理"):
        expect(nav.get_by_role("heading", name=group)).to_be_visible()
    expect(nav.locator("[aria-current=page]")).to_have_text("我的工作台")
    expect(page.get_by_test_id("unread-badge")).to_have_text("1")
    page.goto(f"{live_server.url}/applications/publicity/")
    expect(nav.locator("[aria-current=page]")).to_have_count(1)
    expect(nav.locator("[aria-current=page]")).to_have_text("公示")
    screenshot("shell-side-menu-1440")

    # Keyboard focus is clearly visible (a 3 px outline), on the menu as everywhere.
    nav.get_by_role("link", name="申报批次").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px", outline

    page.get_by_test_id("notification-bell").click()
    expect(page.get_by_role("heading", name="我的通知")).to_be_visible()
    page.get_by_test_id("notification-list").get_by_role("button", name="标为已读").click()
    expect(page.get_by_test_id("unread-badge")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/applications/calls/")
    expect(nav).not_to_be_visible()
    page.get_by_role("button", name="展开导航").click()
    expect(nav.get_by_role("link", name="申报批次")).to_be_visible()
    expect(nav.locator("[aria-current=page]")).to_have_text("申报批次")
    page.locator("#sidenav.show:not(.showing)").wait_for()  # the drawer has finished sliding in
    page.wait_for_timeout(350)
    page.screenshot(path=str(screenshot("shell-drawer-390").with_name("shell-drawer-390.png")), full_page=False)
    page.get_by_role("button", name="关闭导航").click()
    expect(nav).not_to_be_visible()
    page.goto(f"{live_server.url}/accounts/me/")
    expect(page.get_by_role("heading", name="个人中心")).to_be_visible()
    screenshot("shell-profile-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/notifications/")
    screenshot("shell-notifications-1440")
