"""The ONLY place an Application's status changes: one TRANSITIONS table, run by core.workflow.transition().

Every move: right role and 系部 scope, race-safe conditional UPDATE, a StatusChange row with the comment, an audit
event "applications.application.<verb>", and on commit a notification (in-app + email) to the people concerned.
"""

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import headed_department_ids
from core.notifications import notify
from core.workflow import Machine, Move
from core.workflow import transition as move_state

from . import conflicts, eligibility
from .enums import ApplicationStatus as S
from .enums import AssignmentStatus, ObjectionOutcome, ObjectionStatus
from .models import Application

TA = frozenset({Role.TEACHING_AFFAIRS})
DEPT = frozenset({Role.DEPT_HEAD})


# --- guards: (application, by) -> Chinese message or None -------------------------------------------------------------


def _submit_guard(app, by):
    if by.pk != app.applicant_id:
        return "只有申报人本人可以提交申报。"
    from .models import Call

    if message := Call.objects.get(pk=app.call_id).window_message():
        return message
    items = eligibility.precheck(app)
    if eligibility.failures(items):
        return "申报未通过资格预审，不能提交：" + eligibility.failure_message(items)
    # roles may have changed since the members were listed: re-check that every stage keeps an unconflicted officer
    if message := conflicts.officer_shortage(app, app.members.values_list("user_id", flat=True)):
        return message
    return None


def _withdraw_guard(app, by):
    if by.pk != app.applicant_id:
        return "只有申报人本人可以撤回申报。"
    return None


def _recommend_guard(app, by):
    return conflicts.recommend_conflict(app, by)


def _start_review_guard(app, by):
    if not app.assignments.exclude(status=AssignmentStatus.RECUSED).exists():
        return "请先指派至少一名评审专家。"
    return None


def _finish_review_guard(app, by):
    active = app.assignments.exclude(status=AssignmentStatus.RECUSED)
    if not active.exists():
        return "没有有效的评审专家（全部回避），请补充指派专家。"
    pending = active.exclude(status=AssignmentStatus.SUBMITTED).count()
    if pending:
        return f"还有 {pending} 位专家未提交评分。"
    return None


def _committee_result(app):
    from .queries import deciding_tally

    return deciding_tally(app)


def _committee_pass_guard(app, by):
    result = _committee_result(app)
    if result is None:
        return "该申报尚未列入学术委员会审议议程。"
    if not result.valid:
        return result.reason
    return None if result.passed else "学术委员会表决未通过，不能列入建议名单。"


def _committee_reject_guard(app, by):
    result = _committee_result(app)
    if result is None:
        return "该申报尚未列入学术委员会审议议程。"
    if not result.valid:
        return result.reason
    return "学术委员会表决已通过，不能作不通过处理。" if result.passed else None


def _publicise_guard(app, by):
    return None


def _approve_guard(app, by):
    from .models import Publicity

    publicity = Publicity.objects.filter(pk=app.publicity_id).first()
    if publicity is None:
        return "该申报没有公示记录。"
    if not publicity.has_ended():
        return f"公示期未结束（{timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M} 结束），不能认定。"
    objections = app.objections.filter(publicity=publicity)
    if objections.filter(status__in=(ObjectionStatus.OPEN, ObjectionStatus.INVESTIGATING)).exists():
        return "该申报有尚未处理的异议，须调查处理后才能认定。"
    if objections.filter(status=ObjectionStatus.UPHELD).exists():
        return "该申报的异议已认定成立，不能认定。"
    return None


def _objection_reject_guard(app, by):
    upheld = app.objections.filter(status=ObjectionStatus.UPHELD, outcome=ObjectionOutcome.REJECT)
    return None if upheld.exists() else "只有在异议成立后才能因异议不予认定。"


def _disqualify_guard(app, by):
    return None


def _scope(app, by, move):
    """系部 scope for dept-head moves; nobody acts officially on an application they take part in."""
    if not move.roles:
        return None
    if Role.DEPT_HEAD in move.roles and app.department_id not in headed_department_ids(by):
        return "您只能审核本系部的申报。"
    return conflicts.own_application_conflict(app, by)


# --- notifications (run after commit) -------------------------------------------------------------------------------


def _url(app):
    return reverse("applications:detail", args=[app.pk])


def _users_with_role(role, department=None):
    qs = User.objects.filter(is_active=True, role_assignments__role=role)
    if department is not None:
        qs = qs.filter(role_assignments__department=department)
    return list(qs.distinct())


def _applicant(app):
    return User.objects.get(pk=app.applicant_id)


