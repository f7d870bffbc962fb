"""Year-end archiving (归档) freezes a studio-year: its plans, ledger records, fund records and files refuse every write.

The archive app is a later stage than the apps whose writes it freezes (ledger, plans, funds), so it cannot be
imported by them. Instead it registers a checker here from its AppConfig.ready(), and every service that writes a
record belonging to a studio-year calls `ensure_year_open(studio, year)` inside its transaction, next to
`studios.services.ensure_writable(studio)`:

    register_freeze_check(fn)   # fn(studio_id, year) -> str | None: the Chinese refusal, or None when open
    ensure_year_open(studio, year)  # raises YearFrozen (a PermissionDenied: 403 on pages and in the API)

Corrections to a frozen year are addenda (补充说明), written through the archive app's own service, never edits.
"""

from django.core.exceptions import PermissionDenied

_CHECKS: list = []


class YearFrozen(PermissionDenied):
    """A write refused because the studio-year is archived."""


def register_freeze_check(fn):
    """Add `fn(studio_id, year) -> str | None`; idempotent (AppConfig.ready() may run twice in tests)."""
    if fn not in _CHECKS:
        _CHECKS.append(fn)
    return fn


def frozen_message(studio_id, year):
    """The first checker's refusal for this studio-year, or None when every checker says it is open."""
    if year is None:
        return None
    for check in _CHECKS:
        message = check(studio_id, year)
        if message:
            return message
    return None


def ensure_year_open(studio, year):
    """Raise YearFrozen when `studio`'s `year` is archived. `studio` may be a Studio or its id. Returns None."""
    studio_id = getattr(studio, "pk", studio)
    message = frozen_message(studio_id, year)
    if message:
        raise YearFrozen(message)
