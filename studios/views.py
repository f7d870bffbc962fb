from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import Department
from accounts.permissions import get_object_for_user, visible_to
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes
from core.workflow import history_for

from .enums import StudioStatus, role_rank
from .models import Studio


class StudioFilter(ListFilterSet):
    q = SearchFilter("official_name", "master__display_name", label="工作室或技能大师")
    status = ChoiceFilter(choices=StudioStatus.choices, empty_label="全部状态", label="状态")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )


class StudioListPage(ListPage):
    """The approved studios (a school-wide showcase), newest first; filter, sort, page size, 导出 Excel."""

    template_name = "studios/list.html"
    filterset_class = StudioFilter
    list_url_name = "studios:list"
    export_title = "技能大师工作室"
    columns = (
        Column("name", "工作室", ("official_name",), "official_name"),
        Column("master", "技能大师", ("master__display_name",), "master.display_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("mode", "设立方式", ("mode",), "get_mode_display"),
        Column("document", "认定文号", ("document_number",), "document_number"),
        Column("approved", "认定日期", ("approved_on",), "approved_on"),
        Column("status", "状态", ("status",), "get_status_display"),
    )
    default_sort = "-approved"

    def get_queryset(self):
        return visible_to(self.request.user, Studio).select_related("master", "department")


studio_list = StudioListPage.as_view()
studio_list_export = StudioListPage.as_view(export=True)


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
