"""Who sees the audit trail and the notifications (the models live in core; their access rules need roles)."""

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role


class AuditEventPolicy(ObjectPolicy):
    """纪检办 and admins read the audit trail; nobody writes it through the app."""

    def visible(self, user, queryset):
        return queryset if has_role(user, Role.INSPECTOR, Role.ADMIN) else queryset.none()

    def can(self, user, action, obj):
        return action in READ_ACTIONS and has_role(user, Role.INSPECTOR, Role.ADMIN)


class NotificationPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return queryset.filter(recipient=user)

    def can(self, user, action, obj):
        return obj.recipient_id == user.pk
