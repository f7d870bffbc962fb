"""统一身份认证登录 (CAS) end to end against a real CAS server in its own process (tests/sso/conftest.py cas_server).

The person's browser is played by `requests` at the CAS server (its own login page, CSRF token and password) and by
Django's test client (or the live server) at ours; the ticket is validated server-to-server over HTTP. Nothing of
the protocol is mocked.
"""

import re
import time
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.cas import SESSION_TICKET_KEY, parse_logout_request, parse_validation
from accounts.enums import Role
from accounts.middleware import SESSION_AUTH_TIME_KEY
from accounts.models import LoginThrottle, SignOnSession, User
from core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import CAS_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
CAS_LOGIN = "/accounts/cas/login/"
CALLBACK = "/accounts/cas/callback/"


@pytest.fixture
def teacher(department):
    return UserFactory(username="T1001", display_name="张老师", department=department)


def at_cas_server(location, login, password=CAS_PASSWORD):
    """The person at the CAS server: its login page (with the service our app named), his CAS password; returns the
    URL the CAS server sends the browser back to (our callback with ?ticket=…)."""
    browser = requests.Session()
    page = browser.get(location, timeout=10)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        page.url,
        data={"csrfmiddlewaretoken": token, "username": login, "password": password},
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def cas_sign_in(client, login, *, next_url="", password=CAS_PASSWORD, remote_addr="127.0.0.1"):
    """「统一身份认证登录」 → CAS server → back to our callback. Returns our callback's response."""
    start = client.get(CAS_LOGIN + (f"?next={next_url}" if next_url else ""), REMOTE_ADDR=remote_addr)
    assert start.status_code == 302
    back = urlsplit(at_cas_server(start["Location"], login, password))
    assert back.netloc == "testserver" and back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}", REMOTE_ADDR=remote_addr)


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_cas_is_off_by_default_login_page_unchanged(client, settings):
    assert not settings.CAS_SERVER_URL and settings.AUTHENTICATION_BACKENDS == ["accounts.backends.LockoutModelBackend"]
    page = client.get(LOGIN).content.decode()
    assert "统一身份认证登录" not in page and "忘记密码" in page
    assert client.get(CAS_LOGIN).status_code == 404
    assert client.get(CALLBACK + "?ticket=ST-1").status_code == 404


def test_login_page_offers_cas(client, cas):
    page = client.get(LOGIN + "?next=/studios/").content.decode()
    assert "统一身份认证登录" in page and f"{CAS_LOGIN}?next=/studios/" in page
    assert "仅供系统管理员" in page


def test_cas_login_creates_a_session_for_the_matched_account(client, cas, teacher):
    response = cas_sign_in(client, "T1001", next_url="/accounts/me/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    assert int(client.session[SESSION_KEY]) == teacher.pk
    assert client.session["_auth_user_backend"] == "accounts.cas.CasBackend"
    assert client.get("/accounts/me/").status_code == 200
    # The same audit as the password login, and the session's start time for the absolute lifetime.
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=teacher).count() == 1
    assert client.session[SESSION_AUTH_TIME_KEY] > time.time() - 60
    row = SignOnSession.objects.get(user=teacher)
    assert row.session_key == client.session.session_key and client.session[SESSION_TICKET_KEY] == row.ticket_hash


def test_staff_number_from_a_cas_attribute(client, cas, settings, department):
    settings.CAS_STAFF_NO_ATTRIBUTE = "employeeNumber"
    user = UserFactory(username="T2002", display_name="王五", department=department)
    response = cas_sign_in(client, "wang.wu")
    assert response.status_code == 302 and int(client.session[SESSION_KEY]) == user.pk


def test_unknown_staff_number_is_refused_with_a_clear_message(client, cas):
    response = cas_sign_in(client, "X9999")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert any("X9999" in m and "没有账户" in m for m in messages_of(response))
    event = AuditEvent.objects.get(action="accounts.sso.refused")
    assert event.object_id == "X9999" and event.after == {"method": "cas", "reason": "unknown"}
    assert not User.objects.filter(username="X9999").exists()
    # A refusal for a known reason is not a wrong password: nothing counted towards the lockout.
    assert not LoginThrottle.objects.filter(username="X9999").exists()
    assert not AuditEvent.objects.filter(action="accounts.login.failed").exists()


