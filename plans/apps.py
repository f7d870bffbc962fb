from django.apps import AppConfig


class PlansConfig(AppConfig):
    """建设方案与指标: the indicator dictionary per year, construction and annual plans with their review, and the
    plan-vs-actual computed from the ledger (plans/indicators.py)."""

    name = "plans"
    verbose_name = "建设方案与指标"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav
        from studios import panels

        from . import workflow  # noqa: F401  (attaches Plan.WORKFLOW)
        from .inbox import plan_inbox
        from .models import IndicatorSet, Plan
        from .permissions import PLAN_OFFICES, IndicatorSetPolicy, PlanPolicy
        from .studio_page import letter_targets, open_tasks, panel_context

        register_policy(Plan, PlanPolicy())
        register_policy(IndicatorSet, IndicatorSetPolicy())
        register_nav(NavItem("建设方案与计划", "plans:list", "clipboard-check", order=32, group="工作室建设"))
        register_nav(
            NavItem(
                "目标完成情况",
                "plans:actual_school",
                "bar-chart",
                frozenset({*PLAN_OFFICES, Role.DEPT_HEAD}),
                order=33,
                group="工作室建设",
                match=("plans:actual_*",),
            )
        )
        register_nav(
            NavItem(
                "建设指标体系",
                "plans:indicator_sets",
                "speedometer",
                frozenset({Role.ADMIN}),
                order=140,
                group="系统管理",
                match=("plans:indicator_set*",),
            )
        )
        register_inbox(plan_inbox)
        panels.register_panel("plans_targets", "年度目标与完成", "plans/panel.html", panel_context, order=40)
        panels.register_open_tasks(open_tasks)
        panels.register_letter_targets(letter_targets)
