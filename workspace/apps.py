from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = "我的工作台"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.models import AuditEvent, Notification
        from core.navigation import NavItem, register_nav

        from .permissions import AuditEventPolicy, NotificationPolicy

        register_policy(AuditEvent, AuditEventPolicy())
        register_policy(Notification, NotificationPolicy())
        register_nav(NavItem("我的工作台", "workspace:home", "speedometer2", order=0))
        register_nav(
            NavItem(
                "审计日志",
                "workspace:audit_list",
                "shield-check",
                frozenset({Role.ADMIN, Role.INSPECTOR}),
                order=90,
                group="监督",
            )
        )
