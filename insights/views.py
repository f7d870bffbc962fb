"""领导总览 and 考核分析: read-only dashboards. Each page shows its charts (ECharts, drawn by static/insights/charts.js
from a json_script payload), each chart's numbers as a table, and an xlsx of the same numbers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.lists import XLSX
from core.uploads import serve_bytes
from reports.xlsx import workbook_bytes

from . import stats
from .access import check

PAGES = {
    "overview": ("领导总览", stats.overview, "insights:overview_export", "insights:overview"),
    "evaluation": ("考核分析", stats.evaluation, "insights:evaluation_export", "insights:evaluation"),
}


def year_of(request):
    """?year=2025 within 2000–2100, else this year (an invalid value is named on the page)."""
    raw = request.GET.get("year", "")
    if raw == "":
        return timezone.localdate().year, ""
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), ""
    return timezone.localdate().year, "年度无效，已显示本年度。"


def year_choices():
    this = timezone.localdate().year
    return [(y, f"{y} 年") for y in range(this + 1, this - 10, -1)]


def export_rows(charts):
    """Long format, one row per number: 图表, 类别, 项目, 数值 (text, as on the page)."""
    rows = []
    for chart in charts:
        for category, values in chart.rows:
            for (name, _values), value in zip(chart.series, values, strict=True):
                rows.append([chart.title, str(category), name, "—" if value is None else str(value)])
    return rows


def _page(request, key, export=False):
    check(request.user)
    title, build, export_name, _page_name = PAGES[key]
    year, year_error = year_of(request)
    charts = build(year)
    if export:
        if year_error:  # never a file of another year than the one asked for: the page names the bad value
            return redirect(f"{reverse(PAGES[key][3])}?{request.GET.urlencode()}")
        data = workbook_bytes(
            f"{title}（{year} 年）", ["图表", "类别", "项目", "数值"], export_rows(charts), sheet_name=title
        )
        return serve_bytes(data, f"{title}-{year}.xlsx", XLSX)
    return render(
        request,
        "insights/dashboard.html",
        {
            "title": title, "year": year, "year_error": year_error, "years": year_choices(), "charts": charts,
            "payload": [c.as_json() for c in charts], "export_name": export_name, "page_key": key,
        },
    )  # fmt: skip


@login_required
def overview(request):
    return _page(request, "overview")


@login_required
def overview_export(request):
    return _page(request, "overview", export=True)


@login_required
def evaluation(request):
    return _page(request, "evaluation")


@login_required
def evaluation_export(request):
    return _page(request, "evaluation", export=True)
