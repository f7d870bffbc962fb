import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Ab1!", False),  # too short
        ("abcdefgh", False),  # one class
        ("abcdefg1", False),  # two classes
        ("Password1", False),  # three classes, but on the common-password list
        ("Kx9#mPq2", True),
        ("zhang.SAN2026", True),
        ("12345678", False),
    ],
)
def test_password_policy(password, ok):
    user = User(username="T7777", display_name="测试")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_character_class_message_is_chinese():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefgh2x", User(username="T7777", display_name="测试"))
    assert any("至少包含" in m for m in excinfo.value.messages)


def test_password_change_invalidates_other_sessions(client, applicant, password):
    from django.test import Client

    other = Client()
    other.force_login(applicant)
    client.force_login(applicant)
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Neu-Passw0rt!", "new_password2": "Neu-Passw0rt!"},
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("Neu-Passw0rt!")
    assert client.get("/").status_code == 200  # this session was kept
    replay = other.get("/")
    assert replay.status_code == 302  # the other session is no longer valid
    assert AuditEvent.objects.filter(action="accounts.user.password_changed", actor=applicant).count() == 1


def test_weak_new_password_is_refused_and_nothing_changes(login, applicant, password):
    client = login(applicant)
    response = client.post(
        "/accounts/password/", {"old_password": password, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert response.status_code == 200
    applicant.refresh_from_db()
    assert applicant.check_password(password)
    assert not AuditEvent.objects.filter(action="accounts.user.password_changed").exists()


def test_disabled_account_session_is_refused(login, applicant, admin_user):
    from accounts.services import set_active

    client = login(applicant)
    assert client.get("/").status_code == 200
    set_active(by=admin_user, user=applicant, active=False)
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.disabled").count() == 1
