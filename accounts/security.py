"""Sign-in lockout keyed on (username, IP): checked before any password hash is computed."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginThrottle


def _key(username, ip):
    return (username or "").strip()[:150], (ip or "unknown")[:45]


def locked_until(username, ip):
    """When the lock on this (username, IP) ends, or None if sign-in may be tried."""
    username, ip = _key(username, ip)
    until = (
        LoginThrottle.objects.filter(username=username, ip=ip, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


@transaction.atomic
def record_failure(username, ip):
    """Count one failure; lock after LOGIN_MAX_FAILURES within the lockout window. Returns the throttle row."""
    username, ip = _key(username, ip)
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    throttle, _ = LoginThrottle.objects.get_or_create(username=username, ip=ip)
    if (
        throttle.first_failure_at is None
        or now - throttle.first_failure_at > window
        or (throttle.locked_until and throttle.locked_until <= now)
    ):
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=1, first_failure_at=now, locked_until=None)
    else:
        LoginThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
    throttle.refresh_from_db()
    if throttle.failures >= settings.LOGIN_MAX_FAILURES and not throttle.locked_until:
        throttle.locked_until = now + window
        LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=throttle.locked_until)
    return throttle


def clear(username, ip):
    username, ip = _key(username, ip)
    LoginThrottle.objects.filter(username=username, ip=ip).delete()
