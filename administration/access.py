"""Who uses which 系统管理 section. The sections only decide who sees a screen; every write is checked again by the
owning app's service (accounts, people, applications) and objects are fetched through accounts.permissions."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from accounts.permissions import get_object_for_user, may_write_as, visible_to
from applications.models import Rubric, RubricCriterion
from applications.services.settings import rubric_in_use


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    icon: str
    roles: tuple
    description: str


SECTIONS = {
    "users": Section(
        "账户与角色",
        "administration:user_list",
        "person-gear",
        (Role.ADMIN, Role.HR, Role.COOP_OFFICE),
        "建立账户、启用/停用、重置密码、授予和撤销角色；人事部可代教职工登记企业经历和荣誉。",
    ),
    "experts": Section(
        "评审专家库",
        "administration:expert_list",
        "person-check",
        (Role.TEACHING_AFFAIRS, Role.ADMIN),
        "增加或移出评审专家（校内外均可）。",
    ),
    "policy": Section(
        "政策参数",
        "administration:policy_list",
        "sliders",
        (Role.ADMIN,),
        "按年度维护《建设方案》参数：年龄上限、企业经历年限、公示天数等。",
    ),
    "rubrics": Section(
        "评分标准",
        "administration:rubric_list",
        "list-check",
        (Role.TEACHING_AFFAIRS, Role.ADMIN),
        "专家评审的评分项、分值范围和权重。",
    ),
    "holidays": Section(
        "节假日校正",
        "administration:holiday_list",
        "calendar-week",
        (Role.TEACHING_AFFAIRS, Role.ADMIN),
        "校正法定节假日与调休安排，公示期按工作日计算时使用。",
    ),
    "dictionaries": Section(
        "数据字典",
        "administration:dictionary_index",
        "journal-text",
        (Role.ADMIN,),
        "系部、专业、荣誉/奖项类别。",
    ),
    "work_messages": Section(
        "工作消息机器人",
        "integrations:webhook_list",
        "chat-dots",
        (Role.ADMIN,),
        "把平台通知同时发到企业微信/钉钉群机器人（按系部或角色），查看每次发送记录。",
    ),
}


def may_use(user, section: str) -> bool:
    return may_write_as(user, *SECTIONS[section].roles)


def require_section(user, section: str):
    """403 unless the user holds (as a writer) one of the roles that own this section."""
    if not may_use(user, section):
        raise PermissionDenied(f"您没有权限使用「{SECTIONS[section].label}」。")


def sections_for(user):
    return [s for key, s in SECTIONS.items() if may_use(user, key)]


# --- Objects the sections work on, fetched the same way by the pages (views.py) and the API (api.py) -----------------


def external_only(user) -> bool:
    """校企办 (without admin or HR) works on external accounts only."""
    return not may_write_as(user, Role.ADMIN, Role.HR)


def managed_users(user):
    """The accounts the 账户与角色 section lists for `user`."""
    users = visible_to(user, User)
    return users.filter(is_external=True) if external_only(user) else users


def user_rows(user, filters=None):
    """The section's account list in username order with departments and role rows, filtered by the cleaned data of
    forms.UserFilterForm (q, department, role, status) — the page and the API filter the same way."""
    users = (
        managed_users(user)
        .select_related("department")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("department").order_by("role"))
        )
        .order_by("username")
    )
    data = filters or {}
    if data.get("q"):
        users = users.filter(Q(username__icontains=data["q"]) | Q(display_name__icontains=data["q"]))
    if data.get("department"):
        users = users.filter(department=data["department"])
    if data.get("role"):
        users = users.filter(role_assignments__role=data["role"]).distinct()
    if data.get("status"):
        users = users.filter(is_active=data["status"] == "active")
    return users


def expert_rows(user):
    """The expert pool (评审专家 role rows of the accounts `user` sees), in username order."""
    return (
        RoleAssignment.objects.filter(role=Role.EXPERT, user__in=visible_to(user, User))
        .select_related("user__department", "granted_by")
        .order_by("user__username")
    )


def person_for(request, pk, action="view"):
    """One account of the section (404 outside it), with its role rows; 403 when `action` is not allowed."""
    return get_object_for_user(
        request,
        managed_users(request.user)
        .select_related("department")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("department", "granted_by"))
        ),
        pk,
        action,
    )


def editable_rubric(request, pk):
    """A rubric that may still change: never one of a call that has opened (experts score by it)."""

    rubric = get_object_for_user(request, Rubric, pk, "change")
    if rubric_in_use(rubric):
        raise PermissionDenied("该评分标准已用于开放过的申报批次，不能再修改。")
    return rubric


def rubric_criterion(request, pk, criterion_pk):
    rubric = editable_rubric(request, pk)
    return rubric, get_object_for_user(request, RubricCriterion.objects.filter(rubric=rubric), criterion_pk, "change")
