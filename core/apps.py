from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "平台核心"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check on AUDIT_HMAC_KEY)
