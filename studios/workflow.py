"""The Studio state machine: active → revoked (R13 falsified material, R21 failed evaluation)."""

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move

from .enums import StudioStatus as S
from .models import Studio

# The leave reason of the memberships closed by a revocation (studios.services.revoke_studio).
REVOKED_LEAVE = "工作室撤销"


def _notify_revoked(studio, by, move, note):
    # Everyone who was a member when it was revoked (revoke_studio closes the memberships the same day), the master,
    # and the head(s) of the studio's department.
    users = {m.user.pk: m.user for m in studio.memberships.select_related("user").filter(leave_reason=REVOKED_LEAVE)}
    users.setdefault(studio.master_id, User.objects.get(pk=studio.master_id))
    for head in User.objects.filter(
        role_assignments__role=Role.DEPT_HEAD, role_assignments__department_id=studio.department_id, is_active=True
    ).distinct():
        users.setdefault(head.pk, head)
    notify(
        list(users.values()), title=f"工作室「{studio.official_name}」已撤销", body=note, url=f"/studios/{studio.pk}/"
    )


TRANSITIONS = {
    # 学术委员会: a 不合格 grade confirmed in 年度考核 revokes the studio inside the confirmation (R21, evaluation/).
    (S.ACTIVE, S.REVOKED): Move(
        roles=frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN, Role.COMMITTEE}),
        verb="revoked",
        notify=_notify_revoked,
        label="撤销",
    ),
}

WORKFLOW = Machine(name="studio", model=Studio, transitions=TRANSITIONS, audit_prefix="studios.studio")
Studio.WORKFLOW = WORKFLOW
