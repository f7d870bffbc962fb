"""The audit log: log_action() is the one way to write it, verify_chain() / check_anchor() the way to check it.

Integrity (docs/security.md, "审计日志的完整性"):
- every stored column of a row except `hash` and `mac` (HASHED_FIELDS, one canonical serialisation: canonical_bytes)
  goes into the row's SHA-256, which also covers the previous row's hash (a chain);
- each row also stores `mac` = HMAC-SHA256(AUDIT_HMAC_KEY, hash). The key lives outside the database (environment in
  production), so someone who can write the database but not read the key cannot rewrite a row and recompute the rest
  of the chain: verify_chain() recomputes every MAC;
- the head of the chain (last id and hash) is exported after each commit to an anchor file outside the database
  (AUDIT_ANCHOR_PATH), itself signed with the key; check_anchor() finds rows deleted from the end (or all of them);
- database triggers refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE (migrations 0002 and 0004).
"""

import contextlib
import hashlib
import hmac
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.middleware import client_ip, current_request
from core.models import AuditEvent

GENESIS_HASH = "0" * 64
# The row format verify_chain() accepts. Migration 0004 re-hashed the version-1 rows (which covered fewer columns)
# after verifying them; older formats are not accepted, so no row can be "downgraded" to a weaker formula.
HASH_VERSION = 2
# Every stored column except the two computed from them. core/tests/test_audit_integrity.py checks that this list is
# the model's concrete columns: a new column must be added here (with a new HASH_VERSION) or the test fails.
HASHED_FIELDS = (
    "id",
    "hash_version",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
    "ip",
    "prev_hash",
)
UNHASHED_FIELDS = ("hash", "mac")
# PostgreSQL: an advisory lock serialises chain appends (READ COMMITTED would let two writers read the same last row).
# SQLite needs nothing: BEGIN IMMEDIATE already holds the database's single write lock.
_PG_AUDIT_LOCK_KEY = 0x5A7D1701


def _normalise(data):
    """JSON-safe copy of data, as it will read back from the database (dates → strings, tuples → lists)."""
    if data is None:
        return None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _canonical_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def canonical_bytes(event):
    """The one serialisation of a row that its hash covers: every column in HASHED_FIELDS, by name."""
    values = {name: _canonical_value(getattr(event, name)) for name in HASHED_FIELDS}
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder).encode(
        "utf-8"
    )


def row_hash(event):
    return hashlib.sha256(canonical_bytes(event)).hexdigest()


def _key():
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if not key:
        raise RuntimeError("AUDIT_HMAC_KEY is not set")
    return key.encode("utf-8")


def sign(message: str) -> str:
    """HMAC-SHA256 with AUDIT_HMAC_KEY (also used for anchors and backup manifests)."""
    return hmac.new(_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_ok(message: str, signature) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(sign(message), signature)


def row_mac(event):
    return sign(f"core.auditevent:{event.hash}")


def seal(event):
    """Fill hash_version, hash and mac of an event whose other columns (id and prev_hash included) are set."""
    event.hash_version = HASH_VERSION
    event.hash = row_hash(event)
    event.mac = row_mac(event)
    return event


def _normalise_ip(ip):
    if not ip:
        return None
    return AuditEvent._meta.get_field("ip").to_python(ip)


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
    ip = _normalise_ip(client_ip(current_request()))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        last_id, prev_hash = last or (0, GENESIS_HASH)
        event = AuditEvent(
            # The id is part of the hashed row, so it is chosen here (under the append lock), not by the database.
            id=last_id + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=(actor.get_username() if actor else "")[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr,
            before=_normalise(before),
            after=_normalise(after),
            note=note or "",
            ip=ip,
            prev_hash=prev_hash,
        )
        seal(event)
        event.save(force_insert=True)
        transaction.on_commit(lambda: write_anchor(event.pk, event.hash), robust=True)
    return event


def verify_chain(batch_size=2000):
    """Walk the chain in id order; return (rows checked, first broken AuditEvent or None, reason).

    Checks for each row: the previous row's hash, the format version, the hash over every column, and the keyed MAC.
    """
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
            if event.hash_version != HASH_VERSION:
                return checked, event, "哈希格式版本不符（记录被篡改）"
            if row_hash(event) != event.hash:
                return checked, event, "内容与哈希不符（记录被篡改）"
            if not hmac.compare_digest(row_mac(event), event.mac or ""):
                return checked, event, "密钥签名不符（记录被改写并重算哈希）"
            expected_prev = event.hash
            checked += 1
            last_id = event.id


# --- The head anchor: the chain's last (id, hash), kept outside the database --------------------------------------


def anchor_path() -> Path:
    """AUDIT_ANCHOR_PATH, else var/audit_anchor/<vendor>-<database name>.json (one file per database, so test
    databases and the development database never share an anchor)."""
    configured = getattr(settings, "AUDIT_ANCHOR_PATH", None)
    if configured:
        return Path(configured)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(str(connection.settings_dict["NAME"])).name)
    return Path(settings.VAR_DIR) / "audit_anchor" / f"{connection.vendor}-{name}.json"


def _anchor_message(event_id, event_hash):
    return f"core.auditevent.anchor:{int(event_id)}:{event_hash}"


@contextlib.contextmanager
def _locked(path):
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_anchor():
    """The anchor as a dict {id, hash, signature}, or None when there is none. Raises ValueError when unreadable."""
    path = anchor_path()
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(data.get("hash"), str):
        raise ValueError("malformed anchor")
    return data


def write_anchor(event_id, event_hash, *, force=False):
    """Move the anchor forward to (event_id, event_hash). Several app processes append at once: the file is replaced
    atomically under a lock, and never moved backwards unless force (re-anchoring after a restore)."""
    path = anchor_path()
    with _locked(path):
        if not force:
            try:
                current = read_anchor()
            except ValueError:
                current = None
            if current is not None and current["id"] >= event_id:
                return
        data = {"id": int(event_id), "hash": event_hash, "signature": sign(_anchor_message(event_id, event_hash))}
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)


