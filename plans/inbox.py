"""我的工作台: plans waiting for this person's review (系部审核 for department heads, 教学工作部审核) or revision."""

from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import headed_department_ids, may_write_as
from core.navigation import InboxEntry

from .enums import PlanStatus
from .models import Plan


def plan_inbox(user):
    entries = []
    departments = headed_department_ids(user) if may_write_as(user, Role.DEPT_HEAD) else ()
    if departments:
        count = Plan.objects.filter(status=PlanStatus.SUBMITTED, studio__department_id__in=departments).count()
        if count:
            entries.append(
                InboxEntry(
                    "待系部审核的建设方案/年度计划",
                    count,
                    reverse("plans:list") + "?status=submitted",
                    "clipboard-check",
                )
            )
    if may_write_as(user, Role.TEACHING_AFFAIRS):
        count = Plan.objects.filter(status=PlanStatus.DEPT_REVIEWED).count()
        if count:
            entries.append(
                InboxEntry(
                    "待教学工作部审核的建设方案/年度计划",
                    count,
                    reverse("plans:list") + "?status=dept_reviewed",
                    "clipboard-check",
                )
            )
    if user.is_authenticated:
        count = Plan.objects.filter(status=PlanStatus.RETURNED, studio__master=user).count()
        if count:
            entries.append(
                InboxEntry("已退回待修改的方案", count, reverse("plans:list") + "?status=returned", "clipboard-check")
            )
    return entries
