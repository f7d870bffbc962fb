"""Writes on studios: creation from an approved application (认定), revocation through the Studio workflow."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.audit import log_action
from core.workflow import transition

from .enums import MembershipRole, StudioStatus
from .models import Membership, Studio

REVOKED_MESSAGE = "工作室「{name}」已撤销，其记录只能查看，不能新增或修改。"


class StudioReadOnly(PermissionDenied):
    """A write refused because the studio is revoked (a PermissionDenied: 403 on pages and in the API)."""


def ensure_writable(studio):
    """Raise StudioReadOnly (Chinese message) when the studio is revoked. Every write on a studio or on a record that
    belongs to one (members, letters, ledger, plans) calls this inside its transaction, after locking/re-reading the
    studio where the status could change concurrently. Returns the studio for chaining."""
    if studio.status == StudioStatus.REVOKED:
        raise StudioReadOnly(REVOKED_MESSAGE.format(name=studio.official_name))
    return studio


def plaque_name(school_name, master_name):
    return f"{school_name}（{master_name}）技能大师工作室"


@transaction.atomic
def create_studio_from_application(application, *, by):
    """Create the Studio and the memberships of the master and the proposed members. Call inside the approval."""
    from applications.models import Application, ApplicationMember
    from applications.policy import school_name

    app = Application.objects.select_related("applicant").get(pk=application.pk)
    studio = Studio.objects.create(
        application=app,
        official_name=app.studio_name,
        plaque_name=plaque_name(school_name(app.approved_on), app.applicant.display_name),
        master=app.applicant,
        mode=app.mode,
        venue_school=app.venue_school,
        venue_partner=app.venue_partner,
        department_id=app.department_id,
        status=StudioStatus.ACTIVE,
        document_number=app.document_number,
        approved_on=app.approved_on,
    )
    rows = [
        Membership(
            studio=studio, user=app.applicant, role=MembershipRole.MASTER, is_external=False, joined_on=app.approved_on
        )
    ]
    for member in ApplicationMember.objects.filter(application=app).select_related("user"):
        role = MembershipRole.CORE if member.role == "core" else MembershipRole.MEMBER
        rows.append(
            Membership(
                studio=studio,
                user=member.user,
                role=role,
                is_external=member.user.is_external,
                joined_on=app.approved_on,
            )
        )
    Membership.objects.bulk_create(rows)
    log_action(
        actor=by,
        action="studios.studio.created",
        obj=studio,
        after={
            "application": app.pk,
            "official_name": studio.official_name,
            "plaque_name": studio.plaque_name,
            "document_number": studio.document_number,
            "members": [[r.user_id, r.role] for r in rows],
        },
    )
    return studio


def revoke_studio(studio, *, by, reason):
    """撤销 (R13/R21) through the Studio workflow: history row, audit event, members notified."""
    return transition(studio, StudioStatus.REVOKED, by=by, note=reason, changes={"revoked_reason": reason})