def reset_anchor():
    """Anchor the chain's current head (after a restore, or on a chain that was never anchored)."""
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        path = anchor_path()
        with _locked(path):
            path.unlink(missing_ok=True)
        return None
    write_anchor(*head, force=True)
    return head


def check_anchor():
    """Compare the chain with its anchor. Returns (ok, message)."""
    try:
        anchor = read_anchor()
    except (ValueError, OSError):
        return False, f"链头锚点文件 {anchor_path()} 无法读取或格式错误"
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if anchor is None:
        if head is None:
            return True, "审计日志为空，尚无链头锚点"
        if getattr(settings, "AUDIT_ANCHOR_REQUIRED", True):
            return False, f"未找到链头锚点文件 {anchor_path()}：无法确认末尾记录未被删除"
        return True, "未找到链头锚点文件（未要求锚点）"
    if not signature_ok(_anchor_message(anchor["id"], anchor["hash"]), anchor.get("signature")):
        return False, "链头锚点的签名不符（锚点文件被改写）"
    anchored = AuditEvent.objects.filter(id=anchor["id"]).values_list("hash", flat=True).first()
    if anchored is None:
        last = head[0] if head else "无"
        return False, f"锚点记录的第 {anchor['id']} 号记录不存在（当前最后一条为 {last}）：末尾记录被删除"
    if anchored != anchor["hash"]:
        return False, f"第 {anchor['id']} 号记录的哈希与链头锚点不符：记录被改写"
    return True, f"与链头锚点（第 {anchor['id']} 号记录）一致"


# --- The whole check, for manage.py verify_audit and the audit page's 校验审计链 -------------------------------------


def audit_report():
    """The check of `manage.py verify_audit`: (ok, Chinese message, first broken row id or None)."""
    checked, broken, reason = verify_chain()
    if broken is not None:
        return (
            False,
            f"审计日志校验失败：第 {broken.pk} 号记录（{broken.action}，{broken.at:%Y-%m-%d %H:%M:%S}）{reason}。"
            f"此前 {checked} 条记录完好。",
            broken.pk,
        )
    ok, message = check_anchor()
    if not ok:
        return False, f"审计日志校验失败：{message}。哈希链本身完好（{checked} 条记录）。", None
    return True, f"审计日志完好：共校验 {checked} 条记录；{message}。", None


def verify_and_record(*, by):
    """Run audit_report() on behalf of `by` and append its result to the log (the check itself is audited).
    The caller checks who may run it (纪检办, admin). Returns (ok, message, broken id)."""
    ok, message, broken_id = audit_report()
    with transaction.atomic():
        log_action(
            actor=by,
            action="core.audit.verified",
            object_type="core.auditevent",
            after={"ok": ok, "broken": broken_id},
            note=message,
        )
    return ok, message, broken_id
