"""Audit integrity, hash format 2 (docs/security.md "审计日志的完整性"):

- two columns: `hash_version` and `mac` (HMAC-SHA256 of the row hash with AUDIT_HMAC_KEY, a key kept outside the
  database);
- existing rows (format 1: the hash left out actor_name, object_repr and id) are first verified with the format-1
  formula; only an intact chain is re-hashed into format 2, and the re-hash itself is recorded as an audit event
  (`core.audit.rehashed`, with the old chain's length and head hash). A broken chain stops the migration;
- PostgreSQL: a statement trigger refuses TRUNCATE (row triggers do not fire on it);
- the append-only triggers are re-created at the end (SQLite rebuilds the table to add a NOT NULL column, which drops
  its triggers).
"""

import hashlib
import json

from django.db import migrations, models

PG_TRUNCATE_CREATE = [
    """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse();""",
]
PG_TRUNCATE_DROP = ["DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"]

GENESIS_HASH = "0" * 64


def _v1_hash(event):
    """The format-1 formula, frozen here: it is needed only to verify rows before their re-hash."""
    payload = json.dumps(
        [
            event.prev_hash,
            event.at.isoformat(),
            event.actor_id,
            event.action,
            event.object_type,
            str(event.object_id),
            event.before,
            event.after,
            event.note,
            event.ip,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _triggers(vendor, kind):
    from importlib import import_module

    m2 = import_module("core.migrations.0002_audit_append_only")
    return {
        ("sqlite", "create"): m2.SQLITE_CREATE,
        ("sqlite", "drop"): m2.SQLITE_DROP,
        ("postgresql", "create"): [*m2.PG_CREATE, *PG_TRUNCATE_CREATE],
        ("postgresql", "drop"): [*PG_TRUNCATE_DROP, *m2.PG_DROP],
    }.get((vendor, kind), [])


def drop_triggers(apps, schema_editor):
    for sql in _triggers(schema_editor.connection.vendor, "drop"):
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    for sql in _triggers(schema_editor.connection.vendor, "create"):
        schema_editor.execute(sql, params=None)


def create_old_triggers(apps, schema_editor):
    from importlib import import_module

    m2 = import_module("core.migrations.0002_audit_append_only")
    statements = {"sqlite": m2.SQLITE_CREATE, "postgresql": m2.PG_CREATE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)


def rehash(apps, schema_editor):
    from django.db import transaction
    from django.utils import timezone

    from core.audit import seal, write_anchor

    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    rows = list(AuditEvent.objects.using(db).order_by("id"))
    if not rows:
        return
    expected = GENESIS_HASH
    for event in rows:
        if event.prev_hash != expected or _v1_hash(event) != event.hash:
            raise RuntimeError(
                f"审计日志第 {event.pk} 号记录校验失败（旧格式），拒绝重算哈希。请先调查该记录（manage.py verify_audit）。"
            )
        expected = event.hash
    old_head, count = rows[-1].hash, len(rows)
    prev = GENESIS_HASH
    for event in rows:
        event.prev_hash = prev
        seal(event)
        prev = event.hash
    AuditEvent.objects.using(db).bulk_update(rows, ["prev_hash", "hash_version", "hash", "mac"], batch_size=500)
    marker = AuditEvent(
        id=rows[-1].pk + 1,
        at=timezone.now(),
        actor_id=None,
        actor_name="",
        action="core.audit.rehashed",
        object_type="core.auditevent",
        object_id="",
        object_repr="",
        before={"format": 1, "rows": count, "head_hash": old_head},
        after={"format": 2, "rows": count},
        note="审计日志哈希格式升级：先按旧格式校验完整，再按新格式（覆盖全部字段并加密钥签名）重算。",
        ip=None,
        prev_hash=prev,
    )
    seal(marker)
    marker.save(using=db, force_insert=True)
    transaction.on_commit(lambda: write_anchor(marker.pk, marker.hash, force=True), using=db, robust=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_text_limits")]

    operations = [
        migrations.RunPython(drop_triggers, create_old_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="哈希格式版本"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(default="", max_length=64, verbose_name="密钥签名"),
        ),
        migrations.RunPython(rehash, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
