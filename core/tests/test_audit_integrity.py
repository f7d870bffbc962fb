"""Defect 3 (issue 8): the audit chain covers every stored column, refuses TRUNCATE, and is anchored outside the table
(per-row HMAC with AUDIT_HMAC_KEY + a signed head anchor), so tampering with any column, deleting the tail, truncating,
and rewriting-and-rehashing without the key are each detected by `manage.py verify_audit`."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from core import audit
from core.audit import HASHED_FIELDS, UNHASHED_FIELDS, log_action, row_hash, verify_chain
from core.dbtriggers import drop_audit_triggers
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(applicant, django_capture_on_commit_callbacks, settings):
    settings.AUDIT_ANCHOR_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        return [
            log_action(
                actor=applicant,
                action=f"tests.thing.step{i}",
                obj=applicant,
                before={"i": i - 1},
                after={"i": i, "名称": "数控"},
                note=f"第{i}步",
            )
            for i in range(4)
        ]


def _verify_error():
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    return str(excinfo.value)


def test_the_hash_covers_every_stored_column():
    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert set(HASHED_FIELDS) == columns - set(UNHASHED_FIELDS)
    assert set(UNHASHED_FIELDS) <= columns


def test_intact_chain_verifies_with_its_anchor(events):
    out = __import__("io").StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计日志完好" in out.getvalue() and f"第 {events[-1].pk} 号记录" in out.getvalue()
    assert all(e.mac and e.hash_version == audit.HASH_VERSION for e in AuditEvent.objects.all())


def _tampered_value(name, event, outsider):
    return {
        "id": event.id + 100,
        "hash_version": 1,
        "at": event.at + timedelta(seconds=1),
        "actor_id": outsider.pk,
        "actor_name": "伪造的操作人",
        "action": "tests.thing.forged",
        "object_type": "accounts.department",
        "object_id": "999",
        "object_repr": "伪造的对象",
        "before": {"i": 42},
        "after": {"i": 43},
        "note": "伪造的说明",
        "ip": "10.9.8.7",
        "prev_hash": "f" * 64,
        "hash": hashlib.sha256(b"forged").hexdigest(),
        "mac": "0" * 64,
    }[name]


@pytest.mark.parametrize("column", [*HASHED_FIELDS, *UNHASHED_FIELDS])
def test_changing_any_column_is_detected_and_names_the_row(events, outsider, column):
    target = events[-1] if column == "id" else events[1]  # a new id must keep the row's place in the chain
    value = _tampered_value(column, target, outsider)
    drop_audit_triggers()
    AuditEvent.objects.filter(pk=target.pk).update(**{column: value})
    message = _verify_error()
    named = value if column == "id" else target.pk
    if column == "hash":  # the row's own hash no longer matches its content
        assert f"第 {target.pk} 号记录" in message
    else:
        assert f"第 {named} 号记录" in message, message


def test_deleting_the_tail_is_detected(events):
    drop_audit_triggers()
    AuditEvent.objects.filter(pk__in=[events[-1].pk, events[-2].pk]).delete()
    assert verify_chain()[1] is None  # what is left is a valid chain on its own...
    message = _verify_error()  # ...but the anchor outside the database remembers the head
    assert "末尾记录被删除" in message and f"第 {events[-1].pk} 号记录不存在" in message


def test_deleting_every_row_is_detected(events):
    drop_audit_triggers()
    AuditEvent.objects.all().delete()
    assert "末尾记录被删除" in _verify_error()


def test_a_missing_anchor_is_an_error_when_anchors_are_required(events):
    audit.anchor_path().unlink()
    assert "未找到链头锚点" in _verify_error()


def test_a_forged_anchor_is_detected(events):
    path = audit.anchor_path()
    data = json.loads(path.read_text())
    data.update(id=events[1].pk, hash=events[1].hash)  # "the chain ended here", without the key
    path.write_text(json.dumps(data))
    assert "签名不符" in _verify_error()


def test_the_anchor_never_moves_backwards(events):
    audit.write_anchor(events[0].pk, events[0].hash)  # a slower process committing an older event
    assert audit.read_anchor()["id"] == events[-1].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (DELETE is refused)")
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_on_postgresql(transactional_db):
    from tests.factories import UserFactory

    user = UserFactory()
    events = [log_action(actor=user, action=f"tests.thing.t{i}") for i in range(3)]  # committed rows
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE accounts_user CASCADE")  # reaches the audit table through actor_id
    assert AuditEvent.objects.count() == len(events)


def test_rewrite_and_rehash_without_the_key_is_detected(events):
    """An attacker with database write access (not the key) changes a row and recomputes every later hash."""
    drop_audit_triggers()
    rows = list(AuditEvent.objects.order_by("id"))
    rows[1].actor_name = "替身"
    prev = rows[0].hash
    for event in rows[1:]:
        event.prev_hash = prev
        event.hash = row_hash(event)  # the formula is public
        event.mac = hmac.new(b"a guessed key", event.hash.encode(), hashlib.sha256).hexdigest()
        prev = event.hash
    AuditEvent.objects.bulk_update(rows[1:], ["actor_name", "prev_hash", "hash", "mac"])
    message = _verify_error()
    assert f"第 {rows[1].pk} 号记录" in message and "密钥签名不符" in message


def test_appends_take_consecutive_ids_in_the_hash(applicant):
    first = log_action(actor=applicant, action="tests.thing.a")
    second = log_action(actor=applicant, action="tests.thing.b")
    assert second.pk == first.pk + 1 and second.prev_hash == first.hash


def test_deploy_check_requires_the_audit_key_from_the_environment(monkeypatch):
    from core.checks import audit_key_from_environment

    monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    assert [m.id for m in audit_key_from_environment(None)] == ["core.E001"]
    monkeypatch.setenv("AUDIT_HMAC_KEY", "short")
    assert [m.id for m in audit_key_from_environment(None)] == ["core.E002"]
    monkeypatch.setenv("AUDIT_HMAC_KEY", "k" * 48)
    assert audit_key_from_environment(None) == []


def test_reanchor_command_refuses_a_broken_chain_and_records_itself(events):
    drop_audit_triggers()
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    with pytest.raises(CommandError):
        call_command("verify_audit")
    call_command("audit_anchor", reset=True, stdout=__import__("io").StringIO())
    marker = AuditEvent.objects.order_by("-id").first()
    assert marker.action == "core.audit.reanchored" and marker.before["id"] == events[-1].pk
    call_command("verify_audit", stdout=__import__("io").StringIO())
    AuditEvent.objects.filter(pk=events[1].pk).update(note="x")
    with pytest.raises(CommandError, match="拒绝重新建立锚点"):
        call_command("audit_anchor", reset=True, stdout=__import__("io").StringIO())
