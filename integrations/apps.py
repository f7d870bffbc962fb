from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """企业微信/钉钉 work messages (webhooks.py) and personal calendar feeds (calendar.py): read everything below,
    nothing below reads them. Notifications reach the robots through core.notifications' channel registry."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = "集成"

    def ready(self):
        from core.notifications import register_channel

        from . import permissions, webhooks

        permissions.register()
        register_channel(webhooks.queue_for)
