"""Who sees and does what with annual reports (registered for AnnualReport in apps.ready()). The ONE place for
annual's permission questions; views and the API call these helpers (through accounts.permissions for objects).

Visible: the studio's master and members past and present, the head of the studio's department, and the roles that
see every row (教学工作部, 发改室, 财务部, 人事部, 校企办, 纪检办, 校领导, admin).
Writes (the studio must be active — a revoked studio is read-only; 纪检办 and 校领导 never write):
- the writer — the studio's master, or its 联系人 (contact) when the studio has one — creates, edits (draft or
  returned) and submits the report;
- the head of the studio's department checks a submitted report (系部审核) or returns it with a reason;
- 教学工作部 receives a checked report or returns it with a reason.
The submission overview (年度报告提交情况): 教学工作部, 发改室 and the other all-row roles see every studio, a
department head his own department's.
"""

from django.db.models import Q

from accounts.enums import ALL_SCOPE_ROLES, Role
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    is_read_only,
    may_write_as,
)
from ledger.permissions import visible_records_q
from studios.enums import StudioStatus
from studios.models import Membership, Studio

from .models import ReportStatus

WRITER_ACTIONS = frozenset({"edit", "submit"})


def writer_ids(studio):
    """User ids who write the studio's report: the master, and the contact person (a current member) if any."""
    ids = {studio.master_id}
    if studio.contact_id:
        contact = Membership.objects.filter(pk=studio.contact_id, left_on__isnull=True).values_list(
            "user_id", flat=True
        )
        ids.update(contact)
    return ids


def is_writer(user, studio):
    """May `user` write the studio's report (studio active, not a read-only role)?"""
    if studio.status == StudioStatus.REVOKED or not user.is_authenticated or is_read_only(user):
        return False
    if studio.master_id == user.pk:
        return True
    if not studio.contact_id:
        return False
    return Membership.objects.filter(pk=studio.contact_id, user_id=user.pk, left_on__isnull=True).exists()


def is_department_reviewer(user, studio):
    return may_write_as(user, Role.DEPT_HEAD) and studio.department_id in headed_department_ids(user)


def is_teaching_affairs(user):
    return may_write_as(user, Role.TEACHING_AFFAIRS)


def sees_overview(user):
    """年度报告提交情况: the all-row roles and department heads."""
    return has_role(user, *ALL_SCOPE_ROLES) or bool(headed_department_ids(user))


def overview_studio_q(user, prefix=""):
    """Q over studios (prefix="") or rows with a studio (prefix="studio__") in the overview; None: every studio."""
    if has_role(user, *ALL_SCOPE_ROLES):
        return None
    return Q(**{f"{prefix}department_id__in": headed_department_ids(user)})


def may_decide(user, report):
    """The decision box: the department head on a submitted report, 教学工作部 on a checked one."""
    studio = report.studio
    if studio.status == StudioStatus.REVOKED:
        return False
    if report.status == ReportStatus.SUBMITTED:
        return is_department_reviewer(user, studio)
    if report.status == ReportStatus.CHECKED:
        return is_teaching_affairs(user)
    return False


class AnnualReportPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = visible_records_q(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if obj.studio.status == StudioStatus.REVOKED:
            return False
        if action in WRITER_ACTIONS:
            return obj.is_editable and is_writer(user, obj.studio)
        if action == "decide":
            return may_decide(user, obj)
        return False


def report_studios(user, queryset):
    """The studios (a Studio queryset) whose annual reports `user` sees: the studio's master and members past and
    present, its department head, the all-row roles."""
    if has_role(user, *ALL_SCOPE_ROLES):
        return queryset
    return queryset.filter(
        Q(department_id__in=headed_department_ids(user))
        | Q(master_id=user.pk)
        | Q(pk__in=Membership.objects.filter(user_id=user.pk).values("studio_id"))
    )


def writable_studios(user):
    """The active studios whose report `user` writes (master, or current contact person)."""
    if not user.is_authenticated or is_read_only(user):
        return Studio.objects.none()
    contacts = Membership.objects.filter(user_id=user.pk, left_on__isnull=True).values("pk")
    return Studio.objects.filter(status=StudioStatus.ACTIVE).filter(Q(master_id=user.pk) | Q(contact_id__in=contacts))
