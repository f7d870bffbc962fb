import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.uploads import validate_upload

from .. import hooks
from ..enums import ApplicationStatus as S
from ..models import Application, Publicity
from ..workflow import transition


def approve_application(application, *, by, document_number, approved_on):
    """认定: the application becomes approved and a Studio is created from it, in one transaction (the studio comes
    from the handler studios registers in applications.hooks; it is returned).

    Race-safe: the conditional status UPDATE lets exactly one of concurrent approvals through; the others get
    ConcurrentTransitionError / WorkflowError and create nothing.
    """
    document_number = (document_number or "").strip()
    if not document_number:
        raise ValidationError("请填写认定发文文号。")
    if not isinstance(approved_on, dt.date) or isinstance(approved_on, dt.datetime):
        raise ValidationError("请填写认定日期。")
    with transaction.atomic():
        # the process refusals first (publicity not over, open objections: 409), then the date itself (422)
        Application.WORKFLOW.check(Application.objects.get(pk=application.pk), S.APPROVED, by=by)
        check_approval_date(application, approved_on)
        app = transition(
            application,
            S.APPROVED,
            by=by,
            note=f"认定文号：{document_number}",
            changes={"document_number": document_number, "approved_on": approved_on},
        )
        studio = hooks.approved(app, by=by)
    return studio


def check_approval_date(application, approved_on):
    """认定日期 lies between the end of the 公示 (a studio cannot be approved while staff may still object) and today
    (a future date would also pick the plaque's school name from a policy not yet in force)."""
    today = timezone.localdate()
    if approved_on > today:
        raise ValidationError(f"认定日期（{approved_on:%Y-%m-%d}）不能晚于今天（{today:%Y-%m-%d}）。")
    publicity = Publicity.objects.filter(applications__pk=application.pk).order_by("-ends_at").first()
    if publicity is not None:
        # the last moment of the window is ends_at minus an instant: a window ending at 00:00 ends the day before
        last_day = timezone.localtime(publicity.ends_at - dt.timedelta(microseconds=1)).date()
        if approved_on <= last_day:
            raise ValidationError(
                f"认定日期（{approved_on:%Y-%m-%d}）须在公示期结束之后："
                f"公示至 {timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M} 结束，认定日期最早为 "
                f"{last_day + dt.timedelta(days=1):%Y-%m-%d}。"
            )


def disqualify_application(application, *, by, reason, evidence=None):
    """弄虚作假 (R13): disqualify from any state with reason (and evidence); revokes the studio if already approved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写取消资格的原因（核实的不实情况）。")
    if evidence is not None:
        validate_upload(evidence)
    with transaction.atomic():
        app = transition(application, S.DISQUALIFIED, by=by, note=reason, changes={"disqualify_reason": reason})
        if evidence is not None:
            row = Application.objects.get(pk=app.pk)
            row.disqualify_evidence.save(evidence.name, evidence, save=False)
            Application.objects.filter(pk=app.pk).update(disqualify_evidence=row.disqualify_evidence.name)
        hooks.disqualified(app, by=by, reason=reason)  # studios revokes the studio of an approved application
    return app
