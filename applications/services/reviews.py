from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import may_write_as, require_write_access
from core.audit import log_action
from core.notifications import notify
from core.workflow import WorkflowError

from .. import conflicts
from ..enums import ApplicationStatus as S
from ..enums import AssignmentStatus, ReviewRecommendation
from ..models import Application, ReviewAssignment, RubricCriterion

ASSIGNABLE = (S.RECOMMENDED, S.UNDER_REVIEW)


def assign_experts(applications, experts, *, by):
    """Assign every expert to every application (one by one = lists of one). All or nothing: any conflict refuses
    the whole batch with one line per conflict. Experts are notified after commit."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以指派评审专家。", code="role")
    experts = list(experts)
    if not experts or not applications:
        raise ValidationError("请选择申报和评审专家。")
    created = []
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]).order_by("pk")
        )
        problems = []
        for app in locked:
            if app.status not in ASSIGNABLE:
                problems.append(f"「{app}」处于「{app.get_status_display()}」状态，不能指派专家。")
                continue
            existing = set(app.assignments.values_list("expert_id", flat=True))
            for expert in experts:
                if not may_write_as(expert, Role.EXPERT):  # a supervisor who is also an expert does not score
                    problems.append(f"{expert.display_name}：不是评审专家。")
                elif expert.pk in existing:
                    problems.append(f"{expert.display_name}：已指派评审「{app}」。")
                elif message := conflicts.expert_conflict(app, expert):
                    problems.append(f"「{app}」{message}")
        if problems:
            raise WorkflowError(
                "存在利益冲突或无效指派，未作任何指派：" + "；".join(dict.fromkeys(problems)), code="conflict"
            )
        for app in locked:
            for expert in experts:
                assignment = ReviewAssignment.objects.create(application=app, expert=expert, assigned_by=by)
                log_action(
                    actor=by,
                    action="applications.review.assigned",
                    obj=assignment,
                    after={"application": app.pk, "expert": expert.pk},
                )
                created.append(assignment)
        transaction.on_commit(
            lambda: [
                notify(
                    [a.expert],
                    title="您有新的评审任务",
                    body=f"申报：{a.application}。请先声明利益冲突。",
                    url=f"/applications/reviews/{a.pk}/",
                )
                for a in created
            ]
        )
    return created


def _lock_own(assignment, by, allowed):
    require_write_access(by)
    locked = ReviewAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    if locked.expert_id != by.pk:
        raise WorkflowError("这不是您的评审任务。", code="owner")
    if locked.status not in allowed:
        raise WorkflowError(f"评审任务处于「{locked.get_status_display()}」状态，不能执行该操作。", code="state")
    return locked


@transaction.atomic
def declare_no_conflict(assignment, *, by):
    """The expert declares no other conflict of interest; only then may they see the application."""
    locked = _lock_own(assignment, by, (AssignmentStatus.ASSIGNED,))
    # The enforced rules are re-checked: membership or department may have changed since assignment.
    if message := conflicts.expert_conflict(locked.application, by):
        raise WorkflowError(message, code="conflict")
    ReviewAssignment.objects.filter(pk=locked.pk).update(status=AssignmentStatus.DECLARED, declared_at=timezone.now())
    log_action(actor=by, action="applications.review.declared", obj=locked, after={"status": AssignmentStatus.DECLARED})
    locked.refresh_from_db()
    return locked


@transaction.atomic
def recuse(assignment, *, by, reason):
    """The expert recuses (回避); the reason is recorded and the expert no longer counts for this application."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请说明回避原因。")
    locked = _lock_own(assignment, by, (AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED))
    ReviewAssignment.objects.filter(pk=locked.pk).update(
        status=AssignmentStatus.RECUSED, recusal_reason=reason, declared_at=timezone.now()
    )
    log_action(
        actor=by,
        action="applications.review.recused",
        obj=locked,
        after={"status": AssignmentStatus.RECUSED},
        note=reason,
    )
    locked.refresh_from_db()
    return locked


