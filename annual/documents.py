"""The annual report as a PDF (reports.pdf.render_pdf, template annual/documents/report.html): the four narrative
sections, the nominated landmark achievements, and the computed plan-vs-actual and funds tables. The permission check
is the caller's (the report page's `download`)."""

from django.utils import timezone

from applications.policy import school_name
from reports.pdf import PDF, render_pdf

from . import services
from .models import AnnualReport


def report_pdf(report):
    report = AnnualReport.objects.select_related("studio__master", "studio__department").get(pk=report.pk)
    context = {
        "report": report,
        "studio": report.studio,
        "school_name": school_name(timezone.localdate()),
        "due": services.due_date(report.year),
        "landmarks": list(report.landmarks.order_by("date", "pk")),
        "cells": services.plan_vs_actual(report.studio_id, report.year),
        "funds": services.funds_summary(report.studio_id, report.year),
    }
    name = f"年度工作报告-{report.studio.official_name}-{report.year}.pdf"
    return render_pdf("annual/documents/report.html", context), name, PDF
