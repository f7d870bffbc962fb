"""Who sees the dashboards: 校领导, 发改室, 教学工作部, 纪检办 and the administrator — all read-only views over
every studio (these roles see every row anyway). Nobody else: a department head sees his own department's pages."""

from django.core.exceptions import PermissionDenied

from accounts.enums import Role
from accounts.permissions import has_role

OVERVIEW_ROLES = frozenset({Role.LEADERSHIP, Role.DEV_OFFICE, Role.TEACHING_AFFAIRS, Role.INSPECTOR, Role.ADMIN})
EVALUATION_ROLES = OVERVIEW_ROLES

REFUSAL = "只有校领导、发展改革研究室、教学工作部、纪检办公室和系统管理员可以查看统计分析。"


def sees_insights(user):
    return bool(user and user.is_authenticated and has_role(user, *OVERVIEW_ROLES))


def check(user):
    if not sees_insights(user):
        raise PermissionDenied(REFUSAL)
