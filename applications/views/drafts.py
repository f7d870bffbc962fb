"""The draft's member search (tom-select picker) and its attachments' delete/replace (issue 9 items 6 and 7)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.search import id_param, search_text

from .. import conflicts, services
from ..forms import AttachmentReplaceForm
from ..models import Application
from .applications import _editable
from .common import form_errors, run

SEARCH_LIMIT = 20
SEARCH_MAX_CHARS = 50


def _ids(raw):
    """`selected=1,2,3` → at most 100 valid ids (anything else is ignored)."""
    ids = []
    for part in str(raw or "")[:2000].split(",")[:100]:
        if (value := id_param(part)) is not None:
            ids.append(value)
    return ids


@login_required
@require_GET
def member_search(request, pk):
    """JSON for the member picker of the applicant's own editable draft: at most SEARCH_LIMIT active people matching
    the name, 工号 or 系部; the ones who cannot be chosen come with `disabled` and the reason (read-only roles, officers
    whose listing would leave a stage without an unconflicted officer). 404/403 as the edit page."""
    app = _editable(request, Application.objects.all(), pk)
    query = search_text(request, "q", max_length=SEARCH_MAX_CHARS)
    if not query:
        return JsonResponse({"results": []})
    people = list(
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(pk=app.applicant_id)
        .filter(Q(display_name__icontains=query) | Q(username__icontains=query) | Q(department__name__icontains=query))
        .select_related("department")
        .order_by("is_external", "username")[:SEARCH_LIMIT]
    )
    blocked = conflicts.unselectable_members(app, [u.pk for u in people], _ids(request.GET.get("selected")))
    results = []
    for u in people:
        unit = "校外" if u.is_external else (u.department.name if u.department_id else "")
        results.append(
            {
                "id": u.pk,
                "name": u.display_name,
                "username": u.username,
                "unit": unit,
                "label": f"{u.display_name}（{u.username}，{unit}）" if unit else f"{u.display_name}（{u.username}）",
                "disabled": u.pk in blocked,
                "reason": blocked.get(u.pk, ""),
            }
        )
    return JsonResponse({"results": results})


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    app = _editable(request, Application.objects.all(), pk)
    removed = run(request, lambda: services.delete_attachment(app, attachment_pk, by=request.user))
    if removed:
        messages.success(request, f"已删除材料「{removed['name']}」。")
    return redirect("applications:edit", app.pk)


@login_required
@require_POST
def attachment_replace(request, pk, attachment_pk):
    app = _editable(request, Application.objects.all(), pk)
    form = AttachmentReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    elif run(
        request,
        lambda: services.replace_attachment(
            app, attachment_pk, by=request.user, uploaded_file=form.cleaned_data["file"]
        ),
    ):
        messages.success(request, "材料已替换。")
    return redirect("applications:edit", app.pk)
