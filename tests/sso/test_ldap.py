"""LDAP sign-in on the ordinary login form against a real OpenLDAP slapd (tests/sso/conftest.py slapd): a service
bind and search, then a bind as the person; a wrong password is a failed sign-in, counted for the lockout."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY

from accounts.enums import Role
from accounts.ldap import parse_group_roles
from accounts.middleware import SESSION_AUTH_TIME_KEY
from accounts.models import LoginThrottle, RoleAssignment, User
from core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import ADMINS_GROUP, FINANCE_GROUP, LDAP_PASSWORD, SUFFIX, free_port

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def teacher(department):
    return UserFactory(username="T1001", display_name="张老师", department=department)


def sign_in(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_ldap_is_off_by_default(settings):
    assert not settings.LDAP_SERVER_URI and settings.LOCAL_LOGIN == "all"
    assert settings.AUTHENTICATION_BACKENDS == ["accounts.backends.LockoutModelBackend"]


def test_directory_password_signs_in_the_matching_account(client, ldap, teacher):
    response = sign_in(client, "T1001", LDAP_PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == teacher.pk
    assert client.session["_auth_user_backend"] == "accounts.ldap.LdapBackend"
    assert client.get("/accounts/me/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=teacher).count() == 1
    assert client.session[SESSION_AUTH_TIME_KEY] > time.time() - 60


def test_wrong_password_is_refused_counted_and_locks(client, ldap, teacher, settings):
    response = sign_in(client, "T1001", "Wrong@2026", ip="10.3.3.3")
    assert SESSION_KEY not in client.session and "工号或密码错误" in response.content.decode()
    assert LoginThrottle.objects.get(username="T1001", ip="10.3.3.3").failures == 1
    assert AuditEvent.objects.filter(action="accounts.login.failed", object_id="T1001").count() == 1
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(client, "T1001", "Wrong@2026", ip="10.3.3.3")
    assert LoginThrottle.objects.get(username="T1001", ip="10.3.3.3").locked_until is not None
    # Locked: even the right directory password is refused (the directory is not even asked).
    response = sign_in(client, "T1001", LDAP_PASSWORD, ip="10.3.3.3")
    assert SESSION_KEY not in client.session and "已被临时锁定" in response.content.decode()
    assert LoginThrottle.objects.get(username="T1001", ip="10.3.3.3").blocked_attempts == 1
    assert AuditEvent.objects.filter(action="accounts.login.locked", object_id="T1001").count() == 1


def test_empty_password_and_filter_injection_get_nobody_in(client, ldap, teacher):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post(LOGIN)
    assert authenticate(request, username="T1001", password="") is None  # never an anonymous bind
    assert authenticate(request, username="*", password=LDAP_PASSWORD) is None
    assert authenticate(request, username="T1001)(uid=*", password=LDAP_PASSWORD) is None
    assert authenticate(request, username="T1001", password=LDAP_PASSWORD) == teacher


def test_directory_person_without_an_account_is_refused_not_counted(client, ldap):
    response = sign_in(client, "X9999", LDAP_PASSWORD)
    page = response.content.decode()
    assert SESSION_KEY not in client.session and "X9999" in page and "没有账户" in page
    assert AuditEvent.objects.get(action="accounts.sso.refused").after == {"method": "ldap", "reason": "unknown"}
    assert not LoginThrottle.objects.filter(username="X9999").exists()


def test_unknown_person_gets_a_disabled_account_when_configured(client, ldap, settings):
    settings.LDAP_CREATE_UNKNOWN = True
    response = sign_in(client, "N4004", LDAP_PASSWORD)
    assert SESSION_KEY not in client.session and "待人事部" in response.content.decode()
    created = User.objects.get(username="N4004")
    assert not created.is_active and created.display_name == "钱新" and created.email == "n4004@school.example"
    assert AuditEvent.objects.filter(action="accounts.sso.account_created", object_id=str(created.pk)).exists()


def test_group_membership_grants_and_withdraws_a_mapped_role(client, ldap, settings):
    settings.LDAP_GROUP_SEARCH_BASE = f"ou=groups,{SUFFIX}"
    settings.LDAP_GROUP_ROLES = f'{{"{FINANCE_GROUP}": "finance"}}'
    accountant = UserFactory(username="F5005", display_name="孙会计")
    UserFactory(username="A6006", display_name="周管理")
    sign_in(client, "F5005", LDAP_PASSWORD)
    assert int(client.session[SESSION_KEY]) == accountant.pk
    assert set(RoleAssignment.objects.filter(user=accountant).values_list("role", flat=True)) == {Role.FINANCE}
    assert AuditEvent.objects.filter(action="accounts.role.assigned", object_id=str(accountant.pk)).count() == 1
    # Out of the group in the directory: the role goes at the next sign-in.
    ldap.ldif(f"dn: {FINANCE_GROUP}\nchangetype: modify\nreplace: member\nmember: uid=A6006,ou=people,{SUFFIX}\n")
    client.post("/accounts/logout/")
    sign_in(client, "F5005", LDAP_PASSWORD)
    assert int(client.session[SESSION_KEY]) == accountant.pk
    assert not RoleAssignment.objects.filter(user=accountant).exists()
    assert AuditEvent.objects.filter(action="accounts.role.revoked", object_id=str(accountant.pk)).count() == 1
    ldap.ldif(f"dn: {FINANCE_GROUP}\nchangetype: modify\nreplace: member\nmember: uid=F5005,ou=people,{SUFFIX}\n")


def test_admin_is_never_granted_from_the_directory(client, ldap, settings):
    with pytest.raises(ValueError):
        parse_group_roles(f'{{"{ADMINS_GROUP}": "admin"}}')
    with pytest.raises(ValueError):
        parse_group_roles(f'{{"{ADMINS_GROUP}": "dept_head"}}')
    # Even if the setting were bypassed, the role sync drops 系统管理员.
    from accounts.sso import sync_roles

    member = UserFactory(username="A6006", display_name="周管理")
    sync_roles(member, granted={Role.ADMIN}, managed={Role.ADMIN})
    assert not RoleAssignment.objects.filter(user=member).exists()


def test_settings_refuse_admin_in_the_group_mapping():
    import subprocess
    import sys

    code = "import config.settings"
    env = {**__import__("os").environ, "LDAP_GROUP_ROLES": f'{{"{ADMINS_GROUP}": "admin"}}'}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "never granted" in result.stderr


def test_directory_unreachable_is_a_clear_refusal_not_a_failure(client, ldap, settings, teacher):
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}"  # nothing listens there
    settings.LDAP_TIMEOUT_S = 2
    response = sign_in(client, "T1001", LDAP_PASSWORD)
    assert SESSION_KEY not in client.session and "暂时无法连接" in response.content.decode()
    assert not LoginThrottle.objects.filter(username="T1001").exists()
    assert AuditEvent.objects.get(action="accounts.sso.refused").after["reason"] == "unavailable"


def test_wrong_service_bind_password_is_a_refusal(client, ldap, settings, teacher):
    settings.LDAP_BIND_PASSWORD = "not-the-service-password"
    response = sign_in(client, "T1001", LDAP_PASSWORD)
    assert SESSION_KEY not in client.session and "暂时无法连接" in response.content.decode()


def test_local_password_only_for_admin_when_ldap_is_on(client, ldap, teacher, password, settings):
    admin = UserFactory(username="A0001", display_name="管理员", roles=[Role.ADMIN])
    sign_in(client, "T1001", password)  # his old local password no longer opens the account
    assert SESSION_KEY not in client.session
    sign_in(client, "A0001", password)
    assert int(client.session[SESSION_KEY]) == admin.pk
    client.post("/accounts/logout/")
    settings.LOCAL_LOGIN = "all"
    sign_in(client, "T1001", password)
    assert int(client.session[SESSION_KEY]) == teacher.pk


def test_ldap_session_obeys_the_absolute_lifetime(client, ldap, teacher):
    sign_in(client, "T1001", LDAP_PASSWORD)
    session = client.session
    session[SESSION_AUTH_TIME_KEY] = time.time() - django_settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_system_check_vets_the_group_mapping(settings):
    from accounts.ldap import check_group_roles

    settings.LDAP_GROUP_ROLES = '{"cn=x,dc=school,dc=example": "nonsense"}'
    assert [e.id for e in check_group_roles()] == ["accounts.E101"]
    settings.LDAP_GROUP_ROLES = '{"cn=x,dc=school,dc=example": "finance"}'
    assert check_group_roles() == []
