"""我的工作台: plans waiting for this person's review (系部审核 for department heads, 教学工作部审核) or revision."""

from django.db.models import Count, Q
from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import headed_department_ids, may_write_as
from core.navigation import InboxEntry
from studios.models import Studio

from .enums import PlanStatus
from .models import Plan


def plan_inbox(user):
    """One filtered aggregate whatever the person's roles (我的工作台 stays within its statement budget)."""
    if not user.is_authenticated:
        return []
    departments = list(headed_department_ids(user)) if may_write_as(user, Role.DEPT_HEAD) else []
    # Studios as id subqueries (no join) and a WHERE on the status index: the aggregate reads only plans waiting for
    # someone, not every approved plan of every year (bench/RESULTS.md, 我的工作台).
    own_studios = Studio.objects.filter(master=user).values("pk")
    counts = {
        "returned": Count("pk", filter=Q(status=PlanStatus.RETURNED, studio_id__in=own_studios)),
    }
    statuses = [PlanStatus.RETURNED]
    if departments:
        dept_studios = Studio.objects.filter(department_id__in=departments).values("pk")
        counts["dept"] = Count("pk", filter=Q(status=PlanStatus.SUBMITTED, studio_id__in=dept_studios))
        statuses.append(PlanStatus.SUBMITTED)
    if may_write_as(user, Role.TEACHING_AFFAIRS):
        counts["school"] = Count("pk", filter=Q(status=PlanStatus.DEPT_REVIEWED))
        statuses.append(PlanStatus.DEPT_REVIEWED)
    totals = Plan.objects.filter(status__in=statuses).aggregate(**counts)
    entries = []
    if totals.get("dept"):
        entries.append(
            InboxEntry(
                "待系部审核的建设方案/年度计划",
                totals["dept"],
                reverse("plans:list") + "?status=submitted",
                "clipboard-check",
            )
        )
    if totals.get("school"):
        entries.append(
            InboxEntry(
                "待教学工作部审核的建设方案/年度计划",
                totals["school"],
                reverse("plans:list") + "?status=dept_reviewed",
                "clipboard-check",
            )
        )
    if totals.get("returned"):
        entries.append(
            InboxEntry(
                "已退回待修改的方案", totals["returned"], reverse("plans:list") + "?status=returned", "clipboard-check"
            )
        )
    return entries
