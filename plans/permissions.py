"""Who sees and does what with plans and the indicator dictionary (registered in apps.ready()).

Plans: the studio's people (master, members past and present), the head of the studio's department, and the school
offices that follow studio construction (教学工作部, 发展改革研究室, 纪检办, 校领导, 管理员) see them. Actions:
"change" (draft, edit, submit, new version: the master and current members of an active studio — can(user, "record",
studio)); the review moves are decided by plans/workflow.py (roles + 系部 scope).
Indicator sets: every signed-in person may read the dictionary; only the administrator changes it.
"""

from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, can, has_role, headed_department_ids, may_write_as
from studios.models import Studio

# Offices that see every studio's plans and the school-wide plan-vs-actual.
PLAN_OFFICES = (Role.TEACHING_AFFAIRS, Role.DEV_OFFICE, Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN)


def sees_all_plans(user):
    return has_role(user, *PLAN_OFFICES)


def studio_q(user, prefix=""):
    """Q over studios (prefix "studio__" from a plan) whose plans `user` may see."""
    if sees_all_plans(user):
        return Q()
    q = Q(**{f"{prefix}master": user}) | Q(**{f"{prefix}memberships__user": user})
    departments = headed_department_ids(user)
    if departments:
        q |= Q(**{f"{prefix}department_id__in": departments})
    return q


def may_see_studio_plans(user, studio):
    """Members past and present, the department head, the offices. Uses prefetched memberships when present."""
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_all_plans(user) or studio.department_id in headed_department_ids(user) or studio.master_id == user.pk:
        return True
    cache = getattr(studio, "_prefetched_objects_cache", {}).get("memberships")
    if cache is not None:
        return any(m.user_id == user.pk for m in cache)
    return studio.memberships.filter(user=user).exists()


class PlanPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if sees_all_plans(user):
            return queryset
        return queryset.filter(pk__in=queryset.model.objects.filter(studio_q(user, "studio__")).values("pk"))

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action == "change":
            studio = obj.studio if type(obj).studio.is_cached(obj) else Studio.objects.get(pk=obj.studio_id)
            return can(user, "record", studio)
        return False


class IndicatorSetPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return True
        return may_write_as(user, Role.ADMIN)
