import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from core.audit import GENESIS_HASH, log_action, verify_chain
from core.dbtriggers import drop_audit_triggers
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _three_events(actor):
    return [log_action(actor=actor, action=f"tests.thing.step{i}", after={"i": i, "名称": "数控"}) for i in range(3)]


def test_each_event_stores_the_hash_of_the_previous_one(applicant):
    first, second, third = _three_events(applicant)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    checked, broken, _ = verify_chain()
    assert (checked, broken) == (3, None)


def test_event_is_rolled_back_with_the_change_it_records(applicant):
    with pytest.raises(RuntimeError), transaction.atomic():
        log_action(actor=applicant, action="tests.thing.doomed")
        raise RuntimeError("the change fails")
    assert not AuditEvent.objects.filter(action="tests.thing.doomed").exists()


@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET action = 'forged'", "DELETE FROM core_auditevent"])
def test_database_trigger_refuses_update_and_delete(applicant, statement):
    _three_events(applicant)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 3
    assert not AuditEvent.objects.filter(action="forged").exists()


def test_orm_update_is_refused_too(applicant):
    event = _three_events(applicant)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="quietly changed")
    event.refresh_from_db()
    assert event.note == ""


def test_verify_audit_names_the_altered_row_when_triggers_are_bypassed(applicant):
    events = _three_events(applicant)
    call_command("verify_audit")  # intact chain: no error
    drop_audit_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).update(after={"i": 99})
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"第 {events[1].pk} 号记录" in str(excinfo.value)
    assert "篡改" in str(excinfo.value)


def test_verify_audit_detects_a_deleted_row(applicant):
    events = _three_events(applicant)
    drop_audit_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"第 {events[2].pk} 号记录" in str(excinfo.value)
