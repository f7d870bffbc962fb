import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from core.uploads import validate_upload

from ..enums import ApplicationStatus as S
from ..models import Application
from ..workflow import transition


def approve_application(application, *, by, document_number, approved_on):
    """认定: the application becomes approved and a Studio is created from it, in one transaction.

    Race-safe: the conditional status UPDATE lets exactly one of concurrent approvals through; the others get
    ConcurrentTransitionError / WorkflowError and create nothing.
    """
    from studios.services import create_studio_from_application

    document_number = (document_number or "").strip()
    if not document_number:
        raise ValidationError("请填写认定发文文号。")
    if not isinstance(approved_on, dt.date):
        raise ValidationError("请填写认定日期。")
    with transaction.atomic():
        app = transition(
            application,
            S.APPROVED,
            by=by,
            note=f"认定文号：{document_number}",
            changes={"document_number": document_number, "approved_on": approved_on},
        )
        studio = create_studio_from_application(app, by=by)
    return studio


def disqualify_application(application, *, by, reason, evidence=None):
    """弄虚作假 (R13): disqualify from any state with reason (and evidence); revokes the studio if already approved."""
    from studios.services import revoke_studio

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
        from studios.models import Studio

        studio = Studio.objects.filter(application_id=app.pk, status="active").first()
        if studio is not None:
            revoke_studio(studio, by=by, reason=f"申报材料弄虚作假，取消资格：{reason}")
    return app