def _tell(*, dept_heads=False, teaching_affairs=False, members=False):
    def send(app, by, move, note):
        users = [_applicant(app)]
        if dept_heads:
            users += _users_with_role(Role.DEPT_HEAD, app.department_id)
        if teaching_affairs:
            users += _users_with_role(Role.TEACHING_AFFAIRS)
        if members:
            users += list(User.objects.filter(pk__in=app.members.values("user_id")))
        title = f"申报「{app}」：{move.label or S(app.status).label}"
        body = f"当前状态：{S(app.status).label}。" + (f"\n意见：{note}" if note else "")
        notify(users, title=title, body=body, url=_url(app))

    return send


# reason_required: every negative or final decision carries its reason (core.workflow.transition refuses it without
# one, whoever calls — page, API or service). 撤回 and the applicant's own 提交 do not need one.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Move(
        guard=_submit_guard, verb="submitted", notify=_tell(dept_heads=True), label="提交申报"
    ),
    (S.RETURNED, S.SUBMITTED): Move(
        guard=_submit_guard, verb="resubmitted", notify=_tell(dept_heads=True), label="重新提交"
    ),
    # 撤回: the applicant takes back a submitted application before the department acts; it becomes a draft again
    # (editable, resubmittable while the call is open). Once the department has acted, only 退回修改 returns it.
    (S.SUBMITTED, S.DRAFT): Move(
        guard=_withdraw_guard, verb="withdrawn", notify=_tell(dept_heads=True), label="撤回申报"
    ),
    (S.SUBMITTED, S.RETURNED): Move(
        roles=DEPT,
        guard=_recommend_guard,
        verb="returned",
        notify=_tell(),
        label="退回修改",
        reason_required=True,
    ),
    (S.SUBMITTED, S.RECOMMENDED): Move(
        roles=DEPT,
        guard=_recommend_guard,
        verb="recommended",
        notify=_tell(teaching_affairs=True),
        label="审核推荐",
        reason_required=True,
    ),
    (S.SUBMITTED, S.REJECTED): Move(
        roles=DEPT,
        guard=_recommend_guard,
        verb="dept_rejected",
        notify=_tell(),
        label="不予推荐",
        reason_required=True,
    ),
    (S.RECOMMENDED, S.UNDER_REVIEW): Move(
        roles=TA, guard=_start_review_guard, verb="review_started", notify=_tell(), label="开始专家评审"
    ),
    (S.UNDER_REVIEW, S.REVIEWED): Move(
        roles=TA, guard=_finish_review_guard, verb="review_completed", notify=_tell(), label="结束专家评审"
    ),
    (S.REVIEWED, S.PROPOSED): Move(
        roles=TA,
        guard=_committee_pass_guard,
        verb="committee_approved",
        notify=_tell(),
        label="审议通过（列入建议名单）",
        reason_required=True,
    ),
    (S.REVIEWED, S.REJECTED): Move(
        roles=TA,
        guard=_committee_reject_guard,
        verb="committee_rejected",
        notify=_tell(),
        label="审议未通过",
        reason_required=True,
    ),
    (S.PROPOSED, S.IN_PUBLICITY): Move(
        roles=TA, guard=_publicise_guard, verb="publicised", notify=_tell(), label="公示"
    ),
    (S.IN_PUBLICITY, S.APPROVED): Move(
        roles=TA,
        guard=_approve_guard,
        verb="approved",
        notify=_tell(dept_heads=True, members=True),
        label="认定授牌",
        reason_required=True,
    ),
    (S.IN_PUBLICITY, S.REJECTED): Move(
        roles=TA,
        guard=_objection_reject_guard,
        verb="objection_upheld",
        notify=_tell(),
        label="异议成立，不予认定",
        reason_required=True,
    ),
}
# 弄虚作假 (R13): from any state but itself, with reason and evidence; revokes a studio already created (services).
for _state in S:
    if _state != S.DISQUALIFIED:
        TRANSITIONS[(_state, S.DISQUALIFIED)] = Move(
            roles=TA,
            guard=_disqualify_guard,
            verb="disqualified",
            notify=_tell(dept_heads=True),
            label="取消申报资格",
            reason_required=True,
        )

WORKFLOW = Machine(
    name="application",
    model=Application,
    transitions=TRANSITIONS,
    audit_prefix="applications.application",
    scope_guard=_scope,
)
Application.WORKFLOW = WORKFLOW


def transition(app, to, *, by, note="", changes=None, audit_extra=None):
    """core.workflow.transition for applications, which also stamps 更新时间 (the lists' updated_at): the conditional
    UPDATE of a move does not touch auto_now fields, so a recommended application still showed its last draft save."""
    from django.db import transaction

    with transaction.atomic():
        moved = move_state(app, to, by=by, note=note, changes=changes, audit_extra=audit_extra)
        moved.updated_at = timezone.now()
        Application.objects.filter(pk=moved.pk).update(updated_at=moved.updated_at)
    return moved
