from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报·评审·公示"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import register_inbox

        from . import objection_workflow, workflow  # noqa: F401  (attach Application/Objection.WORKFLOW)
        from .inbox import inbox, register_navigation
        from .models import Application, CommitteeMeeting, Objection, Publicity, ReviewAssignment
        from .queries import (
            ApplicationPolicy,
            MeetingPolicy,
            ObjectionPolicy,
            ReviewAssignmentPolicy,
            StaffReadablePolicy,
        )

        register_policy(Application, ApplicationPolicy())
        register_policy(ReviewAssignment, ReviewAssignmentPolicy())
        register_policy(CommitteeMeeting, MeetingPolicy())
        register_policy(Publicity, StaffReadablePolicy())
        register_policy(Objection, ObjectionPolicy())
        from .models import Rubric, RubricCriterion, WorkdayOverride
        from .services.settings import SettingsPolicy

        for model in (Rubric, RubricCriterion, WorkdayOverride):
            register_policy(model, SettingsPolicy())
        register_inbox(inbox)
        register_navigation()
