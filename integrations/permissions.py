"""Who may do what with the integrations: the ONE helper per object type.

- WebhookTarget / WorkMessage: 系统管理员 only (read and write); everyone else sees none of them (404).
- CalendarFeed: only its owner, and only through his own session (个人中心) or the link itself.
"""

from accounts.enums import Role
from accounts.permissions import ObjectPolicy, has_role, may_write_as, register_policy

from .models import WebhookTarget, WorkMessage


def may_manage_webhooks(user) -> bool:
    return may_write_as(user, Role.ADMIN)


class WebhookPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return queryset if has_role(user, Role.ADMIN) else queryset.none()

    def can(self, user, action, obj):
        return action == "view" and has_role(user, Role.ADMIN) or may_manage_webhooks(user)


def register():
    register_policy(WebhookTarget, WebhookPolicy())
    register_policy(WorkMessage, WebhookPolicy())
