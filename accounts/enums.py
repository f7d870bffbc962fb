from django.db import models


class Role(models.TextChoices):
    """Roles of docs/domain.md §2 and docs/roles.md. A person can hold several; dept_head is scoped to a department."""

    STAFF = "staff", "教职工"
    DEPT_HEAD = "dept_head", "系（部）主任"
    TEACHING_AFFAIRS = "teaching_affairs", "教学工作部"
    EXPERT = "expert", "评审专家"
    COMMITTEE = "committee", "学术委员会委员"
    DEV_OFFICE = "dev_office", "发展改革研究室"
    FINANCE = "finance", "财务部"
    HR = "hr", "人事部"
    COOP_OFFICE = "coop_office", "校企办"
    INSPECTOR = "inspector", "纪检办公室"
    LEADERSHIP = "leadership", "校领导"
    ADMIN = "admin", "系统管理员"


# Roles that see every row of the records they deal with.
ALL_SCOPE_ROLES = frozenset(
    {
        Role.TEACHING_AFFAIRS,
        Role.DEV_OFFICE,
        Role.FINANCE,
        Role.HR,
        Role.COOP_OFFICE,
        Role.INSPECTOR,
        Role.LEADERSHIP,
        Role.ADMIN,
    }
)
# Roles that may read everything but never write.
READ_ONLY_ROLES = frozenset({Role.INSPECTOR, Role.LEADERSHIP})
