from django.apps import AppConfig


class AnnualConfig(AppConfig):
    """年度工作报告: the master's annual report with computed plan-vs-actual and funds tables, the department's check, teaching affairs' receipt, reminders (send_reminders)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "annual"
    verbose_name = "年度工作报告"

    def ready(self):
        from accounts.enums import ALL_SCOPE_ROLES, Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav

        from . import (
            panels,
            workflow,  # noqa: F401  (attaches WORKFLOW to AnnualReport)
        )
        from .inbox import reviewer_inbox, writer_inbox
        from .models import AnnualReport
        from .permissions import AnnualReportPolicy
        from .reminders import annual_report_reminders, register_reminder_source

        register_policy(AnnualReport, AnnualReportPolicy())
        register_nav(
            NavItem(
                "年度工作报告",
                "annual:list",
                "journal-text",
                order=70,
                group="考核评估",
                match=("annual:report", "annual:studio_year", "annual:mine"),
            )
        )
        register_nav(
            NavItem(
                "年度报告提交情况", "annual:status", "clipboard-check", order=71, group="考核评估",
                roles=frozenset({*ALL_SCOPE_ROLES, Role.DEPT_HEAD}),
            )
        )  # fmt: skip
        register_inbox(reviewer_inbox)
        register_inbox(writer_inbox)
        panels.register()
        register_reminder_source(annual_report_reminders)
