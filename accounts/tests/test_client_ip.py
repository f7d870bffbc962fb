"""Defect 5 (issue 8): the client's address behind a reverse proxy, and a growing delay for attacks from many addresses.

X-Forwarded-For is believed only when the direct peer (REMOTE_ADDR) is in TRUSTED_PROXIES; it is walked from the right,
skipping trusted hops, and the right-most untrusted hop is the client. One helper (core.middleware.client_ip) gives
the address to the lockout and to the audit log.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import LoginThrottle
from core.middleware import client_ip
from core.models import AuditEvent

LOGIN = "/accounts/login/"


def _request(remote, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "xff", "expected"),
    [
        # No trusted proxy configured (the default): the header is ignored, whoever sends it.
        ([], "127.0.0.1", "203.0.113.9", "127.0.0.1"),
        ([], "198.51.100.4", "203.0.113.9", "198.51.100.4"),
        # nginx on the same host: the right-most address nginx appended is the client.
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # A client forging the header: nginx appends the real address; the forged left part is never taken.
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two trusted hops (a load balancer network, then nginx): both skipped.
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        # A direct peer that is not trusted: its header is not believed.
        (["127.0.0.1"], "198.51.100.4", "203.0.113.9", "198.51.100.4"),
        # Every hop trusted: the left-most one is the best we know.
        (["10.0.0.0/8", "127.0.0.1"], "127.0.0.1", "10.0.0.5, 10.0.0.6", "10.0.0.5"),
        # Garbage in the header: stop at the nearest address that was vouched for.
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9, not-an-ip", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        # IPv6, with and without a port-less bracket form.
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
        (["127.0.0.1"], "127.0.0.1", "[2001:db8::7]", "2001:db8::7"),
    ],
)
def test_client_ip_takes_the_right_most_untrusted_hop(settings, trusted, remote, xff, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(_request(remote, xff)) == expected


def test_client_ip_without_request():
    assert client_ip(None) is None


@pytest.mark.django_db
def test_behind_nginx_one_attacker_cannot_lock_out_everyone(client, settings, applicant, password):
    """Before the fix every client behind nginx was 127.0.0.1: five wrong passwords from anywhere locked the teacher."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            LOGIN,
            {"username": applicant.username, "password": "wrong-Pass1"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    assert LoginThrottle.objects.get(username=applicant.username, ip="203.0.113.66").locked_until
    # The teacher, from his own address through the same nginx, signs in.
    response = client.post(
        LOGIN,
        {"username": applicant.username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(applicant.pk)
    ips = set(AuditEvent.objects.filter(action__startswith="accounts.login").values_list("ip", flat=True))
    assert ips == {"203.0.113.66", "198.51.100.20"}  # the audit log carries the client, not the proxy


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_the_account_down_without_locking_it(client, settings, applicant, password):
    settings.LOGIN_ACCOUNT_DELAY_AFTER = 6
    settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 60
    # Six addresses, one wrong password each: no (工号, IP) pair is locked, but the account now asks for a pause.
    for i in range(6):
        client.post(LOGIN, {"username": applicant.username, "password": "wrong-Pass1"}, REMOTE_ADDR=f"203.0.113.{i}")
    assert not LoginThrottle.objects.filter(username=applicant.username, locked_until__gt=timezone.now()).exclude(
        ip="*"
    )
    account = LoginThrottle.objects.get(username=applicant.username, ip="*")
    assert account.failures == 6 and account.locked_until is not None
    first_delay = account.locked_until - account.last_failure_at
    assert timedelta(seconds=1) <= first_delay <= timedelta(seconds=2)

    # During the pause every address, the teacher's too, is asked to wait; no password is checked, nothing is audited.
    audit_before = AuditEvent.objects.count()
    response = client.post(LOGIN, {"username": applicant.username, "password": password}, REMOTE_ADDR="198.51.100.20")
    assert "秒后再试" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.count() == audit_before
    account.refresh_from_db()
    assert account.blocked_attempts == 1

    # Each further failure doubles the pause (capped), it never becomes a lockout.
    delays = []
    for i in range(10):
        LoginThrottle.objects.filter(pk=account.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
        client.post(LOGIN, {"username": applicant.username, "password": "wrong-Pass1"}, REMOTE_ADDR=f"203.0.114.{i}")
        account.refresh_from_db()
        delays.append(round((account.locked_until - account.last_failure_at).total_seconds()))
    assert delays == [2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
    assert AuditEvent.objects.filter(action="accounts.login.throttled").count() == 1  # once, when the pause began

    # After the pause, the right password works from the teacher's address and the account counter is cleared.
    LoginThrottle.objects.filter(pk=account.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = client.post(LOGIN, {"username": applicant.username, "password": password}, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(username=applicant.username, ip="*").exists()
