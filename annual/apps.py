from django.apps import AppConfig


class AnnualConfig(AppConfig):
    """年度工作报告: the master's annual report with computed plan-vs-actual and funds tables, the department's check, teaching affairs' receipt, reminders (send_reminders)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "annual"
    verbose_name = "年度工作报告"

    def ready(self):
        pass
