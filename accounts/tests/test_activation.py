"""Issue 8, "also from the same review": accounts without a password (roster import) are activated through a one-time
link an officer issues; anyone can ask for a 忘记密码 link by 工号 or e-mail (same answer either way, rate-limited,
audited, mailed through the notifications e-mail task)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.enums import Role
from accounts.models import ApiToken, User
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Xin@Mima2027"


@pytest.fixture
def hr(db):
    return UserFactory(username="R9001", display_name="人事甲", department=None, roles=[Role.HR])


@pytest.fixture
def newcomer(department, hr):
    """As the roster import leaves him: no usable password, no e-mail."""
    return services.create_user(by=hr, username="T7001", display_name="新教师", department=department)


def _mails():
    """Mails sent through the notifications e-mail task (the immediate task backend in tests)."""
    from django.core import mail

    return list(mail.outbox)


def _link_from_mail(message):
    return re.search(r"https?://[^/]+(/\S+)", message.body).group(1)


def test_officer_issues_a_link_and_the_newcomer_sets_his_password(client, login, hr, newcomer):
    assert not newcomer.has_usable_password()
    officer = login(hr)
    page = officer.get(f"/accounts/users/{newcomer.pk}/").content.decode()
    assert "生成激活链接" in page
    response = officer.post(f"/accounts/users/{newcomer.pk}/activation/")
    body = response.content.decode()
    link = re.search(r'data-testid="activation-link">https?://[^/]+(/[^<]+)<', body).group(1)
    assert AuditEvent.objects.filter(action="accounts.activation.issued", object_id=str(newcomer.pk)).count() == 1
    officer.post("/accounts/logout/")

    page = client.get(link)
    assert page.status_code == 200 and "激活账户" in page.content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "账户已激活" in response.content.decode() and 'data-testid="password-set"' in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user.activated", actor=newcomer).count() == 1

    # Single use: the same link is dead now (and cannot overwrite the password he chose).
    again = client.post(link, {"new_password1": "Other@Mima2027", "new_password2": "Other@Mima2027"})
    assert again.status_code == 400 and 'data-testid="link-invalid"' in again.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    response = client.post("/accounts/login/", {"username": newcomer.username, "password": NEW_PASSWORD})
    assert client.session[SESSION_KEY] == str(newcomer.pk)


def test_activation_link_expires(client, hr, newcomer, settings, monkeypatch):
    from accounts.tokens import activation_tokens

    link = services.issue_activation(by=hr, user=newcomer)
    later = activation_tokens._now() + timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS, seconds=5)
    monkeypatch.setattr(activation_tokens, "_now", lambda: later)
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_weak_password_is_refused_and_the_link_still_works(client, hr, newcomer):
    link = services.issue_activation(by=hr, user=newcomer)
    response = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200 and "密码" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert 'data-testid="password-set"' in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_tampered_or_foreign_links_do_nothing(client, hr, newcomer, department):
    other = services.create_user(by=hr, username="T7002", display_name="另一位", department=department)
    link = services.issue_activation(by=hr, user=newcomer)
    _, _, uid, token, _ = link.split("/")[1:]
    from accounts.tokens import encode_uid

    for bad in [
        f"/accounts/activate/{encode_uid(other)}/{token}/",  # someone else's account with this token
        f"/accounts/activate/{uid}/{token[:-1]}x/",
        "/accounts/activate/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",  # huge id
        "/accounts/activate/%00/abc/",
    ]:
        response = client.post(bad, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert response.status_code in (400, 404), bad
    assert not User.objects.get(pk=other.pk).has_usable_password()
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()


def test_who_may_issue_activation_links(hr, newcomer, applicant, admin_user, department):
    with pytest.raises(PermissionDenied):
        services.issue_activation(by=applicant, user=newcomer)
    with pytest.raises(ValidationError):  # already has a password: 忘记密码 is the way
        services.issue_activation(by=hr, user=applicant)
    new_admin = services.create_user(by=admin_user, username="A7001", display_name="新管理员", department=None)
    services.assign_role(by=admin_user, user=new_admin, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):  # 人事部 cannot take over an admin account
        services.issue_activation(by=hr, user=new_admin)
    assert services.issue_activation(by=admin_user, user=new_admin).startswith("/accounts/activate/")
    assert services.issue_activation(by=None, user=newcomer)  # the roster import (system)


def test_staff_cannot_issue_links_through_the_page(login, applicant, newcomer):
    response = login(applicant).post(f"/accounts/users/{newcomer.pk}/activation/")
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="accounts.activation.issued").exists()


def test_activation_link_is_mailed_when_the_person_has_an_address(hr, department, django_capture_on_commit_callbacks):
    person = services.create_user(
        by=hr, username="T7003", display_name="有邮箱", department=department, email="t7003@school.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        path = services.issue_activation(by=hr, user=person, base_url="https://studio.school.example")
    [mail] = _mails()
    assert mail.to == ["t7003@school.example"] and "账户激活" in mail.subject
    assert _link_from_mail(mail) == path


# --- 忘记密码 ---------------------------------------------------------------------------------------------------


def _ask(client, identifier, ip="10.0.0.1"):
    return client.post("/accounts/password/reset/", {"identifier": identifier}, REMOTE_ADDR=ip, follow=True)


def test_forgotten_password_by_staff_number_or_email(client, applicant, django_capture_on_commit_callbacks, settings):
    settings.API_TOKENS_FOR_EVERYONE = True  # a plain teacher's token (officer roles only by default)
    token, key = services.issue_api_token(by=applicant, name="旧令牌")
    with django_capture_on_commit_callbacks(execute=True):
        answer_known = _ask(client, applicant.username).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer_email = _ask(client, applicant.email.upper()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer_unknown = _ask(client, "NOBODY").content.decode()
    message = "如果该工号或电子邮箱对应的账户登记了电子邮箱"
    assert message in answer_known and message in answer_email and message in answer_unknown
    mails = _mails()
    assert [m.to for m in mails] == [[applicant.email], [applicant.email]]
    assert AuditEvent.objects.filter(action="accounts.password_reset.requested").count() == 3

    link = _link_from_mail(mails[0])
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "密码已重置" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user.password_reset_by_link", actor=applicant).count() == 1
    token.refresh_from_db()
    assert token.revoked_at is not None  # the reset ends his API tokens
    assert not ApiToken.objects.filter(user=applicant, revoked_at__isnull=True).exists()
    # Both links were for the old password: the second one is dead too.
    second = client.post(_link_from_mail(mails[1]), {"new_password1": "Ab@12345xyz", "new_password2": "Ab@12345xyz"})
    assert second.status_code == 400


def test_forgotten_password_is_rate_limited(client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            _ask(client, applicant.username, ip="10.0.0.5")
    assert len(_mails()) == services.RESET_MAILS_PER_ACCOUNT_PER_HOUR
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(20):
            response = _ask(client, f"X{i}", ip="10.0.0.6")
    assert "如果该工号或电子邮箱" in response.content.decode()  # same answer when limited
    requested = AuditEvent.objects.filter(action="accounts.password_reset.requested").count()
    assert requested == services.RESET_MAILS_PER_ACCOUNT_PER_HOUR + services.RESET_REQUESTS_PER_IP_PER_HOUR


def test_reset_link_expires(client, applicant, settings, monkeypatch, django_capture_on_commit_callbacks):
    from accounts.tokens import reset_tokens

    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, applicant.username)
    link = _link_from_mail(_mails()[0])
    later = reset_tokens._now() + timedelta(minutes=settings.PASSWORD_RESET_MINUTES, seconds=5)
    monkeypatch.setattr(reset_tokens, "_now", lambda: later)
    assert client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 400
    applicant.refresh_from_db()
    assert not applicant.check_password(NEW_PASSWORD)


def test_an_activation_link_is_not_a_reset_link(client, hr, newcomer):
    link = services.issue_activation(by=hr, user=newcomer)
    reset_path = link.replace("/accounts/activate/", "/accounts/password/reset/")
    assert client.post(reset_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_login_page_offers_the_forgotten_password_page(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in body
    page = client.get("/accounts/password/reset/").content.decode()
    assert "忘记密码" in page and "工号或电子邮箱" in page
