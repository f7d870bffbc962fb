"""Documents of the plans app, rendered with the engine in reports/: the 建设方案 / 年度工作计划 as PDF (WeasyPrint,
Noto Sans SC embedded) — goals, expected outputs, tasks, and the target per indicator. Returns (bytes, download
name, content type); the permission check is the caller's (the plan page's `view`)."""

from django.utils import timezone

from applications.policy import school_name
from reports.pdf import PDF, render_pdf

from .enums import PlanKind
from .models import Plan


def plan_pdf(plan):
    plan = Plan.objects.select_related("studio__master", "studio__department", "indicator_set").get(pk=plan.pk)
    context = {
        "plan": plan,
        "studio": plan.studio,
        "title": PlanKind(plan.kind).label,
        "school_name": school_name(plan.approved_on or timezone.localdate()),
        "tasks": list(plan.tasks.select_related("owner").order_by("order", "pk")),
        "targets": list(plan.targets.select_related("indicator").order_by("indicator__order", "indicator_id")),
    }
    name = f"{PlanKind(plan.kind).label}-{plan.studio.official_name}-{plan.year}-第{plan.version}版.pdf"
    return render_pdf("plans/documents/plan.html", context), name, PDF
