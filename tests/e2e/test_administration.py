"""系统管理 in a real browser (issue 9 item 12): an HR officer creates an account, grants a role and disables it."""

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_creates_a_user_grants_a_role_and_disables_him(page, live_server, sign_in, screenshot):
    department = DepartmentFactory(code="JX", name="机械工程系")
    hr = UserFactory(username="R0001", display_name="林人事", department=None, roles=[Role.HR])

    sign_in(hr)
    page.get_by_role("link", name="账户与角色").first.click()
    expect(page.get_by_role("heading", name="账户与角色")).to_be_visible()
    page.get_by_role("link", name="新建账户").click()
    page.get_by_label("工号").fill("T2001")
    page.get_by_label("姓名").fill("王新")
    page.get_by_label("所属系部").select_option(label="机械工程系")
    page.get_by_role("button", name="保存").click()
    temporary = page.get_by_test_id("temporary-password").inner_text().strip()
    assert len(temporary) == 12
    user = User.objects.get(username="T2001")
    assert user.department_id == department.pk and user.must_change_password and user.check_password(temporary)
    screenshot("administration-temporary-password")

    page.get_by_role("link", name="查看账户").click()
    page.get_by_label("角色").select_option(label="系（部）主任")
    page.get_by_label("负责系部").select_option(label="机械工程系")
    page.get_by_role("button", name="授予角色").click()
    expect(page.get_by_test_id("role-table")).to_contain_text("系（部）主任（机械工程系）")
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.DEPT_HEAD and assignment.granted_by_id == hr.pk

    page.get_by_role("button", name="停用账户").click()
    expect(page.get_by_test_id("account-status")).to_contain_text("停用")
    user.refresh_from_db()
    assert not user.is_active
    screenshot("administration-user-detail")
