"""Defect 1 (issue 8): every way in goes through one login path with the lockout and the audit.

/admin/login/ must not be a second login form; every authentication (whatever path) is audited once through the
user_logged_in / user_login_failed / user_logged_out signals.
"""

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import Client, RequestFactory

from accounts.models import LoginThrottle
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def staff_admin(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user


def test_admin_login_page_redirects_to_ours_with_next(client):
    response = client.get(ADMIN_LOGIN + "?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=/admin/accounts/user/"
    # The admin index sends an anonymous visitor to the same place (through the admin's login URL).
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == LOGIN + "?next=/admin/"
    assert "工号" in response.content.decode()


def test_admin_login_next_cannot_point_elsewhere(client):
    response = client.get(ADMIN_LOGIN + "?next=https://evil.example/")
    assert response["Location"] == LOGIN + "?next=/admin/"


def test_posting_a_password_to_admin_login_authenticates_nobody(client, staff_admin, password):
    response = client.post(ADMIN_LOGIN, {"username": staff_admin.username, "password": password, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action__startswith="accounts.login").exists()


def test_password_guessing_at_admin_login_cannot_bypass_the_lockout(client, staff_admin, password, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"username": staff_admin.username, "password": "wrong-Pass1"}, REMOTE_ADDR="10.0.0.7")
    assert LoginThrottle.objects.get(username=staff_admin.username, ip="10.0.0.7").locked_until is not None
    # Guessing (and finally the right password) at the admin's login: nobody is signed in, the admin stays closed.
    for guess in ["guess-1", "guess-2", password]:
        response = client.post(
            ADMIN_LOGIN, {"username": staff_admin.username, "password": guess}, REMOTE_ADDR="10.0.0.7"
        )
        assert SESSION_KEY not in client.session
    assert client.get("/admin/", REMOTE_ADDR="10.0.0.7")["Location"].startswith(ADMIN_LOGIN)
    # And our login still refuses the right password while the lock lasts.
    response = client.post(LOGIN, {"username": staff_admin.username, "password": password}, REMOTE_ADDR="10.0.0.7")
    assert "已被临时锁定" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_staff_admin_signs_in_through_ours_and_uses_the_admin(client, staff_admin, password):
    response = client.post(LOGIN + "?next=/admin/", {"username": staff_admin.username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(ADMIN_LOGIN)["Location"] == "/admin/"  # already signed in: straight to the admin
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=staff_admin).count() == 1


def test_signed_in_non_staff_at_admin_login_is_refused_not_looped(login, applicant):
    client = login(applicant)
    response = client.get(ADMIN_LOGIN + "?next=/admin/")
    assert response.status_code == 403
    assert "您" in response.content.decode()


def test_each_sign_in_and_out_is_audited_exactly_once(client, applicant, password):
    client.post(LOGIN, {"username": applicant.username, "password": "wrong-Pass1"})
    client.post(LOGIN, {"username": applicant.username, "password": password})
    client.post("/accounts/logout/")
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["accounts.login.failed", "accounts.login.succeeded", "accounts.logout"]


def test_any_other_sign_on_path_is_audited_and_locked(applicant, password, settings):
    """A future sign-on path that calls authenticate()/login() gets the audit and the lockout without extra code."""
    request = RequestFactory().post("/some/future/sso/", REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert authenticate(request, username=applicant.username, password="wrong-Pass1") is None
    assert AuditEvent.objects.filter(action="accounts.login.failed", object_id=applicant.username).count() == (
        settings.LOGIN_MAX_FAILURES
    )
    assert LoginThrottle.objects.get(username=applicant.username, ip="10.9.9.9").locked_until is not None
    assert authenticate(request, username=applicant.username, password=password) is None  # locked: refused

    client = Client()
    client.force_login(applicant)  # django.contrib.auth.login() under the hood
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=applicant).count() == 1