def weighted_total(criteria, scores):
    """100-point weighted total: sum(weight × normalised score) / sum(weight) × 100."""
    weight_sum = sum((c.weight for c in criteria), Decimal(0))
    if weight_sum <= 0:
        raise ValidationError("评分标准的权重之和必须大于 0。")
    total = Decimal(0)
    for c in criteria:
        total += c.weight * (scores[c.code] - c.min_score) / Decimal(c.max_score - c.min_score)
    return (total / weight_sum * 100).quantize(Decimal("0.01"))


@transaction.atomic
def save_review_draft(assignment, *, by, scores, comment="", recommendation=""):
    """暂存: keep the expert's scores so far (each given one within its range; blanks allowed), comment and
    recommendation while the task stays 评审中. A draft has no total and counts nowhere (summary, committee, the
    'all experts submitted' rule) until submit_review()."""
    locked = _lock_own(assignment, by, (AssignmentStatus.DECLARED,))
    app = locked.application
    if app.status != S.UNDER_REVIEW:
        raise WorkflowError("该申报不在专家评审阶段，不能暂存评分。", code="state")
    criteria = list(RubricCriterion.objects.filter(rubric__calls__applications=app))
    clean, errors = {}, []
    for c in criteria:
        raw = (scores or {}).get(c.code)
        if raw is None or str(raw).strip() == "":
            continue
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, TypeError, ValueError):
            errors.append(f"「{c.label}」的分数无效。")
            continue
        if not value.is_finite() or not (c.min_score <= value <= c.max_score):
            errors.append(f"「{c.label}」的分数须在 {c.min_score}–{c.max_score} 分之间。")
            continue
        clean[c.code] = str(value)
    if recommendation and recommendation not in ReviewRecommendation.values:
        errors.append("评审建议无效。")
    comment = (comment or "").strip()
    limit = ReviewAssignment._meta.get_field("comment").max_length
    if len(comment) > limit:
        errors.append(f"评审意见不能超过 {limit} 字。")
    if errors:
        raise ValidationError(errors)
    ReviewAssignment.objects.filter(pk=locked.pk).update(
        scores=clean, comment=comment, recommendation=recommendation or "", draft_saved_at=timezone.now()
    )
    log_action(
        actor=by,
        action="applications.review.draft_saved",
        obj=locked,
        after={"scores": clean, "recommendation": recommendation or ""},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def submit_review(assignment, *, by, scores, comment, recommendation):
    """Submit the scores of every rubric criterion (each within its range), a comment and a recommendation."""
    locked = _lock_own(assignment, by, (AssignmentStatus.DECLARED,))
    app = locked.application
    if app.status != S.UNDER_REVIEW:
        raise WorkflowError("该申报不在专家评审阶段，不能提交评分。", code="state")
    criteria = list(RubricCriterion.objects.filter(rubric__calls__applications=app))
    clean, errors = {}, []
    for c in criteria:
        raw = (scores or {}).get(c.code)
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, TypeError, ValueError):
            errors.append(f"「{c.label}」未评分。")
            continue
        if not value.is_finite() or not (c.min_score <= value <= c.max_score):
            errors.append(f"「{c.label}」的分数须在 {c.min_score}–{c.max_score} 分之间。")
        clean[c.code] = value
    if recommendation not in ReviewRecommendation.values:
        errors.append("请选择评审建议。")
    if not (comment or "").strip():
        errors.append("请填写评审意见。")
    if errors:
        raise ValidationError(errors)
    total = weighted_total(criteria, clean)
    ReviewAssignment.objects.filter(pk=locked.pk).update(
        status=AssignmentStatus.SUBMITTED,
        scores={k: str(v) for k, v in clean.items()},
        total=total,
        comment=comment.strip(),
        recommendation=recommendation,
        submitted_at=timezone.now(),
    )
    log_action(
        actor=by,
        action="applications.review.submitted",
        obj=locked,
        after={"scores": {k: str(v) for k, v in clean.items()}, "total": str(total), "recommendation": recommendation},
    )
    locked.refresh_from_db()
    return locked
