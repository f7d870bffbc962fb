"""REST API of insights, mounted at /api/v1/insights/: the numbers of 领导总览 and 考核分析, read-only, the same
charts (categories, series, values as text) the pages draw and export. Same roles as the pages (403 otherwise)."""

from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema

from . import stats
from .access import check

router = Router(tags=["insights"])
PREFIX = "insights"

Year = Annotated[int, Field(ge=2000, le=2100)]


class SeriesOut(Schema):
    name: str
    data: list[int | str | None]


class ChartOut(Schema):
    id: str
    title: str
    kind: str
    stacked: bool
    unit: str
    plotted: int
    category_label: str
    note: str
    categories: list[str]
    series: list[SeriesOut]


class DashboardOut(Schema):
    year: int
    charts: list[ChartOut]


def _answer(request, build, year):
    check(request.auth)
    year = year or timezone.localdate().year
    return {"year": year, "charts": [c.as_api() for c in build(year)]}


@router.get("/overview", url_name="insights_overview", response=DashboardOut, summary="领导总览的统计数据")
def overview(request, year: Year | None = None):
    return _answer(request, stats.overview, year)


@router.get("/evaluation", url_name="insights_evaluation", response=DashboardOut, summary="考核分析的统计数据")
def evaluation(request, year: Year | None = None):
    return _answer(request, stats.evaluation, year)
