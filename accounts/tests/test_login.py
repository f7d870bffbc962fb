import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.middleware import SESSION_AUTH_TIME_KEY
from accounts.models import LoginThrottle
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _post_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_chinese(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "登录" in body and "工号" in body
    assert '<html lang="zh-Hans">' in body


def test_login_rotates_session_and_is_audited(client, applicant, password):
    client.get(LOGIN)
    client.session["probe"] = 1
    before = client.cookies.get("sessionid")
    response = _post_login(client, applicant.username, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after
    assert client.session[SESSION_KEY] == str(applicant.pk)
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=applicant).count() == 1


def test_failed_login_is_audited_with_chinese_message(client, applicant):
    response = _post_login(client, applicant.username, "wrong-password")
    assert "工号或密码错误" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.failed", object_id=applicant.username).count() == 1


def test_lockout_after_five_failures_refuses_even_the_right_password(client, applicant, password, monkeypatch):
    for _ in range(5):
        _post_login(client, applicant.username, "wrong-password")
    throttle = LoginThrottle.objects.get(username=applicant.username, ip="10.0.0.1")
    assert throttle.failures == 5 and throttle.locked_until is not None

    # While locked, no password hash is computed: the password-checking backend is never reached.
    from django.contrib.auth.backends import ModelBackend

    calls = []
    original = ModelBackend.authenticate
    monkeypatch.setattr(ModelBackend, "authenticate", lambda *a, **k: calls.append(1) or original(*a, **k))
    response = _post_login(client, applicant.username, password)
    assert "已被临时锁定" in response.content.decode()
    assert calls == []
    assert SESSION_KEY not in client.session
    assert LoginThrottle.objects.get(username=applicant.username, ip="10.0.0.1").blocked_attempts == 1
    assert AuditEvent.objects.filter(action="accounts.login.locked").count() == 1


def test_lockout_is_keyed_on_user_and_ip(client, applicant, password):
    for _ in range(5):
        _post_login(client, applicant.username, "wrong-password", ip="10.0.0.1")
    response = _post_login(client, applicant.username, password, ip="10.0.0.2")
    assert response.status_code == 302  # same user from another address is not locked out


def test_four_failures_then_success_clears_the_counter(client, applicant, password):
    for _ in range(4):
        _post_login(client, applicant.username, "wrong-password")
    assert _post_login(client, applicant.username, password).status_code == 302
    assert not LoginThrottle.objects.filter(username=applicant.username).exists()


def test_lock_expires_after_the_lockout_period(client, applicant, password):
    for _ in range(5):
        _post_login(client, applicant.username, "wrong-password")
    from datetime import timedelta

    from django.utils import timezone

    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _post_login(client, applicant.username, password).status_code == 302


def test_inactive_user_cannot_log_in(client, applicant, password):
    applicant.is_active = False
    applicant.save()
    response = _post_login(client, applicant.username, password)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_is_post_only_and_audited(login, applicant):
    client = login(applicant)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="accounts.logout", actor=applicant).exists()


def test_session_cookie_replayed_after_logout_is_refused(client, applicant, password):
    _post_login(client, applicant.username, password)
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_absolute_session_lifetime(login, applicant, settings):
    client = login(applicant)
    session = client.session
    session[SESSION_AUTH_TIME_KEY] = time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


def test_idle_timeout_is_thirty_minutes_sliding(login, applicant, settings):
    """The expiry moves on with use (sliding 30 minutes), but the session row is written at most once per
    SESSION_REFRESH_SECONDS — not an UPDATE on every page."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import SESSION_REFRESHED_KEY

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = login(applicant)
    client.get("/")
    key = client.session.session_key
    # Pretend the last refresh was long ago and the session is about to expire: the next request moves it on.
    session = client.session
    session[SESSION_REFRESHED_KEY] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/").status_code == 200
    moved = Session.objects.get(session_key=key).expire_date
    assert moved > timezone.now() + timedelta(minutes=29)
    # Right after a refresh, a request writes nothing to the session row.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=10))
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date < timezone.now() + timedelta(minutes=11)


def test_blocked_attempts_do_not_flood_the_audit_log(client, applicant, password, settings):
    """Defect 9 (issue 8): one audit event when the lock starts; attempts refused during it are counted on the row."""
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, applicant.username, "wrong-password")
    before = AuditEvent.objects.count()
    for i in range(100):
        _post_login(client, applicant.username, password if i % 2 else "wrong-password")
    assert AuditEvent.objects.count() == before  # nothing more written while the lock lasts
    audited = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert audited == ["accounts.login.failed"] * settings.LOGIN_MAX_FAILURES + ["accounts.login.locked"]
    throttle = LoginThrottle.objects.get(username=applicant.username, ip="10.0.0.1")
    assert throttle.blocked_attempts == 100
    assert SESSION_KEY not in client.session


def test_a_new_lock_window_is_audited_again(client, applicant, settings):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, applicant.username, "wrong-password")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    for _ in range(settings.LOGIN_MAX_FAILURES + 3):
        _post_login(client, applicant.username, "wrong-password")
    assert AuditEvent.objects.filter(action="accounts.login.locked").count() == 2
    assert LoginThrottle.objects.get(username=applicant.username, ip="10.0.0.1").blocked_attempts == 3
