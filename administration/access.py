"""Who uses which 系统管理 section. The sections only decide who sees a screen; every write is checked again by the
owning app's service (accounts, people, applications) and objects are fetched through accounts.permissions."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.enums import Role
from accounts.permissions import may_write_as


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
}


def may_use(user, section: str) -> bool:
    return may_write_as(user, *SECTIONS[section].roles)


def require_section(user, section: str):
    """403 unless the user holds (as a writer) one of the roles that own this section."""
    if not may_use(user, section):
        raise PermissionDenied(f"您没有权限使用「{SECTIONS[section].label}」。")


def sections_for(user):
    return [s for key, s in SECTIONS.items() if may_use(user, key)]
