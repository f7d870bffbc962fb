from django.apps import AppConfig


class NewsConfig(AppConfig):
    """通知公告 (notices with an audience and read receipts) and 宣传报道 (studio posts approved by the department; the publicity_reports indicator)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "通知公告与宣传报道"

    def ready(self):
        pass
