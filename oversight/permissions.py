"""Who sees and does what in oversight (registered in apps.ready()). The ONE place for oversight's permission
questions; views and the API ask these helpers (through accounts.permissions for objects).

- The console, the flags and the meeting attendance: 纪检办 (inspector), 校领导 and the system administrator see them;
  only the inspector records attendance.
- Supervision notes (监督意见): the inspector writes them (his own supervision work — the one write a read-only role
  makes, accounts.permissions.SUPERVISION_ACTIONS "supervise") and closes/reopens his own; the addressed office
  answers: 教学工作部, 发改室 or 财务部 (holders of that role), or the head of the note's department. Leadership and
  admin read every note; an office holder reads the notes addressed to his office.
"""

from django.db.models import Q

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, headed_department_ids, may_write_as

from .enums import NoteStatus, Office
from .models import SupervisionNote

CONSOLE_ROLES = (Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN)
OFFICE_ROLES = {
    Office.TEACHING_AFFAIRS: Role.TEACHING_AFFAIRS,
    Office.DEV_OFFICE: Role.DEV_OFFICE,
    Office.FINANCE: Role.FINANCE,
    Office.DEPARTMENT: Role.DEPT_HEAD,
}


def sees_console(user):
    return has_role(user, *CONSOLE_ROLES)


def is_inspector(user):
    """The inspector writes his supervision work although his role is read-only (no may_write_as here)."""
    return user.is_authenticated and user.is_active and has_role(user, Role.INSPECTOR)


def addressed_q(user):
    """Q over notes addressed to an office `user` answers for (None: none)."""
    q = Q(pk__in=[])
    found = False
    for office, role in OFFICE_ROLES.items():
        if office == Office.DEPARTMENT:
            departments = headed_department_ids(user)
            if departments:
                q |= Q(office=office, department_id__in=departments)
                found = True
        elif has_role(user, role):
            q |= Q(office=office)
            found = True
    return q if found else None


def answers_for(user, note):
    """May `user` answer for the office the note is addressed to (a write: never a read-only role)?"""
    role = OFFICE_ROLES.get(note.office)
    if role is None or not may_write_as(user, role):
        return False
    if note.office == Office.DEPARTMENT:
        return note.department_id in headed_department_ids(user)
    return True


class SupervisionNotePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if has_role(user, *CONSOLE_ROLES):
            return queryset
        q = addressed_q(user)
        return queryset.filter(q) if q is not None else queryset.none()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action == "supervise":  # close, reopen, correct his own note
            return is_inspector(user) and obj.created_by_id == user.pk
        if action == "answer":
            return obj.status in (NoteStatus.OPEN, NoteStatus.ANSWERED) and answers_for(user, obj)
        if action == "correct":  # the office corrects its own answer by a new entry
            return obj.status != NoteStatus.CLOSED and answers_for(user, obj)
        return False


class AttendancePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return queryset if has_role(user, *CONSOLE_ROLES) else queryset.none()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return has_role(user, *CONSOLE_ROLES)
        return False


class NoteEntryPolicy(ObjectPolicy):
    """The entries of the notes one sees; never written but by the services (append-only)."""

    def visible(self, user, queryset):
        return queryset.filter(
            note__in=SupervisionNotePolicy().visible(user, SupervisionNote.objects.all()).values("pk")
        )

    def can(self, user, action, obj):
        return action in READ_ACTIONS and self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def office_holders(note):
    """The people who answer for the note's office (to notify them)."""
    role = OFFICE_ROLES[note.office]
    rows = User.objects.filter(is_active=True, role_assignments__role=role)
    if note.office == Office.DEPARTMENT:
        rows = rows.filter(role_assignments__department_id=note.department_id)
    return list(rows.distinct())
