from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, headed_department_ids, may_write_as


class StudioPolicy(ObjectPolicy):
    """Approved studios are known school-wide (the plaque is public); revocation is teaching affairs' act."""

    def visible(self, user, queryset):
        if has_role(user, Role.STAFF) or may_write_as(user, Role.ADMIN):
            return queryset
        return queryset.filter(Q(memberships__user=user) | Q(department_id__in=headed_department_ids(user))).distinct()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        return may_write_as(user, Role.TEACHING_AFFAIRS, Role.ADMIN)
