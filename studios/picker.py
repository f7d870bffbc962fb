"""The member picker's searches on the studio pages (tom-select, static/js/member-picker.js): 添加成员 and 登记历史工作室
choose people by name, 工号 or 系部 instead of typing 工号. The option values are 工号 (the forms' fields stay 工号, so
the pages work the same for scripts and the Excel import). JSON, at most SEARCH_LIMIT people, one statement for the
people plus one for the studio's current members; the same permission as the page the picker sits on."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import get_object_for_user, may_write_as
from core.search import search_text

from .models import Membership, Studio

SEARCH_LIMIT = 20
SEARCH_MAX_CHARS = 50


def unit_of(user):
    return "校外" if user.is_external else (user.department.name if user.department_id else "")


def picker_label(user):
    unit = unit_of(user)
    return f"{user.display_name}（{user.username}，{unit}）" if unit else f"{user.display_name}（{user.username}）"


def _people(request):
    query = search_text(request, "q", max_length=SEARCH_MAX_CHARS)
    if not query:
        return []
    return list(
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(display_name__icontains=query) | Q(username__icontains=query) | Q(department__name__icontains=query))
        .select_related("department")
        .order_by("is_external", "username")[:SEARCH_LIMIT]
    )


def _answer(people, blocked):
    return JsonResponse(
        {
            "results": [
                {
                    "id": u.username,
                    "name": u.display_name,
                    "username": u.username,
                    "unit": unit_of(u),
                    "label": picker_label(u),
                    "disabled": u.pk in blocked,
                    "reason": blocked.get(u.pk, ""),
                }
                for u in people
            ]
        }
    )


@login_required
@require_GET
def member_search(request, pk):
    """People to add to studio `pk` (as 添加成员: the master, teaching affairs); its current members are shown
    disabled with the reason."""
    studio = get_object_for_user(request, Studio.objects.all(), pk, action="manage_members")
    people = _people(request)
    current = Membership.objects.filter(
        studio=studio, left_on__isnull=True, user_id__in=[u.pk for u in people]
    ).values_list("user_id", flat=True)
    return _answer(people, dict.fromkeys(current, "已是本工作室的在册成员"))


@login_required
@require_GET
def people_search(request):
    """People for 登记历史工作室 (teaching affairs, admin): the master and the members of the studio being registered."""
    if not may_write_as(request.user, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部可以登记历史工作室。")
    return _answer(_people(request), {})
