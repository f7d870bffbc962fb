"""Shared fixtures: personas (docs/domain.md §6), lazy-load detection, and SQLite flushes that respect the audit triggers."""

import datetime
from importlib import import_module

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations
from django.db.models import query as django_query
from django.db.models.fetch_modes import FETCH_RAISE

from accounts.enums import Role
from tests.factories import TEST_PASSWORD, DepartmentFactory, UserFactory

# TransactionTestCase flushes tables with DELETE on SQLite, which the append-only triggers refuse. Drop them for the
# flush and put them back after: the flush is the test harness wiping its own database, not an app write.
_original_sql_flush = SQLiteOperations.sql_flush


def _sql_flush_keeping_triggers(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    migration = import_module("core.migrations.0002_audit_append_only")
    statements = _original_sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    if "core_auditevent" not in tables:
        return statements
    return [*migration.SQLITE_DROP, *statements, *migration.SQLITE_CREATE]


SQLiteOperations.sql_flush = _sql_flush_keeping_triggers

# PostgreSQL flushes with TRUNCATE, which the audit table's statement trigger refuses: same treatment.
_original_pg_sql_flush = PostgreSQLOperations.sql_flush


def _pg_sql_flush_keeping_triggers(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    from core.dbtriggers import truncate_guard

    statements = _original_pg_sql_flush(
        self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )
    if "core_auditevent" not in tables or not statements:
        return statements
    return [*truncate_guard("drop"), *statements, *truncate_guard("create")]


PostgreSQLOperations.sql_flush = _pg_sql_flush_keeping_triggers


@pytest.fixture(autouse=True)
def _raise_on_lazy_loads(request, monkeypatch):
    """Django 6.1 fetch_mode(RAISE) for every queryset in tests: a list that lazy-loads a relation fails loudly."""
    if request.node.get_closest_marker("allow_lazy_loads"):
        return
    monkeypatch.setattr(django_query, "DEFAULT_FETCH_MODE", FETCH_RAISE)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Rows written by data migrations (honour kinds, the 2026 policy) are wiped by any transactional test's flush
    earlier in the session: put them back for every database test, whichever app it belongs to."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from people.policy import ensure_policy_version
    from plans.services import ensure_indicator_set

    ensure_policy_version(2026)
    for year in {2026, datetime.date.today().year}:
        ensure_indicator_set(year)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _showcase_uncached(settings):
    """Tests change data and look again at once: the showcase's page cache (30 s in production) is off unless a test
    turns it on (showcase/tests/test_page_cache.py)."""
    settings.SHOWCASE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _audit_anchor(settings, tmp_path):
    """Each test's database starts a new audit chain: its head anchor lives in the test's own directory. Tests that
    do not commit (the `db` fixture) write no anchor, so a missing anchor is not an error unless a test asks."""
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit_anchor.json"
    settings.AUDIT_ANCHOR_REQUIRED = False


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def department(db):
    return DepartmentFactory(code="JX", name="机械工程系")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="DQ", name="电气工程系")


@pytest.fixture
def applicant(department):
    return UserFactory(username="T9001", display_name="申报人甲", department=department)


@pytest.fixture
def dept_head(department):
    return UserFactory(username="H9001", display_name="系主任甲", department=department, roles=[Role.DEPT_HEAD])


@pytest.fixture
def other_dept_head(other_department):
    return UserFactory(username="H9002", display_name="系主任乙", department=other_department, roles=[Role.DEPT_HEAD])


@pytest.fixture
def teaching_affairs(db):
    return UserFactory(username="J9001", display_name="教工部甲", department=None, roles=[Role.TEACHING_AFFAIRS])


@pytest.fixture
def expert(other_department):
    return UserFactory(username="E9001", display_name="专家甲", department=other_department, roles=[Role.EXPERT])


@pytest.fixture
def committee_member(other_department):
    return UserFactory(username="C9001", display_name="委员甲", department=other_department, roles=[Role.COMMITTEE])


@pytest.fixture
def inspector(db):
    return UserFactory(username="K9001", display_name="纪检甲", department=None, roles=[Role.INSPECTOR])


@pytest.fixture
def leadership(db):
    return UserFactory(username="L9001", display_name="校领导甲", department=None, roles=[Role.LEADERSHIP])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="A9001", display_name="管理员甲", department=None, roles=[Role.ADMIN])


@pytest.fixture
def outsider(other_department):
    return UserFactory(username="T9009", display_name="无关教师", department=other_department)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def finance(db):
    """财务部 (funds: budgets, confirming expenditures, overrun approvals)."""
    return UserFactory(username="F9001", display_name="财务甲", department=None, roles=[Role.FINANCE])


@pytest.fixture
def dev_office(db):
    """发展改革研究室 (evaluation: 年度考核 rounds, scoring, submission)."""
    return UserFactory(username="D9001", display_name="发改甲", department=None, roles=[Role.DEV_OFFICE])
