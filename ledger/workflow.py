"""The ONE status machine of every ledger record: draft/returned → submitted → confirmed | returned.

系部审核: the head of the studio's department confirms a submitted record or returns it with a reason; the studio's
master or a current member submits (and resubmits after a return). A revoked studio refuses every move (the guard
asks studios.services.ensure_writable's question; the services also lock the studio and call it).
"""

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import headed_department_ids
from core.notifications import notify
from core.workflow import Machine, Move
from studios.enums import StudioStatus
from studios.models import Membership, Studio
from studios.services import REVOKED_MESSAGE

from .enums import RecordStatus as S
from .types import TYPES, type_of


def _studio_row(record):
    return Studio.objects.values("status", "official_name", "master_id", "department_id").get(pk=record.studio_id)


def _writable(record, by):
    studio = _studio_row(record)
    if studio["status"] == StudioStatus.REVOKED:
        return REVOKED_MESSAGE.format(name=studio["official_name"])
    return None


def _member_guard(record, by):
    """Submit / resubmit: the master or a current member of the record's (active) studio."""
    refused = _writable(record, by)
    if refused:
        return refused
    studio = _studio_row(record)
    if studio["master_id"] == by.pk:
        return None
    if Membership.objects.filter(studio_id=record.studio_id, user=by, left_on__isnull=True).exists():
        return None
    return "只有本工作室的技能大师或在册成员可以提交记录。"


def _review_scope(record, by, move):
    """Confirm / return: only the head of the studio's department (系部审核)."""
    if Role.DEPT_HEAD not in move.roles:
        return None
    studio = _studio_row(record)
    if studio["department_id"] not in headed_department_ids(by):
        return "只有工作室所在系部的主任可以审核该记录。"
    return None


def _url(record):
    return reverse("ledger:detail", args=[type_of(record).slug, record.pk])


def _notify_creator(verb):
    def send(record, by, move, note):
        creator = User.objects.get(pk=record.created_by_id)
        body = f"退回原因：{note}" if note and verb == "returned" else ""
        label = {"confirmed": "已被系部确认", "returned": "已被系部退回"}[verb]
        notify([creator], title=f"建设记录「{record.title}」{label}", body=body, url=_url(record))

    return send


DEPT = frozenset({Role.DEPT_HEAD})

TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Move(guard=_member_guard, verb="submitted", label="提交审核"),
    (S.RETURNED, S.SUBMITTED): Move(guard=_member_guard, verb="resubmitted", label="重新提交"),
    (S.SUBMITTED, S.CONFIRMED): Move(
        roles=DEPT, guard=_writable, verb="confirmed", notify=_notify_creator("confirmed"), label="确认"
    ),
    (S.SUBMITTED, S.RETURNED): Move(
        roles=DEPT, guard=_writable, verb="returned", notify=_notify_creator("returned"), label="退回"
    ),
}

MACHINES = {}
for _type in TYPES.values():
    MACHINES[_type.model] = Machine(
        name=f"ledger.{_type.name}",
        model=_type.model,
        transitions=TRANSITIONS,
        audit_prefix=f"ledger.{_type.name}",
        scope_guard=_review_scope,
    )
    _type.model.WORKFLOW = MACHINES[_type.model]
