"""我的工作台 entries and navigation items of the application process."""

from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import has_role, headed_department_ids
from core.navigation import InboxEntry, NavItem, register_nav

from .enums import IN_FLIGHT, AssignmentStatus, CallStatus, MeetingStatus, ObjectionStatus
from .enums import ApplicationStatus as S


def inbox(user):
    from .models import Application, CommitteeMeeting, Objection, ReviewAssignment, Vote

    entries = []
    list_url = reverse("applications:list")
    # The applicant's own work: a returned application to fix, a draft of an open call to finish and submit.
    for status, title, calls in (
        (S.RETURNED, "退回待修改的申报", None),
        (S.DRAFT, "未提交的申报草稿", CallStatus.OPEN),
    ):
        mine = Application.objects.filter(applicant=user, status=status)
        if calls:
            mine = mine.filter(call__status=calls)
        ids = list(mine.values_list("pk", flat=True)[:2])
        url = reverse("applications:detail", args=[ids[0]]) if len(ids) == 1 else f"{list_url}?status={status.value}"
        entries.append(InboxEntry(title, mine.count() if ids else 0, url, "pencil-square"))
    departments = headed_department_ids(user)
    if departments:
        count = Application.objects.filter(department_id__in=departments, status=S.SUBMITTED).count()
        entries.append(InboxEntry("待推荐的工作室申报", count, f"{list_url}?status=submitted", "check2-square"))
    if has_role(user, Role.EXPERT):
        count = (
            ReviewAssignment.objects.filter(
                expert=user,
                status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED],
                application__status=S.UNDER_REVIEW,
            ).count()
            + ReviewAssignment.objects.filter(
                expert=user, status=AssignmentStatus.ASSIGNED, application__status=S.RECOMMENDED
            ).count()
        )
        entries.append(InboxEntry("待评审的申报", count, reverse("applications:my_reviews"), "clipboard-check"))
    if has_role(user, Role.COMMITTEE):
        open_items = CommitteeMeeting.agenda.through.objects.filter(
            committeemeeting__status=MeetingStatus.OPEN,
            committeemeeting__members_present=user,
            application__status=S.REVIEWED,
        )
        voted = Vote.objects.filter(member=user, meeting__status=MeetingStatus.OPEN).count()
        count = max(open_items.count() - voted, 0)
        entries.append(InboxEntry("待审议的申报", count, reverse("applications:meeting_list"), "people"))
    if has_role(user, Role.TEACHING_AFFAIRS):
        # Objections wait on teaching affairs alone: until they are investigated the application cannot be approved.
        open_objections = Objection.objects.filter(status=ObjectionStatus.OPEN)
        count = open_objections.count()
        oldest = open_objections.order_by("created_at", "pk").values_list("pk", flat=True).first()
        url = (
            reverse("applications:objection_detail", args=[oldest])
            if oldest
            else reverse("applications:publicity_list")
        )
        entries.append(InboxEntry("待调查的公示异议", count, url, "exclamation-triangle"))
        for status in (S.RECOMMENDED, S.UNDER_REVIEW, S.REVIEWED, S.PROPOSED, S.IN_PUBLICITY):
            if status in IN_FLIGHT:
                count = Application.objects.filter(status=status).count()
                entries.append(
                    InboxEntry(f"申报：{status.label}", count, f"{list_url}?status={status.value}", "kanban")
                )
    return entries


def register_navigation():
    register_nav(NavItem("工作室申报", "applications:list", "file-earmark-text", order=20))
    register_nav(
        NavItem(
            "申报批次",
            "applications:call_list",
            "calendar-range",
            frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN, Role.INSPECTOR, Role.LEADERSHIP}),
            order=21,
        )
    )
    register_nav(NavItem("专家评审", "applications:my_reviews", "clipboard-check", frozenset({Role.EXPERT}), order=22))
    register_nav(
        NavItem(
            "学术委员会",
            "applications:meeting_list",
            "people",
            frozenset({Role.COMMITTEE, Role.TEACHING_AFFAIRS, Role.INSPECTOR}),
            order=23,
        )
    )
    register_nav(NavItem("公示", "applications:publicity_list", "megaphone", order=24))
