from django.core.exceptions import ValidationError
from django.utils import timezone

from core.search import search_text  # noqa: F401 - re-exported for the people views

from ..forms import EligibilityDateForm
from ..models import Honor, StaffProfile, WorkPeriod
from ..rules import check_master_eligibility


def apply_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form (field errors where the form has the field)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def record_context(person):
    """A person's profile, work periods and honours, loaded for a page (no lazy loads)."""
    profile = StaffProfile.objects.filter(user_id=person.pk).prefetch_related("majors").first()
    periods = list(WorkPeriod.objects.filter(user_id=person.pk).order_by("-start", "id"))
    honors = list(Honor.objects.filter(user_id=person.pk).select_related("kind").order_by("-date", "id"))
    return {"person": person, "profile": profile, "periods": periods, "honors": honors}


def eligibility_context(request, person):
    on = timezone.localdate()
    form = EligibilityDateForm(request.GET or None, initial={"on": on})
    if form.is_bound and form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    return {"person": person, "form": form, "on": on, "report": check_master_eligibility(person, on=on)}
