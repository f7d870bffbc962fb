"""我的工作台: the annual reports waiting for the viewer — a department head's submitted reports of his department,
教学工作部's checked reports, and for a writer (master or contact) his report on last year not yet submitted."""

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import headed_department_ids
from core.navigation import InboxEntry

from .models import AnnualReport, ReportStatus
from .permissions import is_teaching_affairs, writable_studios
from .services import due_date, reporting_year


def reviewer_inbox(user):
    entries = []
    departments = headed_department_ids(user)
    if departments:
        count = AnnualReport.objects.filter(status=ReportStatus.SUBMITTED, studio__department_id__in=departments)
        entries.append(
            InboxEntry(
                "待系部审核的年度工作报告", count, reverse("annual:list") + "?status=submitted", icon="journal-text"
            )
        )
    if is_teaching_affairs(user):
        count = AnnualReport.objects.filter(status=ReportStatus.CHECKED)
        entries.append(
            InboxEntry("待接收的年度工作报告", count, reverse("annual:list") + "?status=checked", icon="journal-text")
        )
    return entries


def writer_inbox(user):
    """His report on last year, while it is not submitted (draft, returned or not begun): one entry per studio."""
    if not user.is_authenticated:
        return []
    year = reporting_year()
    studios = list(
        writable_studios(user)
        .filter(approved_on__year__lte=year)
        .exclude(annual_reports__year=year, annual_reports__status__in=(
            ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RECEIVED))
        .values_list("pk", "official_name")
    )  # fmt: skip
    due = due_date(year) if studios else None
    entries = []
    for pk, name in studios:
        overdue = "（已逾期）" if timezone.localdate() > due else f"（{due:%m月%d日}截止）"
        entries.append(
            InboxEntry(
                f"{name} {year} 年度工作报告待提交{overdue}", 1, reverse("annual:studio_year", args=[pk, year]),
                icon="journal-text",
            )
        )  # fmt: skip
    return entries
