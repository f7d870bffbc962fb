"""What the later stages do when an application is approved (认定) or disqualified (取消资格).

applications sits below studios (docs/architecture.md, "Layers"): it never imports studios. studios registers its
handlers here from its AppConfig.ready() — the studio created on 认定, its revocation on 取消资格 and the page an
approved application leads to — the same way apps fill the navigation and inbox registries.

Handlers run inside the approval's (or disqualification's) transaction: an exception in one undoes the status change.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_APPROVED: list[Callable] = []
_DISQUALIFIED: list[Callable] = []
_OUTCOME_URL: list[Callable] = []
_PUBLICITY_STARTED: list[Callable] = []


def on_approved(handler):
    """Register handler(application, *, by) -> the object the approval created (a studio). Usable as a decorator."""
    if handler not in _APPROVED:
        _APPROVED.append(handler)
    return handler


def on_disqualified(handler):
    """Register handler(application, *, by, reason), run when an application (maybe already approved) is disqualified."""
    if handler not in _DISQUALIFIED:
        _DISQUALIFIED.append(handler)
    return handler


def on_outcome_url(handler):
    """Register handler(application) -> the URL of what the approved application became, or None."""
    if handler not in _OUTCOME_URL:
        _OUTCOME_URL.append(handler)
    return handler


def on_publicity_started(handler):
    """Register handler(publicity), run inside announce_publicity's transaction when a 公示 window opens (news posts
    the 通知公告 with the list). Usable as a decorator."""
    if handler not in _PUBLICITY_STARTED:
        _PUBLICITY_STARTED.append(handler)
    return handler


def publicity_started(publicity):
    for handler in _PUBLICITY_STARTED:
        handler(publicity)


def approved(application, *, by):
    """Run the approval handlers; returns what the first one created (the studio). An approval that would create
    nothing is a configuration error, not a silent success."""
    if not _APPROVED:
        raise ImproperlyConfigured("认定 has no handler: the studios app registers one in its AppConfig.ready().")
    results = [handler(application, by=by) for handler in _APPROVED]
    return results[0]


def disqualified(application, *, by, reason):
    for handler in _DISQUALIFIED:
        handler(application, by=by, reason=reason)


def outcome_url(application):
    for handler in _OUTCOME_URL:
        url = handler(application)
        if url:
            return url
    return None
