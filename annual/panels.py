"""The annual-report panel of the studio page (studios.panels): the report on last year — its status, late mark and
a link — in ONE statement: the viewer's right to see the studio's reports, the report and the policy's due date are
subqueries of one SELECT over the studio. Shown to those who see the studio's reports."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from people.models import PolicyVersion
from studios.models import Studio
from studios.panels import register_panel

from .models import AnnualReport, ReportStatus
from .permissions import is_writer, report_studios
from .services import due_on, reporting_year


def annual_panel(studio, user):
    year = reporting_year()
    if studio.approved_on.year > year:
        return None
    reports = AnnualReport.objects.filter(studio_id=OuterRef("pk"), year=year)
    policy = PolicyVersion.objects.filter(year__lte=year + 1).order_by("-year")
    row = (
        report_studios(user, Studio.objects.filter(pk=studio.pk))
        .annotate(
            report_pk=Subquery(reports.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            report_late=Subquery(reports.values("late")[:1]),
            due_month=Subquery(policy.values("annual_report_due_month")[:1]),
            due_day=Subquery(policy.values("annual_report_due_day")[:1]),
        )
        .values("report_pk", "report_status", "report_late", "due_month", "due_day")
        .first()
    )
    if row is None:
        return None  # the viewer does not see this studio's reports
    report = {"pk": row["report_pk"], "late": row["report_late"]} if row["report_pk"] else None
    status = ReportStatus(row["report_status"]) if report else None
    return {
        "year": year,
        "due": due_on(year, row["due_month"], row["due_day"]),
        "status_label": status.label if status else "尚未撰写",
        "late": bool(report and report["late"]),
        "submitted": status in (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RECEIVED),
        "writer": is_writer(user, studio),
        "url": reverse("annual:report", args=[report["pk"]])
        if report
        else reverse("annual:studio_year", args=[studio.pk, year]),
    }


def register():
    register_panel("annual", "年度工作报告", "annual/panel.html", annual_panel, order=70)
