from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.enums import Role
from accounts.permissions import may_write_as
from core.audit import log_action
from core.workflow import WorkflowError

from ..enums import CallStatus
from ..models import Call


def _require_ta(by):
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以执行此操作。", code="role")


@transaction.atomic
def create_call(
    *,
    by,
    year,
    title,
    opens_at,
    closes_at,
    rubric,
    policy_year=None,
    blind_review=False,
    experts_see_scores=False,
    review_deadline=None,
):
    """Create a call (not yet open)."""
    _require_ta(by)
    if closes_at <= opens_at:
        raise ValidationError("截止时间必须晚于开始时间。")
    if review_deadline is not None and review_deadline <= closes_at:
        raise ValidationError("专家评审截止时间必须晚于申报截止时间。")
    call = Call.objects.create(
        year=year,
        title=title.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        rubric=rubric,
        policy_year=policy_year or year,
        blind_review=blind_review,
        experts_see_scores=experts_see_scores,
        review_deadline=review_deadline,
        created_by=by,
    )
    log_action(actor=by, action="applications.call.created", obj=call, after={"title": call.title, "year": year})
    return call


def _set_status(call, status, by, verb):
    _require_ta(by)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        before = locked.status
        if before == status:
            raise WorkflowError(f"申报批次已是「{CallStatus(status).label}」状态。", code="illegal")
        Call.objects.filter(pk=call.pk).update(status=status)
        log_action(
            actor=by,
            action=f"applications.call.{verb}",
            obj=locked,
            before={"status": before},
            after={"status": status},
        )
    call.status = status
    return call


def open_call(call, *, by):
    """Teaching affairs opens a call: applicants may submit inside its window."""
    return _set_status(call, CallStatus.OPEN, by, "opened")


def close_call(call, *, by):
    """Teaching affairs closes a call early or after the deadline: no more submissions."""
    return _set_status(call, CallStatus.CLOSED, by, "closed")
