"""{% archive_notes obj %} on the page of a record that belongs to a studio-year (a ledger record, a plan, an archive
document): says when the year is archived (frozen) and shows the addenda (补充说明) beside the record, with the form
to add one for whoever may (archive.permissions "addendum"). Two queries."""

from django import template

from accounts.permissions import can

from ..forms import AddendumForm
from ..models import Addendum, YearArchive
from ..permissions import StudioYear
from ..services import ADDENDUM_TARGETS

register = template.Library()


@register.inclusion_tag("archive/_record_notes.html", takes_context=True)
def archive_notes(context, obj):
    object_type = obj._meta.label_lower
    if object_type not in ADDENDUM_TARGETS:
        return {}
    attr = ADDENDUM_TARGETS[object_type]
    year = getattr(obj, attr).year if attr == "date" else getattr(obj, attr)
    archived = YearArchive.objects.filter(studio_id=obj.studio_id, year=year).select_related("archived_by").first()
    addenda = list(Addendum.objects.filter(object_type=object_type, object_id=obj.pk).select_related("created_by"))
    request = context.get("request")
    user = getattr(request, "user", None)
    may_add = bool(archived and user and can(user, "addendum", StudioYear(obj.studio, year)))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "archived": archived,
        "year": year,
        "studio_id": obj.studio_id,
        "addenda": addenda,
        "may_addendum": may_add,
        "addendum_form": AddendumForm(initial={"object_type": object_type, "object_id": obj.pk}) if may_add else None,
    }
