from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "统计分析"

    def ready(self):
        from core.navigation import NavItem, register_nav

        from .access import EVALUATION_ROLES, OVERVIEW_ROLES

        register_nav(NavItem("领导总览", "insights:overview", "speedometer", order=1, roles=OVERVIEW_ROLES))
        register_nav(
            NavItem("考核分析", "insights:evaluation", "bar-chart", order=79, group="考核评估", roles=EVALUATION_ROLES)
        )
