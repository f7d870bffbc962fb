from django.apps import AppConfig


class StudiosConfig(AppConfig):
    name = "studios"
    verbose_name = "工作室"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_nav

        from . import approval, workflow  # noqa: F401  (attaches Studio.WORKFLOW; registers 认定/取消资格 handlers)
        from .models import Studio
        from .panels import register_open_tasks
        from .permissions import StudioPolicy
        from .views import letter_task

        register_policy(Studio, StudioPolicy())
        register_nav(NavItem("技能大师工作室", "studios:list", "award", order=30, group="工作室建设"))
        register_nav(
            NavItem(
                "登记历史工作室",
                "studios:register",
                "journal-plus",
                roles=frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN}),
                order=31,
                group="工作室建设",
                match=("studios:register_*",),
            )
        )
        register_nav(
            NavItem(
                "责任书模板",
                "studios:letter_template",
                "file-earmark-text",
                roles=frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN}),
                order=32,
                group="工作室建设",
            )
        )
        register_open_tasks(letter_task)
