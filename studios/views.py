from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from accounts.models import Department
from accounts.permissions import get_object_for_user, visible_to
from core.pagination import CappedPaginator
from core.search import id_param, search_text
from core.uploads import serve_bytes
from core.workflow import history_for

from .enums import StudioStatus, role_rank
from .models import Studio


@login_required
def studio_list(request):
    studios = visible_to(request.user, Studio).select_related("master", "department").order_by("-approved_on", "pk")
    status = request.GET.get("status") or ""
    if status in StudioStatus.values:
        studios = studios.filter(status=status)
    department = request.GET.get("department") or ""
    if department_id := id_param(department):
        studios = studios.filter(department_id=department_id)
    q = search_text(request)
    if q:
        studios = studios.filter(Q(official_name__icontains=q) | Q(master__display_name__icontains=q))
    page = CappedPaginator(studios, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "studios/list.html",
        {
            "page": page,
            "statuses": StudioStatus.choices,
            "status": status,
            "departments": Department.objects.filter(is_active=True),
            "department": department,
            "q": q,
        },
    )


@login_required
def studio_detail(request, pk):
    studio = get_object_for_user(request, Studio.objects.select_related("master", "department", "application"), pk)
    members = list(
        studio.memberships.select_related("user__department").annotate(rank=role_rank()).order_by("rank", "pk")
    )
    return render(
        request, "studios/detail.html", {"studio": studio, "members": members, "history": history_for(studio)}
    )


@login_required
def approval_notice(request, pk):
    from reports.documents import approval_notice_pdf

    studio = get_object_for_user(request, Studio, pk, action="download")
    return serve_bytes(*approval_notice_pdf(studio))
