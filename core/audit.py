"""The audit log: log_action() is the one way to write it, verify_chain() the way to check it."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.middleware import client_ip, current_request
from core.models import AuditEvent

GENESIS_HASH = "0" * 64
# PostgreSQL: an advisory lock serialises chain appends (READ COMMITTED would let two writers read the same last row).
# SQLite needs nothing: BEGIN IMMEDIATE already holds the database's single write lock.
_PG_AUDIT_LOCK_KEY = 0x5A7D1701


def _normalise(data):
    """JSON-safe copy of data, as it will read back from the database (dates → strings, tuples → lists)."""
    if data is None:
        return None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def compute_hash(*, prev_hash, at, actor_id, action, object_type, object_id, before, after, note, ip):
    payload = json.dumps(
        [
            prev_hash,
            at.isoformat(),
            actor_id,
            action,
            object_type,
            str(object_id),
            before,
            after,
            note,
            ip,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _row_hash(event):
    return compute_hash(
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=event.before,
        after=event.after,
        note=event.note,
        ip=event.ip,
    )


def log_action(*, actor, action, obj=None, before=None, after=None, note="", object_type="", object_id=""):
    """Append one audit event in the caller's transaction (it is rolled back with the change it records).

    `action` is a dotted code such as "applications.application.submitted".
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = str(obj)[:300]
    else:
        object_repr = ""
    actor = actor if (actor is not None and getattr(actor, "pk", None)) else None
    ip = client_ip(current_request())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = last or GENESIS_HASH
        at = timezone.now()
        before, after = _normalise(before), _normalise(after)
        event = AuditEvent(
            at=at,
            actor=actor,
            actor_name=(actor.get_username() if actor else "")[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr,
            before=before,
            after=after,
            note=note or "",
            ip=ip,
            prev_hash=prev_hash,
        )
        event.hash = _row_hash(event)
        event.save(force_insert=True)
    return event


def verify_chain(batch_size=2000):
    """Walk the chain in id order; return (rows checked, first broken AuditEvent or None, reason)."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return checked, None, ""
        for event in rows:
            if event.prev_hash != expected_prev:
                return checked, event, "前一条哈希不匹配（有记录被删除或插入）"
            if _row_hash(event) != event.hash:
                return checked, event, "内容与哈希不符（记录被篡改）"
            expected_prev = event.hash
            checked += 1
            last_id = event.id
