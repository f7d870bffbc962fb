"""Connection settings the application relies on, read back from the database itself."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session settings")
def test_postgresql_sessions_run_without_jit_and_with_timeouts():
    # JIT compiled the plan-vs-actual page's indicator UNION for 9.7 s to run it in 50 ms (bench/RESULTS.md)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] not in ("0", "")
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] not in ("0", "")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's pragmas")
def test_sqlite_connections_use_wal_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000
