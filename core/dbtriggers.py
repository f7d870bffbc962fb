"""Helpers to drop and re-create the audit triggers: only for test flushes and `restore` (never in the app)."""

from contextlib import contextmanager

from django.db import connection


def _statements(kind):
    from importlib import import_module

    migration = import_module("core.migrations.0002_audit_append_only")
    return {
        ("sqlite", "create"): migration.SQLITE_CREATE,
        ("sqlite", "drop"): migration.SQLITE_DROP,
        ("postgresql", "create"): migration.PG_CREATE,
        ("postgresql", "drop"): migration.PG_DROP,
    }.get((connection.vendor, kind), [])


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
