from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "平台核心"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_nav

        from . import checks  # noqa: F401  (registers the deploy check on AUDIT_HMAC_KEY)
        from .models import AuditEvent, Notification
        from .permissions import AuditEventPolicy, NotificationPolicy

        register_policy(AuditEvent, AuditEventPolicy())
        register_policy(Notification, NotificationPolicy())
        register_nav(NavItem("我的工作台", "core:home", "speedometer2", order=0))
