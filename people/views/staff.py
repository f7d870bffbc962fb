"""教职工档案 (HR, dept heads for their department, teaching affairs…) and the roster import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from accounts.models import Department, User
from accounts.permissions import get_object_for_user, has_role, headed_department_ids, may_write_as, visible_to
from core.lists import Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes

from .. import services
from ..forms import RosterImportForm, StaffProfileForm
from ..models import StaffProfile
from ..permissions import PERSONNEL_READERS, PERSONNEL_WRITERS, may_view_person
from ..roster import import_roster, template_workbook
from ..services import PROFILE_HR_FIELDS
from .common import apply_errors, record_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(user):
    if not (has_role(user, *PERSONNEL_READERS) or headed_department_ids(user)):
        raise PermissionDenied("您无权查看教职工档案。")


class StaffFilter(ListFilterSet):
    q = SearchFilter("username", "display_name", label="工号或姓名")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )


def _majors(user):
    profile = getattr(user, "profile", None)
    return "、".join(m.name for m in profile.majors.all()) if profile else ""


class StaffListPage(ListPage):
    """教职工档案 for HR, department heads (their department) and the all-seeing roles. The export carries the masked
    ID number only, as the page does."""

    template_name = "people/staff_list.html"
    filterset_class = StaffFilter
    list_url_name = "people:staff_list"
    export_title = "教职工档案"
    default_page_size = 50
    columns = (
        Column("username", "工号", ("username",), "username"),
        Column("name", "姓名", ("display_name",), "display_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("gender", "性别", (), "profile.get_gender_display"),
        Column("birth", "出生日期", ("profile__birth_date",), "profile.birth_date"),
        Column("id_number", "身份证号码", (), "profile.masked_id_number"),
        Column("title", "职务", ("profile__title",), "profile.title"),
        Column("majors", "任教专业", (), _majors),
        Column("actions", "操作"),
    )
    default_sort = "username"

    def check_access(self, request):
        _require_reader(request.user)

    def get_queryset(self):
        return (
            visible_to(self.request.user, User)
            .filter(is_external=False)
            .select_related("department", "profile")
            .prefetch_related("profile__majors")
        )

    def extra_context(self):
        return {"can_import": may_write_as(self.request.user, *PERSONNEL_WRITERS)}


staff_list = StaffListPage.as_view()
staff_list_export = StaffListPage.as_view(export=True)


@login_required
def staff_detail(request, user_pk):
    person = get_object_for_user(request, User.objects.select_related("department"), user_pk)
    if person.is_external or not may_view_person(request.user, person):
        raise PermissionDenied("您无权查看该教职工档案。")
    context = record_context(person)
    context["can_edit"] = may_write_as(request.user, *PERSONNEL_WRITERS)
    return render(request, "people/staff_detail.html", context)


@login_required
def staff_edit(request, user_pk):
    if not may_write_as(request.user, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以修改教职工档案。")
    person = get_object_for_user(request, User.objects.filter(is_external=False).select_related("department"), user_pk)
    profile = StaffProfile.objects.filter(user=person).first() or StaffProfile(user=person)
    form = StaffProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                by=request.user,
                user=person,
                data={k: form.cleaned_data[k] for k in PROFILE_HR_FIELDS},
                majors=list(form.cleaned_data["majors"]),
                id_number=form.cleaned_data["id_number"] or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "档案已保存。")
            return redirect("people:staff_detail", user_pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑教职工档案：{person.display_name}（{person.username}）",
            "back_url": request.path,
        },
    )


@login_required
def roster_import(request):
    if not may_write_as(request.user, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以导入教职工名册。")
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_roster(form.cleaned_data["file"], by=request.user)
        if result.ok:
            messages.success(
                request, f"名册已导入：共{result.rows}行，新建账号{result.created}个，更新{result.updated}个。"
            )
            return redirect("people:staff_list")
    return render(request, "people/roster_import.html", {"form": form, "result": result})


@login_required
def roster_template(request):
    if not may_write_as(request.user, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以下载名册模板。")
    return serve_bytes(template_workbook(), "教职工名册模板.xlsx", XLSX)
