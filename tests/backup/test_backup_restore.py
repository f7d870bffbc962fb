"""manage.py backup → wipe the database and uploads → manage.py restore: every row and file equal, audit chain intact.

Runs on whichever database DATABASE_URL names (SQLite file DB or PostgreSQL).
"""

import hashlib
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from accounts.enums import Role
from core.audit import log_action, verify_chain
from core.models import AuditEvent
from core.workflow import transition
from tests.factories import DepartmentFactory, UserFactory
from tests.workflowapp.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _all_rows():
    """Every row of every table, in a comparable form."""
    data = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            data[table] = sorted(cursor.fetchall(), key=repr)
    return data


def _all_files():
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _wipe_database():
    connections.close_all()
    if connection.vendor == "sqlite":
        con = sqlite3.connect(connection.settings_dict["NAME"])
        con.execute("PRAGMA foreign_keys=OFF")
        tables = [
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in tables:
            con.execute(f'DROP TABLE "{table}"')
        con.commit()
        con.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connections.close_all()
    assert connection.introspection.table_names() == []


def _make_data():
    department = DepartmentFactory(code="BK", name="备份测试系")
    owner = UserFactory(department=department, display_name="备份教师")
    head = UserFactory(department=department, roles=[Role.DEPT_HEAD])
    for i in range(5):
        ticket = Ticket.objects.create(title=f"备份{i}：含中文与 emoji 🎓", owner=owner, department=department)
        transition(ticket, TicketStatus.SUBMITTED, by=owner)
        if i % 2:
            transition(ticket, TicketStatus.APPROVED, by=head, note="同意")
    log_action(actor=head, action="tests.backup.marker", note="备份前最后一条")
    media = Path(settings.MEDIA_ROOT)
    (media / "attachments/2026").mkdir(parents=True, exist_ok=True)
    (media / "attachments/2026/a1.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (media / "attachments/2026/证书.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 1000)
    (media / "photos").mkdir(exist_ok=True)
    (media / "photos/empty.jpg").write_bytes(b"")


def test_backup_wipe_restore_gives_back_every_row_and_file(tmp_path):
    _make_data()
    rows_before, files_before = _all_rows(), _all_files()
    assert len(files_before) == 3

    out = StringIO()
    call_command("backup", output=str(tmp_path / "snap"), stdout=out)
    assert "备份完成" in out.getvalue()
    manifest = (tmp_path / "snap" / "manifest.json").read_text(encoding="utf-8")
    for relative, digest in files_before.items():
        assert relative in manifest and digest in manifest

    _wipe_database()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert _all_files() == {}

    out = StringIO()
    call_command("restore", str(tmp_path / "snap"), stdout=out)
    assert "恢复完成" in out.getvalue() and "审计日志完好" in out.getvalue()

    assert _all_rows() == rows_before
    assert _all_files() == files_before
    checked, broken, _ = verify_chain()
    assert broken is None and checked == AuditEvent.objects.count() >= 8
    # The restored database is a working one: the audit triggers came back, and new writes chain on.
    with pytest.raises(Exception, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    log_action(actor=None, action="tests.backup.after_restore")
    assert verify_chain()[1] is None


def test_restore_refuses_a_non_empty_database_and_a_tampered_snapshot(tmp_path):
    _make_data()
    call_command("backup", output=str(tmp_path / "snap"), stdout=StringIO())
    rows_before = _all_rows()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(tmp_path / "snap"), stdout=StringIO())
    tampered = tmp_path / "snap" / "media" / "attachments/2026/a1.pdf"
    tampered.write_bytes(tampered.read_bytes() + b"x")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(tmp_path / "snap"), force=True, stdout=StringIO())
    assert _all_rows() == rows_before
    with pytest.raises(CommandError, match="不为空"):
        call_command("backup", output=str(tmp_path / "snap"), stdout=StringIO())
