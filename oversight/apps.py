from django.apps import AppConfig


class OversightConfig(AppConfig):
    """纪检监督: the inspector's console over every record, supervision notes (监督意见) with answers, computed anomaly flags."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight"
    verbose_name = "监督"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav
        from core.record_actions import register_record_actions

        from . import targets, workflow  # noqa: F401  (attaches WORKFLOW to SupervisionNote)
        from .inbox import oversight_inbox
        from .models import Attendance, NoteEntry, SupervisionNote
        from .permissions import AttendancePolicy, NoteEntryPolicy, SupervisionNotePolicy
        from .record_actions import note_actions

        register_policy(SupervisionNote, SupervisionNotePolicy())
        register_policy(NoteEntry, NoteEntryPolicy())
        register_policy(Attendance, AttendancePolicy())
        console = frozenset({Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN})
        offices = console | {Role.TEACHING_AFFAIRS, Role.DEV_OFFICE, Role.FINANCE, Role.DEPT_HEAD}
        register_nav(NavItem("纪检监督台", "oversight:console", "eye", console, order=85, group="监督"))
        register_nav(
            NavItem("监督意见", "oversight:notes", "chat-square-text", frozenset(offices), order=86, group="监督")
        )
        register_nav(NavItem("异常提示", "oversight:flags", "exclamation-triangle", console, order=87, group="监督"))
        register_inbox(oversight_inbox)
        register_record_actions(note_actions)
        targets.register()