def test_unknown_staff_number_creates_a_disabled_account_when_configured(client, cas, settings):
    settings.CAS_CREATE_UNKNOWN = True
    settings.CAS_STAFF_NO_ATTRIBUTE = "employeeNumber"
    settings.CAS_NAME_ATTRIBUTE = "cn"
    settings.CAS_EMAIL_ATTRIBUTE = "mail"
    response = cas_sign_in(client, "N4004")
    assert SESSION_KEY not in client.session
    assert any("待人事部" in m for m in messages_of(response))
    created = User.objects.get(username="N4004")
    assert not created.is_active and created.display_name == "钱新" and created.email == "n4004@school.example"
    assert not created.has_usable_password()
    actions = set(AuditEvent.objects.filter(object_id=str(created.pk)).values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.user.disabled", "accounts.sso.account_created"} <= actions
    # Next time: the account exists but is disabled until 人事部 enables it.
    response = cas_sign_in(Client(), "N4004")
    assert any("已停用" in m for m in messages_of(response))
    assert User.objects.filter(username="N4004").count() == 1


def test_invalid_staff_number_from_cas_is_refused(client, cas, settings):
    settings.CAS_CREATE_UNKNOWN = True
    response = cas_sign_in(client, "bad name!")
    assert SESSION_KEY not in client.session and any("格式" in m for m in messages_of(response))
    assert not User.objects.filter(username="bad name!").exists()


def test_disabled_account_is_refused(client, cas, teacher):
    User.objects.filter(pk=teacher.pk).update(is_active=False)
    response = cas_sign_in(client, "T1001")
    assert SESSION_KEY not in client.session and any("已停用" in m for m in messages_of(response))


def test_forged_and_replayed_tickets_are_refused(client, cas, teacher):
    response = client.get(CALLBACK + "?ticket=ST-0-forged")
    assert response["Location"] == LOGIN and SESSION_KEY not in client.session
    assert AuditEvent.objects.get(action="accounts.sso.refused").after["reason"] == "invalid_ticket"
    start = client.get(CAS_LOGIN)
    back = urlsplit(at_cas_server(start["Location"], "T1001"))
    assert client.get(f"{back.path}?{back.query}").status_code == 302 and SESSION_KEY in client.session
    other = Client()
    other.get(f"{back.path}?{back.query}")  # the same ticket again (stolen from the address bar)
    assert SESSION_KEY not in other.session


def test_ticket_for_another_service_is_refused(client, cas, teacher):
    """A ticket issued for another site (service) is not accepted here: validation names our service URL."""
    location = f"{cas.url}/login?service=http://testserver/elsewhere/"
    ticket = parse_qs(urlsplit(at_cas_server(location, "T1001")).query)["ticket"][0]
    client.get(f"{CALLBACK}?ticket={ticket}")
    assert SESSION_KEY not in client.session


def test_cas_respects_the_lockout(client, cas, teacher, settings):
    settings.LOCAL_LOGIN = "all"
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"username": "T1001", "password": "wrong-Pass1"}, REMOTE_ADDR="10.1.1.1")
    assert LoginThrottle.objects.get(username="T1001", ip="10.1.1.1").locked_until is not None
    response = cas_sign_in(client, "T1001", remote_addr="10.1.1.1")
    assert SESSION_KEY not in client.session
    assert any("已被临时锁定" in m for m in messages_of(response))
    assert LoginThrottle.objects.get(username="T1001", ip="10.1.1.1").blocked_attempts == 1
    # From another address the lock does not apply (the lockout is per 工号 + address, as for passwords).
    cas_sign_in(client, "T1001", remote_addr="10.2.2.2")
    assert int(client.session[SESSION_KEY]) == teacher.pk


def test_cas_session_obeys_the_absolute_lifetime(client, cas, teacher):
    cas_sign_in(client, "T1001")
    session = client.session
    session[SESSION_AUTH_TIME_KEY] = time.time() - django_settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


def test_local_password_only_for_admin_when_cas_is_on(client, cas, teacher, password):
    admin = UserFactory(username="A0001", display_name="管理员", roles=[Role.ADMIN])
    client.post(LOGIN, {"username": teacher.username, "password": password})
    assert SESSION_KEY not in client.session  # a teacher signs in through CAS only
    assert AuditEvent.objects.filter(action="accounts.login.failed", object_id="T1001").count() == 1
    client.post(LOGIN, {"username": admin.username, "password": password})
    assert int(client.session[SESSION_KEY]) == admin.pk  # the administrator keeps his password (CAS down)


def test_logout_of_a_cas_session_goes_on_to_the_cas_logout(client, cas, teacher):
    cas_sign_in(client, "T1001")
    response = client.post("/accounts/logout/")
    assert response["Location"].startswith(f"{cas.url}/logout?service=")
    assert "accounts%2Flogin" in response["Location"]
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="accounts.logout", actor=teacher).count() == 1


def test_logout_of_a_password_session_stays_here(client, cas, password):
    admin = UserFactory(username="A0001", display_name="管理员", roles=[Role.ADMIN])
    client.post(LOGIN, {"username": admin.username, "password": password})
    assert client.post("/accounts/logout/")["Location"] == LOGIN


