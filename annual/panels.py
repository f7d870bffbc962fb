"""The annual-report panel of the studio page (studios.panels): the report on last year — its status, late mark and
a link — in one statement. Shown to those who see the studio's reports."""

from django.urls import reverse

from studios.models import Studio
from studios.panels import register_panel

from .models import AnnualReport, ReportStatus
from .permissions import is_writer, report_studios
from .services import due_date, reporting_year


def annual_panel(studio, user):
    if not report_studios(user, Studio.objects.filter(pk=studio.pk)).exists():
        return None
    year = reporting_year()
    if studio.approved_on.year > year:
        return None
    report = AnnualReport.objects.filter(studio_id=studio.pk, year=year).values("pk", "status", "late").first()
    status = ReportStatus(report["status"]) if report else None
    return {
        "year": year,
        "due": due_date(year),
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
