import errno
import functools
import ipaddress
from contextvars import ContextVar

from django.shortcuts import render

from core.refusals import Refusal, StorageFull

_current_request = ContextVar("current_request", default=None)


def current_request():
    """The request being served in this thread/task, or None (management commands, workers)."""
    return _current_request.get()


@functools.lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse_ip(value):
    """An address from a header hop ("203.0.113.9", "[2001:db8::7]"), or None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's address: REMOTE_ADDR, unless that peer is a trusted proxy (settings.TRUSTED_PROXIES).

    Then X-Forwarded-For is walked from the right, skipping trusted hops; the right-most untrusted hop is the client
    (everything left of it was written by the client and can be forged). A hop that is not an address stops the walk
    at the last address a trusted proxy vouched for. Used by the sign-in lockout and the audit log alike.
    """
    if request is None:
        return None
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_parse_ip(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    vouched = remote
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            return vouched
        if not _trusted(address, networks):
            return str(address)
        vouched = str(address)
    return vouched


class RequestContextMiddleware:
    """Makes the request available to the audit log (IP address) without passing it through every service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        """A core.refusals.Refusal raised below a view becomes a Chinese page with its status (nothing was changed)."""
        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            exception = StorageFull()  # e.g. the upload's temporary file could not be written
        if isinstance(exception, Refusal):
            context = {"title": exception.title, "message": exception.message}
            return render(request, "refused.html", context, status=exception.status)
        return None
