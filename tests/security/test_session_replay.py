"""A session cookie replayed after logout, password change or account disable is refused everywhere: UI pages, a
write, and the API (session and token auth)."""

import pytest
from django.test import Client

from accounts import services
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Neu-Passw0rt!x"


def _sign_in(user, password):
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client, client.cookies["sessionid"].value


def _logout(client, user, admin):
    client.post("/accounts/logout/")


def _change_password(client, user, admin):
    other = Client()
    other.force_login(user)
    response = other.post(
        "/accounts/password/",
        {"old_password": other_password(user), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def _disable(client, user, admin):
    services.set_active(by=admin, user=user, active=False)


def other_password(user):
    from tests.factories import TEST_PASSWORD

    return TEST_PASSWORD


@pytest.mark.parametrize("ending", [_logout, _change_password, _disable], ids=["logout", "password", "disabled"])
def test_replayed_cookie_is_refused(ending, applicant, admin_user, password):
    client, cookie = _sign_in(applicant, password)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    ending(client, applicant, admin_user)

    replay = Client()
    replay.cookies["sessionid"] = cookie
    page = replay.get("/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert replay.get("/api/v1/me").status_code == 401
    before = AuditEvent.objects.exclude(action="accounts.access.denied").count()
    write = replay.post("/notifications/read/")
    assert write.status_code in (302, 403) and "/accounts/login/" in write.get("Location", "/accounts/login/")
    assert AuditEvent.objects.exclude(action="accounts.access.denied").count() == before


def test_api_token_of_a_disabled_account_is_refused(applicant, admin_user, settings):
    settings.API_TOKENS_FOR_EVERYONE = True  # a plain teacher's token (officer roles only by default)
    _row, key = services.issue_api_token(by=applicant, name="脚本")
    client = Client()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    services.set_active(by=admin_user, user=applicant, active=False)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
