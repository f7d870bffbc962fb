from django.apps import AppConfig


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = "工作室"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_nav

        from . import workflow  # noqa: F401  (attaches Studio.WORKFLOW)
        from .models import Studio
        from .permissions import StudioPolicy

        register_policy(Studio, StudioPolicy())
        register_nav(NavItem("技能大师工作室", "studios:list", "award", order=30, group="工作室建设"))
