"""The plan state machine (建设方案 and 年度工作计划 share it): ONE TRANSITIONS table.

draft → submitted (the studio) → dept_reviewed (系部审核: the studio's department head) → approved (教学工作部审核);
each review step may return the plan for revision (returned → submitted again). A comment is required on every
review move. approved → superseded happens only when a newer version of the plan is approved (services.approve).
"""

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import headed_department_ids
from core.notifications import notify
from core.workflow import Machine, Move
from studios.models import Studio
from studios.permissions import is_current_member

from .enums import PlanStatus as S
from .models import Plan

OFFICE = frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN})


def studio_of(plan):
    """The plan's studio, loaded once (the workflow re-reads the plan without its relations)."""
    if not Plan.studio.is_cached(plan):
        plan.studio = Studio.objects.get(pk=plan.studio_id)
    return plan.studio


def _writable(plan, by):
    if studio_of(plan).is_revoked:
        return f"工作室「{plan.studio.official_name}」已撤销，其方案只能查看。"
    return None


def _studio_member(plan, by):
    message = _writable(plan, by)
    if message:
        return message
    if not is_current_member(by, plan.studio):
        return "只有本工作室的技能大师或成员可以提交方案。"
    if not plan.targets.exists():
        return "方案还没有指标目标，请先填写后再提交。"
    return None


def _not_own(plan, by):
    """Nobody reviews a plan of a studio he belongs to."""
    message = _writable(plan, by)
    if message:
        return message
    if is_current_member(by, plan.studio):
        return "您是该工作室的成员，不能审核本工作室的方案。"
    return None


def _newer_version_approved(plan, by):
    if not Plan.objects.filter(supersedes=plan, status=S.APPROVED).exists():
        return "只有在新版本批准后，原版本才能标记为已取代。"
    return None


def _scope(plan, by, move):
    """系部审核 is for the head of the studio's department (teaching affairs and admin act school-wide)."""
    if move.roles == frozenset({Role.DEPT_HEAD}) and studio_of(plan).department_id not in headed_department_ids(by):
        return "您只能审核本系部工作室的方案。"
    return None


def _notify_reviewers(plan, by, move, note):
    studio = studio_of(plan)
    if plan.status == S.SUBMITTED:
        users = User.objects.filter(
            role_assignments__role=Role.DEPT_HEAD, role_assignments__department_id=studio.department_id
        )
    else:
        users = User.objects.filter(role_assignments__role=Role.TEACHING_AFFAIRS)
    notify(list(users.distinct()), title=f"「{studio.official_name}」{plan}待审核", url=f"/plans/{plan.pk}/")


def _notify_studio(plan, by, move, note):
    studio = studio_of(plan)
    users = list(User.objects.filter(pk__in={studio.master_id, plan.created_by_id}))
    notify(
        users, title=f"「{studio.official_name}」{plan}：{S(plan.status).label}", body=note, url=f"/plans/{plan.pk}/"
    )


def _member_move(label, verb):
    return Move(guard=_studio_member, verb=verb, notify=_notify_reviewers, label=label)


TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): _member_move("提交审核", "submitted"),
    (S.RETURNED, S.SUBMITTED): _member_move("重新提交", "resubmitted"),
    (S.SUBMITTED, S.DEPT_REVIEWED): Move(
        roles=frozenset({Role.DEPT_HEAD}),
        guard=_not_own,
        verb="dept_reviewed",
        notify=_notify_reviewers,
        label="系部审核通过",
    ),
    (S.SUBMITTED, S.RETURNED): Move(
        roles=frozenset({Role.DEPT_HEAD}), guard=_not_own, verb="dept_returned", notify=_notify_studio, label="退回修改"
    ),
    (S.DEPT_REVIEWED, S.APPROVED): Move(
        roles=OFFICE, guard=_not_own, verb="approved", notify=_notify_studio, label="教学工作部审核通过"
    ),
    (S.DEPT_REVIEWED, S.RETURNED): Move(
        roles=OFFICE, guard=_not_own, verb="affairs_returned", notify=_notify_studio, label="退回修改"
    ),
    (S.APPROVED, S.SUPERSEDED): Move(
        roles=OFFICE, guard=_newer_version_approved, verb="superseded", label="被新版本取代"
    ),
}

# Moves that need a comment (every review step).
COMMENT_REQUIRED = frozenset(
    {
        (S.SUBMITTED, S.DEPT_REVIEWED),
        (S.SUBMITTED, S.RETURNED),
        (S.DEPT_REVIEWED, S.APPROVED),
        (S.DEPT_REVIEWED, S.RETURNED),
    }
)

WORKFLOW = Machine(name="plan", model=Plan, transitions=TRANSITIONS, audit_prefix="plans.plan", scope_guard=_scope)
Plan.WORKFLOW = WORKFLOW


def may_act(user, plan):
    """Targets `user` could move the plan to now (the buttons of the plan page); superseding is never a button."""
    return [to for to in WORKFLOW.allowed_targets(plan, by=user) if to != S.SUPERSEDED]
