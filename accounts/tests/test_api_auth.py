import pytest

from accounts.models import ApiToken
from accounts.services import issue_api_token, revoke_api_token
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tokens_for_everyone(settings):
    """These tests hold tokens as a plain teacher: API tokens are for officer roles unless API_TOKENS_FOR_EVERYONE
    (accounts.permissions.may_use_api_tokens, enforced by issue_api_token)."""
    settings.API_TOKENS_FOR_EVERYONE = True


def test_api_needs_authentication(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_api_with_session(login, dept_head):
    data = login(dept_head).get("/api/v1/me").json()
    assert data["username"] == dept_head.username
    assert "dept_head" in data["roles"] and "staff" in data["roles"]


def test_api_with_token_and_revocation(client, applicant):
    token, key = issue_api_token(by=applicant, name="对接测试")
    assert ApiToken.objects.get(pk=token.pk).key_hash != key  # only the hash is stored
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["username"] == applicant.username
    revoke_api_token(by=applicant, token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.api_token.issued", "accounts.api_token.revoked"} <= actions


def test_token_of_disabled_user_is_refused(client, applicant, admin_user):
    from accounts.services import set_active

    _, key = issue_api_token(by=applicant, name="x")
    set_active(by=admin_user, user=applicant, active=False)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_token_page_issues_and_revokes_own_tokens_only(login, applicant, outsider, settings):
    settings.API_TOKENS_FOR_EVERYONE = True  # the page is for officer roles by default (accounts.self_service)
    client = login(applicant)
    response = client.post("/accounts/tokens/", {"name": "财务系统对接"})
    assert 'data-testid="new-token"' in response.content.decode()
    token = ApiToken.objects.get(user=applicant)
    theirs, _ = issue_api_token(by=outsider, name="别人的")
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_name_is_required(login, applicant, settings):
    settings.API_TOKENS_FOR_EVERYONE = True
    response = login(applicant).post("/accounts/tokens/", {"name": "  "})
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("技能大师工作室")
    assert "/api/v1/me" in schema["paths"]


# --- Defect 10 (issue 8): tokens work for every write; CSRF still guards cookie sessions; tokens expire and die with
# a password change or a disabled account. The client enforces CSRF like a browser-facing server does.

WORK_PERIOD = {"kind": "work", "enterprise_name": "令牌测试企业", "start": "2010-01-01", "end": "2012-01-01"}


def _post_work_period(client, **extra):
    import json

    return client.post(
        "/api/v1/people/work-periods", data=json.dumps(WORK_PERIOD), content_type="application/json", **extra
    )


def _work_periods(user):
    from people.models import WorkPeriod

    return WorkPeriod.objects.filter(user=user, enterprise_name="令牌测试企业").count()


def test_token_write_works_with_csrf_enforced(applicant):
    from django.test import Client

    _, key = issue_api_token(by=applicant, name="写入")
    client = Client(enforce_csrf_checks=True)
    response = _post_work_period(client, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201, response.content
    assert _work_periods(applicant) == 1


def test_cookie_session_write_without_csrf_token_is_refused(applicant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = _post_work_period(client)
    assert response.status_code == 403
    assert _work_periods(applicant) == 0
    # A bogus Bearer header does not open a side door for the session cookie either.
    response = _post_work_period(client, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert _work_periods(applicant) == 0


def test_cookie_session_write_with_csrf_token_works(applicant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    client.get("/accounts/password/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = _post_work_period(client, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert _work_periods(applicant) == 1


def test_token_expires(client, applicant, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.API_TOKEN_DAYS = 90
    token, key = issue_api_token(by=applicant, name="过期")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_password_change_revokes_tokens(login, applicant, password):
    from django.test import Client

    token, key = issue_api_token(by=applicant, name="改密")
    client = login(applicant)
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "New@Pass2027x", "new_password2": "New@Pass2027x"},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_password_set_anywhere_else_also_kills_tokens(client, applicant):
    """A password set outside our services (the admin's form, a shell) still ends the tokens: they are bound to it."""
    _, key = issue_api_token(by=applicant, name="旁路")
    applicant.set_password("Other@Pass2027")
    applicant.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_disabling_an_account_revokes_its_tokens_for_good(client, applicant, admin_user):
    from accounts.services import set_active

    token, key = issue_api_token(by=applicant, name="停用")
    set_active(by=admin_user, user=applicant, active=False)
    set_active(by=admin_user, user=applicant, active=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
