"""账户与角色: create, enable/disable, temporary password, roles — who may do what, audited, nothing on refusal."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.enums import Role
from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_hr_creates_an_account_and_sees_its_temporary_password_once(login, hr_officer, department, audit_actions):
    client = login(hr_officer)
    response = client.post(
        "/system/users/new/",
        {"username": "T7001", "display_name": "新教师", "department": department.pk, "email": "t7001@school.example"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(username="T7001")
    temporary = response.context["temporary"]
    assert temporary in response.content.decode()
    assert user.department_id == department.pk and not user.is_external and user.must_change_password
    assert authenticate(username="T7001", password=temporary) == user
    assert audit_actions() == ["accounts.user.created", "accounts.user.password_reset"]
    assert temporary not in str(list(AuditEvent.objects.values("before", "after", "note")))


def test_duplicate_username_is_refused_in_chinese_and_nothing_is_stored(login, hr_officer, applicant, audit_actions):
    response = login(hr_officer).post("/system/users/new/", {"username": applicant.username, "display_name": "重名"})
    assert response.status_code == 200
    assert "该工号已存在。" in response.content.decode()
    assert User.objects.filter(username=applicant.username).count() == 1
    assert audit_actions() == []


def test_coop_office_creates_only_external_accounts(login, coop_officer, department):
    client = login(coop_officer)
    response = client.post(
        "/system/users/new/",
        {"username": "X7001", "display_name": "企业工程师", "is_external": "", "department": department.pk},
    )
    assert response.status_code == 200
    user = User.objects.get(username="X7001")
    assert user.is_external and user.department_id is None
    # …and without the page: the service refuses an internal account to 校企办
    with pytest.raises(PermissionDenied):
        services.create_user(by=coop_officer, username="T7002", display_name="校内", is_external=False)
    assert not User.objects.filter(username="T7002").exists()
    # 校企办 sees external accounts only
    internal = UserFactory(username="T7003", department=department)
    assert client.get(f"/system/users/{internal.pk}/").status_code == 404
    assert client.get(f"/system/users/{user.pk}/").status_code == 200


def test_temporary_password_must_be_changed_at_next_login(client, hr_officer, applicant):
    temporary = services.reset_password(by=hr_officer, user=applicant)
    applicant.refresh_from_db()
    assert applicant.must_change_password
    assert not applicant.check_password(TEST_PASSWORD)
    assert client.login(username=applicant.username, password=temporary)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/me").status_code == 403
    new = "Neu@Pass2027x"
    response = client.post(
        "/accounts/password/", {"old_password": temporary, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert not applicant.must_change_password and applicant.check_password(new)
    assert client.get("/").status_code == 200


def test_reset_password_ends_the_owners_sessions(client, login, hr_officer, applicant):
    from django.test import Client

    owner = Client()
    owner.force_login(applicant)
    assert owner.get("/").status_code == 200
    response = login(hr_officer).post(f"/system/users/{applicant.pk}/password/")
    assert response.status_code == 200 and "temporary" in response.context
    assert owner.get("/").status_code == 302  # signed out


def test_hr_grants_and_revokes_a_role_through_the_service_with_granted_by(
    login, hr_officer, applicant, department, audit_actions
):
    client = login(hr_officer)
    response = client.post(f"/system/users/{applicant.pk}/roles/", {"role": "dept_head", "department": department.pk})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=applicant, role=Role.DEPT_HEAD)
    assert assignment.department_id == department.pk and assignment.granted_by_id == hr_officer.pk
    client.post(f"/system/users/{applicant.pk}/roles/{assignment.pk}/revoke/")
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == ["accounts.role.assigned", "accounts.role.revoked"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.INSPECTOR, Role.STAFF])
def test_hr_cannot_grant_admin_or_discipline_rights(login, hr_officer, applicant, role, audit_actions):
    login(hr_officer).post(f"/system/users/{applicant.pk}/roles/", {"role": role.value})
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == []
    with pytest.raises((PermissionDenied, ValidationError)):
        services.assign_role(by=hr_officer, user=applicant, role=role)


def test_hr_cannot_take_over_an_admin_account(login, hr_officer, admin_user, audit_actions):
    client = login(hr_officer)
    password_before = User.objects.get(pk=admin_user.pk).password
    assert client.post(f"/system/users/{admin_user.pk}/password/").status_code == 403
    assert client.post(f"/system/users/{admin_user.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post(f"/system/users/{admin_user.pk}/roles/", {"role": "finance"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.password == password_before and admin_user.is_active
    assert audit_actions() == ["accounts.access.denied"] * 3


def test_nobody_changes_his_own_roles_or_account(login, hr_officer, admin_user):
    with pytest.raises(PermissionDenied):
        services.assign_role(by=hr_officer, user=hr_officer, role=Role.FINANCE)
    with pytest.raises(PermissionDenied):
        services.revoke_role(by=admin_user, user=admin_user, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.set_active(by=admin_user, user=admin_user, active=False)
    assert login(admin_user).post(f"/system/users/{admin_user.pk}/active/", {"active": "0"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_external_accounts_hold_only_the_expert_role(admin_user):
    outsider = UserFactory(username="X7002", department=None, is_external=True)
    with pytest.raises(ValidationError):
        services.assign_role(by=admin_user, user=outsider, role=Role.TEACHING_AFFAIRS)
    services.assign_role(by=admin_user, user=outsider, role=Role.EXPERT)
    assert list(outsider.role_assignments.values_list("role", flat=True)) == ["expert"]


def test_disable_and_enable(login, hr_officer, applicant, audit_actions):
    client = login(hr_officer)
    client.post(f"/system/users/{applicant.pk}/active/", {"active": "0"})
    applicant.refresh_from_db()
    assert not applicant.is_active
    client.post(f"/system/users/{applicant.pk}/active/", {"active": "1"})
    applicant.refresh_from_db()
    assert applicant.is_active
    assert audit_actions() == ["accounts.user.disabled", "accounts.user.enabled"]


def test_hr_records_work_and_honours_on_a_teachers_behalf(login, hr_officer, applicant, audit_actions):
    from people.models import Honor, HonorKind, WorkPeriod

    client = login(hr_officer)
    response = client.post(
        f"/system/users/{applicant.pk}/work/new/",
        {"kind": "work", "enterprise_name": "重庆机床厂", "start": "2010-01-01", "end": "2013-06-30"},
    )
    assert response.status_code == 302
    kind = HonorKind.objects.filter(has_rank=False).first()
    response = client.post(
        f"/system/users/{applicant.pk}/honors/new/",
        {"kind": kind.pk, "title": "重庆市技术能手", "level": "city", "date": "2020-05-01", "issuer": "市人社局"},
    )
    assert response.status_code == 302
    assert WorkPeriod.objects.get(user=applicant).enterprise_name == "重庆机床厂"
    assert Honor.objects.get(user=applicant).title == "重庆市技术能手"
    assert audit_actions() == ["people.workperiod.created", "people.honor.created"]
    # a bad period is refused with a message and stores nothing
    response = client.post(
        f"/system/users/{applicant.pk}/work/new/",
        {"kind": "work", "enterprise_name": "倒序", "start": "2013-01-01", "end": "2010-01-01"},
    )
    assert response.status_code == 200 and "结束日期不能早于开始日期" in response.content.decode()
    assert WorkPeriod.objects.filter(user=applicant).count() == 1


def test_user_list_filters_and_is_hidden_from_others(login, hr_officer, applicant, outsider, teaching_affairs):
    client = login(hr_officer)
    response = client.get("/system/users/", {"q": applicant.display_name})
    assert [u.pk for u in response.context["page"]] == [applicant.pk]
    response = client.get("/system/users/", {"role": "teaching_affairs"})
    assert [u.pk for u in response.context["page"]] == [teaching_affairs.pk]
    assert login(applicant).get("/system/users/").status_code == 403


def test_user_list_query_count_does_not_grow(login, admin_user, department, queries_for):
    client = login(admin_user)
    UserFactory(username="N0000", department=department, roles=[Role.EXPERT])
    one = queries_for(client, "/system/users/")
    for n in range(1, 30):
        UserFactory(username=f"N{n:04d}", department=department, roles=[Role.EXPERT, Role.COMMITTEE])
    assert queries_for(client, "/system/users/") == one <= 12
