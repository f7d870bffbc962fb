"""我的工作台 entries and navigation items of the application process."""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import has_role, headed_department_ids
from core.navigation import InboxEntry, NavItem, register_nav

from .enums import IN_FLIGHT, AssignmentStatus, CallStatus, MeetingStatus, ObjectionStatus
from .enums import ApplicationStatus as S


def inbox(user):
    """What waits for this user in the application process.

    我的工作台 must stay within 10 queries whatever the data size and however many roles a person holds, so every
    count over applications is one filtered aggregate of a single query.
    """
    from .models import Application, Call, CommitteeMeeting, Objection, ReviewAssignment, Vote

    list_url = reverse("applications:list")
    departments = headed_department_ids(user)
    is_ta = has_role(user, Role.TEACHING_AFFAIRS)
    watched = [s for s in (S.RECOMMENDED, S.UNDER_REVIEW, S.REVIEWED, S.PROPOSED, S.IN_PUBLICITY) if s in IN_FLIGHT]

    # The applicant's own work: a returned application to fix, a draft of an open call to finish and submit.
    own = {
        S.RETURNED: Q(applicant=user, status=S.RETURNED),
        S.DRAFT: Q(
            applicant=user, status=S.DRAFT, call_id__in=Call.objects.filter(status=CallStatus.OPEN).values("pk")
        ),
    }
    aggregates = {}
    for status, condition in own.items():
        aggregates[f"own_{status}"] = Count("pk", filter=condition)
        aggregates[f"own_{status}_first"] = Min("pk", filter=condition)
    # The WHERE reads only the rows some count can include, through the applicant and status indexes: without it
    # the aggregate read every application of every year (bench/RESULTS.md, 我的工作台). Still one statement.
    wanted = Q(applicant=user, status__in=list(own))
    if departments:
        aggregates["dept_submitted"] = Count("pk", filter=Q(department_id__in=departments, status=S.SUBMITTED))
        wanted |= Q(department_id__in=departments, status=S.SUBMITTED)
    if is_ta:
        for status in watched:
            aggregates[f"all_{status}"] = Count("pk", filter=Q(status=status))
        wanted |= Q(status__in=watched)
    counts = Application.objects.filter(wanted).aggregate(**aggregates)

    entries = []
    for status, title in ((S.RETURNED, "退回待修改的申报"), (S.DRAFT, "未提交的申报草稿")):
        count, first = counts[f"own_{status}"], counts[f"own_{status}_first"]
        url = reverse("applications:detail", args=[first]) if count == 1 else f"{list_url}?status={status.value}"
        entries.append(InboxEntry(title, count, url, "pencil-square"))
    if departments:
        entries.append(
            InboxEntry("待推荐的工作室申报", counts["dept_submitted"], f"{list_url}?status=submitted", "check2-square")
        )
    if has_role(user, Role.EXPERT):
        count = ReviewAssignment.objects.filter(
            Q(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED], application__status=S.UNDER_REVIEW)
            | Q(status=AssignmentStatus.ASSIGNED, application__status=S.RECOMMENDED),
            expert=user,
        ).count()
        entries.append(InboxEntry("待评审的申报", count, reverse("applications:my_reviews"), "clipboard-check"))
    if has_role(user, Role.COMMITTEE):
        # Agenda items of open meetings this member attends and has not voted on yet.
        count = (
            CommitteeMeeting.agenda.through.objects.filter(
                committeemeeting__status=MeetingStatus.OPEN,
                committeemeeting__members_present=user,
                application__status=S.REVIEWED,
            )
            .exclude(
                Exists(
                    Vote.objects.filter(
                        member=user, meeting=OuterRef("committeemeeting"), application=OuterRef("application")
                    )
                )
            )
            .count()
        )
        entries.append(InboxEntry("待审议的申报", count, reverse("applications:meeting_list"), "people"))
    if is_ta:
        # Objections wait on teaching affairs alone: until they are investigated the application cannot be approved.
        objections = Objection.objects.filter(
            status__in=(ObjectionStatus.OPEN, ObjectionStatus.INVESTIGATING)
        ).aggregate(n=Count("pk"), oldest=Min("pk"))
        url = (
            reverse("applications:objection_detail", args=[objections["oldest"]])
            if objections["oldest"]
            else reverse("applications:publicity_list")
        )
        entries.append(InboxEntry("待处理的公示异议", objections["n"], url, "exclamation-triangle"))
        for status in watched:
            entries.append(
                InboxEntry(
                    f"申报：{status.label}", counts[f"all_{status}"], f"{list_url}?status={status.value}", "kanban"
                )
            )
    return entries


def register_navigation():
    register_nav(NavItem("工作室申报", "applications:list", "file-earmark-text", order=20, group="申报评审"))
    register_nav(
        NavItem(
            "申报批次",
            "applications:call_list",
            "calendar-range",
            frozenset({Role.TEACHING_AFFAIRS, Role.ADMIN, Role.INSPECTOR, Role.LEADERSHIP}),
            order=21,
            group="申报评审",
            match=(
                "applications:call_*",
                "applications:assign_batch",
                "applications:review_summary*",
                "applications:proposed_xlsx",
            ),
        )
    )
    register_nav(
        NavItem(
            "专家评审",
            "applications:my_reviews",
            "clipboard-check",
            frozenset({Role.EXPERT}),
            order=22,
            group="申报评审",
            match=("applications:review_detail",),
        )
    )
    register_nav(
        NavItem(
            "学术委员会",
            "applications:meeting_list",
            "people",
            frozenset({Role.COMMITTEE, Role.TEACHING_AFFAIRS, Role.INSPECTOR}),
            order=23,
            group="申报评审",
            match=("applications:meeting_*",),
        )
    )
    register_nav(
        NavItem(
            "公示",
            "applications:publicity_list",
            "megaphone",
            order=24,
            group="申报评审",
            # Objections are lodged against a publicity and approval (认定) follows it.
            match=("applications:publicity_*", "applications:objection_*", "applications:approve"),
        )
    )
