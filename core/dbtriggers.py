"""Helpers to drop and re-create the audit triggers: only for test flushes and `restore` (never in the app)."""

from contextlib import contextmanager
from importlib import import_module

from django.db import connection


def _statements(kind, vendor=None):
    """The statements that create (or drop) every audit trigger: UPDATE/DELETE (0002) and TRUNCATE (0004)."""
    m2 = import_module("core.migrations.0002_audit_append_only")
    m4 = import_module("core.migrations.0004_audit_full_row_hash")
    return {
        ("sqlite", "create"): m2.SQLITE_CREATE,
        ("sqlite", "drop"): m2.SQLITE_DROP,
        ("postgresql", "create"): [*m2.PG_CREATE, *m4.PG_TRUNCATE_CREATE],
        ("postgresql", "drop"): [*m4.PG_TRUNCATE_DROP, *m2.PG_DROP],
    }.get((vendor or connection.vendor, kind), [])


def truncate_guard(kind):
    """PostgreSQL only: the statements that drop / create the TRUNCATE trigger (for the test harness's flush)."""
    m4 = import_module("core.migrations.0004_audit_full_row_hash")
    return m4.PG_TRUNCATE_DROP if kind == "drop" else m4.PG_TRUNCATE_CREATE


def drop_audit_triggers():
    with connection.cursor() as cursor:
        for sql in _statements("drop"):
            cursor.execute(sql)


def create_audit_triggers():
    with connection.cursor() as cursor:
        for sql in _statements("create"):
            cursor.execute(sql)


@contextmanager
def audit_triggers_suspended():
    drop_audit_triggers()
    try:
        yield
    finally:
        create_audit_triggers()