def test_next_pointing_elsewhere_is_dropped(client, cas, teacher):
    start = client.get(CAS_LOGIN + "?next=https://evil.example/")
    assert "evil" not in start["Location"]
    response = cas_sign_in(client, "T1001", next_url="https://evil.example/")
    assert response["Location"] == "/"


def test_single_logout_request_ends_the_session_even_after_its_id_changed(client, cas, teacher):
    cas_sign_in(client, "T1001")
    row = SignOnSession.objects.get(user=teacher)
    # The session id is renewed (as the two-factor step does): the single-logout link follows it.
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=client.session.session_key)
    store.load()
    store.cycle_key()
    row.refresh_from_db()
    assert row.session_key == store.session_key
    ticket = "ST-unknown"
    assert client.post(CALLBACK, {"logoutRequest": _logout_request(ticket)}).status_code == 200  # unknown: ignored
    assert Session.objects.filter(session_key=store.session_key).exists()
    # The real ticket: look it up the way the CAS server would name it.
    real = _ticket_of(row)
    response = Client().post(CALLBACK, {"logoutRequest": _logout_request(real)})
    assert response.status_code == 200
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert not SignOnSession.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.sso.single_logout", actor=teacher).count() == 1


def test_hostile_validation_and_logout_documents_are_not_trusted():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with pytest.raises(Exception) as refused:
        parse_validation(bomb, "ST-1")
    assert getattr(refused.value, "reason", "") == "invalid_ticket"
    failure = b'<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET"/></cas:serviceResponse>'
    with pytest.raises(Exception) as refused:
        parse_validation(failure, "ST-1")
    assert refused.value.detail == "INVALID_TICKET"
    assert parse_logout_request("<not xml") == ""
    assert parse_logout_request(bomb.decode()) == ""
    assert parse_logout_request(_logout_request("ST-42")) == "ST-42"


# --- Single logout from the CAS server, through a live server it can reach -------------------------------------------

_TICKETS = {}


def _logout_request(ticket):
    return (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="x" Version="2.0" IssueInstant="2026-11-29T00:00:00Z">'
        f"<saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>{ticket}</samlp:SessionIndex>"
        "</samlp:LogoutRequest>"
    )


def _ticket_of(row):
    return _TICKETS[row.ticket_hash]


@pytest.fixture(autouse=True)
def _remember_tickets(monkeypatch):
    """The tests above play the CAS server's back-channel themselves: they need the ticket, which we store only as a
    digest. Record tickets as they are validated (the real validation still runs)."""
    from accounts import cas as cas_module

    real = cas_module.validate

    def recording(ticket, service):
        assertion = real(ticket, service)
        _TICKETS[cas_module.ticket_digest(ticket)] = ticket
        return assertion

    monkeypatch.setattr(cas_module, "validate", recording)


@pytest.mark.django_db(transaction=True)
def test_cas_server_logout_ends_our_session(live_server, cas, settings, department):
    """Sign in through the live server; sign out at the CAS server: its back-channel request ends our session."""
    teacher = UserFactory(username="T1001", display_name="张老师", department=department)
    settings.ALLOWED_HOSTS = ["*"]
    browser = requests.Session()
    start = browser.get(f"{live_server.url}{CAS_LOGIN}?next=/accounts/me/", allow_redirects=False, timeout=10)
    assert start.status_code == 302 and start.headers["Location"].startswith(cas.url)
    page = browser.get(start.headers["Location"], timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    # Log in at the CAS server; the browser follows the redirects back to us (ticket validated server-to-server).
    done = browser.post(
        page.url,
        data={"csrfmiddlewaretoken": token, "username": "T1001", "password": CAS_PASSWORD},
        headers={"Referer": page.url},
        timeout=20,
    )
    assert done.status_code == 200 and done.url == f"{live_server.url}/accounts/me/", done.url
    assert "张老师" in done.text
    assert SignOnSession.objects.filter(user=teacher).count() == 1
    # Sign out at the CAS server (another tab, another site): it POSTs logoutRequest to our callback.
    browser.get(f"{cas.url}/logout", timeout=20)
    again = browser.get(f"{live_server.url}/accounts/me/", allow_redirects=False, timeout=10)
    assert again.status_code == 302 and again.headers["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="accounts.sso.single_logout", actor=teacher).count() == 1


def test_cas_sign_in_of_an_administrator_still_needs_the_second_step(client, cas, settings):
    """Two-factor (accounts.otp) follows login() whatever the path: CAS does not skip it."""
    settings.OTP_REQUIRED_FOR = frozenset({"admin"})
    admin = UserFactory(username="H3003", display_name="赵主任", roles=[Role.ADMIN])
    cas_sign_in(client, "H3003")
    assert int(client.session[SESSION_KEY]) == admin.pk
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")
