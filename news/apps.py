from django.apps import AppConfig


class NewsConfig(AppConfig):
    """通知公告 (notices with an audience and read receipts) and 宣传报道 (studio posts approved by the department; the publicity_reports indicator)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "通知公告与宣传报道"

    def ready(self):
        from accounts.permissions import register_policy
        from applications import hooks
        from core.navigation import NavItem, register_inbox, register_nav

        from . import indicators, workflow  # noqa: F401  (workflow attaches WORKFLOW to Notice and Post)
        from .inbox import news_inbox
        from .models import Notice, NoticeAttachment, NoticeRead, Post, PostPhoto
        from .permissions import NoticePolicy, PostPolicy
        from .publicity import publicity_notice

        register_policy(Notice, NoticePolicy())
        register_policy(Post, PostPolicy())
        del NoticeAttachment, NoticeRead, PostPhoto
        register_nav(NavItem("通知公告", "news:notices", "megaphone", order=5, match=("news:notice*",)))
        register_nav(
            NavItem("宣传报道", "news:posts", "newspaper", order=45, group="工作室建设", match=("news:post*",))
        )
        register_inbox(news_inbox)
        indicators.register()
        hooks.on_publicity_started(publicity_notice)
