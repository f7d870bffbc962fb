from django.apps import AppConfig


class NewsConfig(AppConfig):
    """通知公告 (notices with an audience and read receipts) and 宣传报道 (studio posts approved by the department; the publicity_reports indicator)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "通知公告与宣传报道"

    def ready(self):
        from accounts.permissions import register_policy

        from . import workflow  # noqa: F401  (attaches WORKFLOW to Notice and Post)
        from .models import Notice, NoticeAttachment, NoticeRead, Post, PostPhoto
        from .permissions import NoticePolicy, PostPolicy

        register_policy(Notice, NoticePolicy())
        register_policy(Post, PostPolicy())
        del NoticeAttachment, NoticeRead, PostPhoto
