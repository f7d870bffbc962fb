"""Who sees and changes the people records (registered in apps.ready()).

Personal records (profiles, work history, honours) — the owner; dept heads for their department; 教学工作部, 人事部,
发改室, 纪检, 校领导, admin for everyone (纪检/校领导 read-only). The enterprise registry is visible to every internal
user (they pick external members from it) and written by 校企办 and admin.
"""

from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    may_write_as,
)

PERSONNEL_READERS = frozenset(
    {Role.TEACHING_AFFAIRS, Role.HR, Role.DEV_OFFICE, Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN}
)
PERSONNEL_WRITERS = (Role.HR, Role.ADMIN)
ENTERPRISE_WRITERS = (Role.COOP_OFFICE, Role.ADMIN)


def _personal_scope(user, queryset, user_field):
    if has_role(user, *PERSONNEL_READERS):
        return queryset
    condition = Q(**{user_field: user.pk})
    dept_ids = headed_department_ids(user)
    if dept_ids:
        condition |= Q(**{f"{user_field}__department_id__in": dept_ids})
    return queryset.filter(condition)


def may_view_person(viewer, person) -> bool:
    """May `viewer` see `person`'s records (and run the eligibility pre-check for them)?"""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == person.pk or has_role(viewer, *PERSONNEL_READERS):
        return True
    return person.department_id is not None and person.department_id in headed_department_ids(viewer)


def may_reveal_id_number(viewer) -> bool:
    """Only the system administrator ever sees an ID number in clear."""
    return may_write_as(viewer, Role.ADMIN)


class StaffProfilePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return _personal_scope(user, queryset, "user")

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action == "change_own":  # phone, majors, title, certificate: the owner keeps them current
            return obj.user_id == user.pk or may_write_as(user, *PERSONNEL_WRITERS)
        if action == "reveal_id":
            return may_reveal_id_number(user)
        return may_write_as(user, *PERSONNEL_WRITERS)


class EvidencePolicy(ObjectPolicy):
    """WorkPeriod and Honor: the owner maintains them; HR and admin may correct them."""

    def visible(self, user, queryset):
        return _personal_scope(user, queryset, "user")

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if obj.user_id == user.pk:
            return True
        return may_write_as(user, *PERSONNEL_WRITERS)


class EnterprisePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if user.is_external and not has_role(user, *ENTERPRISE_WRITERS):
            return queryset.none()
        return queryset

    def can(self, user, action, obj):
        if action == "download":  # the agreement file: the registry's keepers and the all-scope readers
            return has_role(user, *ENTERPRISE_WRITERS, *PERSONNEL_READERS)
        if action in READ_ACTIONS:
            return not user.is_external
        return may_write_as(user, *ENTERPRISE_WRITERS)


class AffiliationPolicy(EnterprisePolicy):
    pass


class DictionaryPolicy(ObjectPolicy):
    """HonorKind, PolicyVersion: everyone reads, admin writes (in the admin site)."""

    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj):
        return action in READ_ACTIONS or may_write_as(user, Role.ADMIN)
