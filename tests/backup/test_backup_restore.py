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


def _rewrite_manifest(snap, change):
    import json

    path = snap / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _forge_sqlite_image(image):
    """What someone with the backup files (not the key) would do: rewrite an audit row, recompute every later hash.
    The rows are read through the ORM from the live database (the image holds the same rows: it was just taken)."""
    import hmac

    from core.audit import row_hash
    from core.dbtriggers import _statements

    events = list(AuditEvent.objects.order_by("id"))
    events[1].actor_name = "替身"
    prev = events[0].hash
    con = sqlite3.connect(image)
    for sql in _statements("drop", vendor="sqlite"):
        con.execute(sql)
    for event in events[1:]:
        event.prev_hash = prev
        event.hash = row_hash(event)
        event.mac = hmac.new(b"guessed", event.hash.encode(), hashlib.sha256).hexdigest()
        prev = event.hash
        con.execute(
            "UPDATE core_auditevent SET actor_name=?, prev_hash=?, hash=?, mac=? WHERE id=?",
            [event.actor_name, event.prev_hash, event.hash, event.mac, event.id],
        )
    con.commit()
    con.close()


def test_restore_refuses_a_backup_whose_rows_and_manifest_were_rewritten_together(tmp_path):
    """Defect 3 (issue 8): checksums alone let a rewritten image + rewritten manifest restore as valid; the manifest's
    HMAC signature (AUDIT_HMAC_KEY, kept outside the database and its backups) does not."""
    from ops.snapshot import sha256_of

    _make_data()
    snap = tmp_path / "snap"
    call_command("backup", output=str(snap), stdout=StringIO())
    image = snap / ("db.sqlite3" if connection.vendor == "sqlite" else "db.pgdump")
    if connection.vendor == "sqlite":
        _forge_sqlite_image(image)
    else:
        with open(image, "ab") as handle:  # any change to the dump: the manifest must be rewritten to match it
            handle.write(b"\0")
    _rewrite_manifest(snap, lambda m: m["database"].update(sha256=sha256_of(image)))
    rows_before = _all_rows()
    with pytest.raises(CommandError, match="签名无效"):
        call_command("restore", str(snap), force=True, stdout=StringIO())
    assert _all_rows() == rows_before
    # A manifest without any signature (an older or hand-made one) is refused the same way.
    _rewrite_manifest(snap, lambda m: m.pop("signature"))
    with pytest.raises(CommandError, match="签名无效"):
        call_command("restore", str(snap), force=True, stdout=StringIO())
    assert _all_rows() == rows_before
