import pytest

from accounts.models import ApiToken
from accounts.services import issue_api_token, revoke_api_token
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


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


def test_token_page_issues_and_revokes_own_tokens_only(login, applicant, outsider):
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


def test_token_name_is_required(login, applicant):
    response = login(applicant).post("/accounts/tokens/", {"name": "  "})
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("技能大师工作室")
    assert "/api/v1/me" in schema["paths"]
