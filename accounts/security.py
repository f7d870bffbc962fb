"""Sign-in throttling, checked before any password hash is computed (accounts.backends.LockoutModelBackend).

Two counters per 工号 (docs/security.md "Sign-in throttling"):
- (工号, IP): LOGIN_MAX_FAILURES failures within LOGIN_LOCKOUT_MINUTES lock that pair for LOGIN_LOCKOUT_MINUTES.
  Someone guessing from one address is stopped; the teacher at his own address is not affected.
- (工号, "*"), every address together: from the LOGIN_ACCOUNT_DELAY_AFTER-th failure on, each further attempt must
  wait 1, 2, 4 … seconds (at most LOGIN_ACCOUNT_MAX_DELAY_SECONDS) after the last failure. A growing delay, never a
  lockout: guessing from many addresses is slowed to one try per delay, and the owner can still get in.
Attempts refused by either are counted on the row (blocked_attempts), not written to the audit log one by one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginThrottle

ACCOUNT_WIDE = LoginThrottle.ACCOUNT_WIDE


def _key(username, ip):
    return (username or "").strip()[:150], (ip or "unknown")[:45]


def _window():
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in attempt is refused before its password is looked at."""

    kind: str  # "locked" (this 工号 from this address) or "delayed" (this 工号 from any address)
    until: datetime
    ip: str

    def message(self) -> str:
        if self.kind == "locked":
            local = timezone.localtime(self.until).strftime("%H:%M")
            return f"登录失败次数过多，该账户已被临时锁定，请于 {local} 后再试。"
        seconds = max(1, int((self.until - timezone.now()).total_seconds() + 0.999))
        return f"该工号近期登录失败次数较多，为保护账户安全，请 {seconds} 秒后再试。"


@dataclass(frozen=True)
class Failure:
    """One counted failure: the pair's row, the account-wide row, and whether a lock or a delay began with it."""

    throttle: LoginThrottle
    account: LoginThrottle
    lock_started: bool
    delay_started: bool

    @property
    def refusal(self):
        if self.throttle.locked_until:
            return Refusal("locked", self.throttle.locked_until, self.throttle.ip)
        return None


def refusal(username, ip):
    """A Refusal if this attempt must not be tried now (pair locked, or the account's delay still running), else None.
    One indexed query."""
    username, ip = _key(username, ip)
    rows = {
        row.ip: row
        for row in LoginThrottle.objects.filter(
            username=username, ip__in=[ip, ACCOUNT_WIDE], locked_until__gt=timezone.now()
        ).only("ip", "locked_until")
    }
    if ip in rows:
        return Refusal("locked", rows[ip].locked_until, ip)
    if ACCOUNT_WIDE in rows:
        return Refusal("delayed", rows[ACCOUNT_WIDE].locked_until, ip)
    return None


def locked_until(username, ip):
    """When the lock on this (username, IP) ends, or None if sign-in may be tried from there."""
    refused = refusal(username, ip)
    return refused.until if refused and refused.kind == "locked" else None


def record_blocked(username, ip, refused):
    """Count an attempt refused by `refused` on the row that refused it (no audit event: the lock start has one)."""
    username, ip = _key(username, ip)
    row_ip = ip if refused.kind == "locked" else ACCOUNT_WIDE
    LoginThrottle.objects.filter(username=username, ip=row_ip).update(
        blocked_attempts=F("blocked_attempts") + 1, last_blocked_at=timezone.now()
    )


def account_delay(failures) -> timedelta | None:
    """The pause after the account's `failures`-th failure (from every address), or None below the threshold."""
    over = failures - settings.LOGIN_ACCOUNT_DELAY_AFTER
    if settings.LOGIN_ACCOUNT_DELAY_AFTER <= 0 or over < 0:
        return None
    seconds = min(2 ** min(over, 30), settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS)
    return timedelta(seconds=seconds)


def _count(username, ip, now):
    """Add one failure to the (username, ip) row, restarting its window when the last one is over. Returns the row."""
    window = _window()
    throttle, _ = LoginThrottle.objects.get_or_create(username=username, ip=ip)
    stale = (
        throttle.first_failure_at is None
        or now - throttle.first_failure_at > window
        or (throttle.locked_until is not None and throttle.locked_until <= now)
    )
    if ip == ACCOUNT_WIDE:  # the account-wide window slides: it ends LOGIN_LOCKOUT_MINUTES after the last failure
        stale = throttle.last_failure_at is None or now - throttle.last_failure_at > window
    if stale:
        LoginThrottle.objects.filter(pk=throttle.pk).update(
            failures=1, first_failure_at=now, last_failure_at=now, locked_until=None, blocked_attempts=0
        )
    else:
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1, last_failure_at=now)
    throttle.refresh_from_db()
    return throttle


@transaction.atomic
def record_failure(username, ip) -> Failure:
    """Count one failed sign-in on the pair and on the account; start a lock / a delay when due."""
    username, ip = _key(username, ip)
    now = timezone.now()
    throttle = _count(username, ip, now)
    lock_started = False
    if throttle.failures >= settings.LOGIN_MAX_FAILURES and not throttle.locked_until:
        until = now + _window()
        # Conditional: of two concurrent failures only one starts (and audits) the lock.
        lock_started = bool(
            LoginThrottle.objects.filter(pk=throttle.pk, locked_until__isnull=True).update(locked_until=until)
        )
        throttle.refresh_from_db()

    account = _count(username, ACCOUNT_WIDE, now)
    delay = account_delay(account.failures)
    delay_started = False
    if delay is not None:
        LoginThrottle.objects.filter(pk=account.pk).update(locked_until=now + delay)
        delay_started = account.failures == settings.LOGIN_ACCOUNT_DELAY_AFTER
        account.refresh_from_db()
    return Failure(throttle=throttle, account=account, lock_started=lock_started, delay_started=delay_started)


def clear(username, ip):
    """A successful sign-in: forget this pair's failures and the account-wide delay."""
    username, ip = _key(username, ip)
    LoginThrottle.objects.filter(username=username, ip__in=[ip, ACCOUNT_WIDE]).delete()


@transaction.atomic
def hit(scope, key, *, limit, window) -> bool:
    """Count one request for (scope, key) in a fixed window; False when this one is over `limit` (refuse it)."""
    from .models import RateLimit

    now = timezone.now()
    key = (key or "unknown")[:190]
    row, _ = RateLimit.objects.get_or_create(scope=scope, key=key, defaults={"window_start": now})
    if now - row.window_start > window:
        RateLimit.objects.filter(pk=row.pk).update(count=1, window_start=now)
        return True
    RateLimit.objects.filter(pk=row.pk).update(count=F("count") + 1)
    row.refresh_from_db(fields=["count"])
    return row.count <= limit
