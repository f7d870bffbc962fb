"""The ONLY place an Objection's status changes (issue 9 item 9): 待调查 → 调查中 → 异议成立 / 异议不成立.

Teaching affairs first takes the objection up (调查中, the objector is told), may attach investigation evidence while
it is under investigation, and then records a conclusion that nobody pre-selected, with its findings as the reason.
Each move goes through core.workflow.transition(): role check, race-safe conditional UPDATE, StatusChange row and an
audit event "applications.objection.<verb>".
"""

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move

from . import conflicts
from .enums import ObjectionStatus as O
from .models import Application, Objection

TA = frozenset({Role.TEACHING_AFFAIRS})


def _scope(objection, by, move):
    """Nobody investigates an objection against an application he takes part in (applicant or proposed member)."""
    app = Application.objects.only("pk", "applicant_id").get(pk=objection.application_id)
    return conflicts.own_application_conflict(app, by)


def _tell_objector(objection, by, move, note):
    app = Application.objects.only("pk", "studio_name").get(pk=objection.application_id)
    label = O(objection.status).label
    title = (
        f"您对「{app}」的异议已开始调查"
        if objection.status == O.INVESTIGATING
        else f"您对「{app}」的异议已处理：{label}"
    )
    notify(
        list(User.objects.filter(pk=objection.raised_by_id)),
        title=title,
        body=note or "",
        url=f"/applications/objections/{objection.pk}/",
    )


TRANSITIONS = {
    (O.OPEN, O.INVESTIGATING): Move(roles=TA, verb="investigating", notify=_tell_objector, label="开始调查"),
    (O.INVESTIGATING, O.UPHELD): Move(
        roles=TA, verb="upheld", notify=_tell_objector, label="异议成立", reason_required=True
    ),
    (O.INVESTIGATING, O.DISMISSED): Move(
        roles=TA, verb="dismissed", notify=_tell_objector, label="异议不成立", reason_required=True
    ),
}

WORKFLOW = Machine(
    name="objection",
    model=Objection,
    transitions=TRANSITIONS,
    audit_prefix="applications.objection",
    scope_guard=_scope,
)
Objection.WORKFLOW = WORKFLOW
