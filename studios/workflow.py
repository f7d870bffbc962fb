"""The Studio state machine: active → revoked (R13 falsified material, R21 failed evaluation)."""

from accounts.enums import Role
from core.notifications import notify
from core.workflow import Machine, Move

from .enums import StudioStatus as S
from .models import Studio


def _notify_revoked(studio, by, move, note):
    users = [m.user for m in studio.memberships.select_related("user")]
    notify(users, title=f"工作室「{studio.official_name}」已撤销", body=note, url=f"/studios/{studio.pk}/")


TRANSITIONS = {
    (S.ACTIVE, S.REVOKED): Move(
        roles=frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN}), verb="revoked", notify=_notify_revoked, label="撤销"
    ),
}

WORKFLOW = Machine(name="studio", model=Studio, transitions=TRANSITIONS, audit_prefix="studios.studio")
Studio.WORKFLOW = WORKFLOW
