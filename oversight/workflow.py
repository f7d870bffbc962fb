"""The status machine of a supervision note (监督意见): open → answered (the addressed office answers) → closed (the
inspector who wrote it closes it); the inspector may also close an open note he made (with a remark) and reopen an
answered or closed one (with a reason) — back to open, the office answers again.

A supervision machine (core.workflow.Machine.supervision): the inspector's moves are his own supervision work, the one
write a read-only role makes. The entries (answer text, remarks) are written by oversight.services in the same
transaction as the move.
"""

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move

from .enums import NoteStatus as S
from .models import SupervisionNote
from .permissions import answers_for, is_inspector, office_holders

OFFICE = frozenset({Role.TEACHING_AFFAIRS, Role.DEV_OFFICE, Role.FINANCE, Role.DEPT_HEAD})
INSPECTOR = frozenset({Role.INSPECTOR})


def _office_guard(note, by):
    if not answers_for(by, note):
        return f"只有「{note.get_office_display()}」可以答复这条监督意见。"
    return None


def _author_guard(note, by):
    if not is_inspector(by) or note.created_by_id != by.pk:
        return "只有提出这条监督意见的纪检办公室人员可以办结或重新打开它。"
    return None


def _url(note):
    return reverse("oversight:note", args=[note.pk])


def _notify_author(note, by, move, text):
    notify(
        [User.objects.get(pk=note.created_by_id)],
        title=f"监督意见「{note.subject}」已答复",
        body=text or "",
        url=_url(note),
    )


def _notify_office(note, by, move, text):
    notify(
        office_holders(note), title=f"监督意见「{note.subject}」已重新打开，请再次答复", body=text or "", url=_url(note)
    )


TRANSITIONS = {
    (S.OPEN, S.ANSWERED): Move(
        roles=OFFICE, guard=_office_guard, verb="answered", label="答复", notify=_notify_author, reason_required=True
    ),
    (S.ANSWERED, S.CLOSED): Move(roles=INSPECTOR, guard=_author_guard, verb="closed", label="办结"),
    (S.OPEN, S.CLOSED): Move(
        roles=INSPECTOR, guard=_author_guard, verb="closed", label="办结", reason_required=True
    ),
    (S.ANSWERED, S.OPEN): Move(
        roles=INSPECTOR, guard=_author_guard, verb="reopened", label="重新打开", notify=_notify_office,
        reason_required=True,
    ),
    (S.CLOSED, S.OPEN): Move(
        roles=INSPECTOR, guard=_author_guard, verb="reopened", label="重新打开", notify=_notify_office,
        reason_required=True,
    ),
}  # fmt: skip

MACHINE = Machine(
    name="oversight.note", model=SupervisionNote, transitions=TRANSITIONS, audit_prefix="oversight.note",
    supervision=True,
)  # fmt: skip
SupervisionNote.WORKFLOW = MACHINE
