"""API tokens only for those who need them (issue 9 item 11): the service refuses everyone the page refuses, so no
other caller (a script, a later page, the shell) can hand a plain teacher a token."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.enums import Role
from accounts.models import ApiToken
from accounts.permissions import API_TOKEN_ROLES
from accounts.services import issue_api_token
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("roles", [[], [Role.DEPT_HEAD], [Role.EXPERT], [Role.INSPECTOR], [Role.LEADERSHIP]])
def test_service_refuses_who_may_not_hold_tokens(department, roles):
    user = UserFactory(department=department, roles=roles)
    with pytest.raises(PermissionDenied, match="API 令牌只发给"):
        issue_api_token(by=user, name="脚本")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.api_token.issued").exists()


@pytest.mark.parametrize("role", sorted(API_TOKEN_ROLES))
def test_service_issues_to_officer_roles(role):
    user = UserFactory(department=None, roles=[role])
    token, key = issue_api_token(by=user, name="对接")
    assert ApiToken.objects.get(pk=token.pk).user_id == user.pk and key
    event = AuditEvent.objects.get(action="accounts.api_token.issued")
    assert event.actor_id == user.pk


def test_setting_opens_tokens_to_everyone(applicant, settings):
    with pytest.raises(PermissionDenied):
        issue_api_token(by=applicant, name="脚本")
    settings.API_TOKENS_FOR_EVERYONE = True
    token, _key = issue_api_token(by=applicant, name="脚本")
    assert token.user_id == applicant.pk


def test_page_and_service_agree(login, applicant, teaching_affairs):
    assert login(applicant).post("/accounts/tokens/", {"name": "脚本"}).status_code == 403
    assert not ApiToken.objects.exists()
    response = login(teaching_affairs).post("/accounts/tokens/", {"name": "教务系统对接"})
    assert response.status_code == 200 and 'data-testid="new-token"' in response.content.decode()
    assert ApiToken.objects.get().user_id == teaching_affairs.pk
