"""The studio's part of 认定 and 取消资格, registered in applications.hooks by StudiosConfig.ready().

applications (an earlier stage) never imports studios: the approval calls these through its hooks, inside its own
transaction, so a studio is created exactly when an application is approved and revoked when it is disqualified.
"""

from django.urls import reverse

from applications import hooks

from .enums import StudioStatus
from .models import Studio
from .services import create_studio_from_application, revoke_studio


@hooks.on_approved
def create_studio(application, *, by):
    """认定 creates the studio and its memberships (returned to the approval)."""
    return create_studio_from_application(application, by=by)


@hooks.on_disqualified
def revoke_disqualified_studio(application, *, by, reason):
    """弄虚作假 (R13): an application disqualified after 认定 takes its studio down with it."""
    studio = Studio.objects.filter(application_id=application.pk, status=StudioStatus.ACTIVE).first()
    if studio is not None:
        revoke_studio(studio, by=by, reason=f"申报材料弄虚作假，取消资格：{reason}")


@hooks.on_outcome_url
def studio_url(application):
    """An approved application leads to its studio's page."""
    studio = Studio.objects.filter(application_id=application.pk).order_by("-pk").only("pk").first()
    return reverse("studios:detail", args=[studio.pk]) if studio is not None else None
