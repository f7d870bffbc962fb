"""The dashboards' numbers (领导总览, 考核分析), each as a Chart: categories (the x axis and the table's rows), series
(the bars or lines and the table's columns) and their values. Every number is an SQL aggregate
(values().annotate(Count/Sum)) or the ONE plans.indicators.compute() statement per year: the number of statements
does not depend on the number of studios, applications, expenditures or scorecards.

Values are int (counts) or str (amounts and rates, "1234.50"): the page's table, the xlsx, the API and the chart's
JSON show the same text. None is a value that does not exist (a rate whose target is 0, an indicator not yet enabled).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from annual.models import AnnualReport
from applications.enums import ApplicationStatus
from applications.models import Application
from evaluation.enums import Grade, RoundStatus
from evaluation.models import Scorecard
from funds.enums import ExpenditureStatus, FundingSource
from funds.models import BudgetLine, Expenditure
from people.enums import HonorLevel
from plans.actuals import indicators_for
from plans.enums import PlanKind, PlanStatus
from plans.indicators import REGISTRY, compute
from plans.models import Plan, PlanTarget
from studios.enums import StudioSource, StudioStatus
from studios.models import Studio

# Stages of an application still moving, in the order it goes through them (applications.enums.IN_FLIGHT).
STAGES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.REVIEWED,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.IN_PUBLICITY,
)
MODES = (("school", "学校单独创办"), ("joint", "校企联办"))
YEARS_SHOWN = 5  # 考核分析 shows the selected year and the four before it
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def money(value):
    return str(Decimal(value or 0).quantize(CENT, ROUND_HALF_UP))


def number(value):
    """An indicator value (targets have one decimal; actuals may be weighted sums) as short text: "12", "3.5"."""
    value = Decimal(value or 0).quantize(TENTH, ROUND_HALF_UP)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def percent(part, whole):
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP))


@dataclass
class Chart:
    id: str
    title: str
    category_label: str  # heading of the table's first column
    categories: list
    series: list = field(default_factory=list)  # [(name, [value per category])]
    kind: str = "bar"  # bar | line
    stacked: bool = False
    unit: str = ""
    note: str = ""
    plotted: int | None = None  # the first N series are drawn; the rest (rates beside amounts) are in the table only

    @property
    def rows(self):
        """[(category, [value per series])] for the table and the xlsx."""
        return [(cat, [values[i] for _name, values in self.series]) for i, cat in enumerate(self.categories)]

    def as_json(self):
        return {
            "id": self.id, "title": self.title, "kind": self.kind, "stacked": self.stacked, "unit": self.unit,
            "plotted": len(self.series) if self.plotted is None else self.plotted,
            "categories": [str(c) for c in self.categories],
            "series": [{"name": name, "data": values} for name, values in self.series],
        }  # fmt: skip

    def as_api(self):
        return {**self.as_json(), "category_label": self.category_label, "note": self.note}


# --- 领导总览 --------------------------------------------------------------------------------------------------------


def studios_by_department():
    rows = (
        Studio.objects.order_by()
        .values("department__name")
        .annotate(
            active=Count("id", filter=Q(status=StudioStatus.ACTIVE)),
            revoked=Count("id", filter=Q(status=StudioStatus.REVOKED)),
        )
        .order_by("department__name")
    )
    rows = list(rows)
    return Chart(
        "studios_by_department", "各系部工作室数量（按状态）", "系部",
        [r["department__name"] or "未指定系部" for r in rows],
        [("运行中", [r["active"] for r in rows]), ("已撤销", [r["revoked"] for r in rows])],
        stacked=True, unit="个",
    )  # fmt: skip


def studios_by_mode():
    counts = {
        (r["mode"], r["source"]): r["n"]
        for r in Studio.objects.filter(status=StudioStatus.ACTIVE)
        .order_by()
        .values("mode", "source")
        .annotate(n=Count("id"))
    }
    return Chart(
        "studios_by_mode", "运行中工作室（按设立方式与来源）", "设立方式",
        [label for _code, label in MODES],
        [(src.label, [counts.get((code, src.value), 0) for code, _label in MODES]) for src in StudioSource],
        stacked=True, unit="个",
    )  # fmt: skip


LEVELS = (HonorLevel.SCHOOL, HonorLevel.CITY, HonorLevel.PROVINCE, HonorLevel.NATIONAL)


def studios_by_level():
    """运行中工作室按级别 (校级/市级/省级/国家级, studios.Studio.level — raised by an approved 推荐申报)."""
    counts = dict(
        Studio.objects.filter(status=StudioStatus.ACTIVE)
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    return Chart(
        "studios_by_level", "运行中工作室（按级别）", "级别",
        [level.label for level in LEVELS],
        [("工作室", [counts.get(level.value, 0) for level in LEVELS])],
        unit="个",
    )  # fmt: skip


def applications_in_flight():
    counts = dict(
        Application.objects.filter(status__in=STAGES).order_by().values_list("status").annotate(n=Count("id"))
    )
    return Chart(
        "applications", "在办工作室申报（按所处阶段）", "阶段",
        [ApplicationStatus(s).label for s in STAGES],
        [("申报数", [counts.get(s.value, 0) for s in STAGES])],
        unit="份",
    )  # fmt: skip


def _annual_plans(year):
    return Plan.objects.filter(kind=PlanKind.ANNUAL, status=PlanStatus.APPROVED, year=year)


def is_rate(indicator):
    """A rate (unit %: 经费执行, 档案完整…): its school-wide figure is the mean over the planning studios, not a sum —
    twelve studios at 80 % are a school at 80 %, not at 960 %."""
    return indicator.unit.strip() == "%"


def _targets_by_year(years):
    """{(year, indicator key): (sum of targets, number of plans)} over the approved annual plans of those years (one
    statement)."""
    rows = (
        PlanTarget.objects.filter(
            plan__kind=PlanKind.ANNUAL, plan__status=PlanStatus.APPROVED, plan__year__in=list(years)
        )
        .order_by()
        .values_list("plan__year", "indicator__key")
        .annotate(total=Sum("target"), plans=Count("plan_id", distinct=True))
    )
    return {(y, k): (t, n) for y, k, t, n in rows}


def school_value(indicator, total, plans):
    """The school-wide figure of an indicator from the sum over the planning studios: the sum, or for a rate the mean."""
    if total is None:
        return None
    if is_rate(indicator):
        return (Decimal(total) / plans).quantize(Decimal("0.1")) if plans else Decimal(0)
    return total


def _target(targets, year, indicator):
    total, plans = targets.get((year, indicator.key), (Decimal(0), 0))
    return school_value(indicator, total, plans)


def _actuals(indicators, year, targets):
    """{indicator key: confirmed actuals over the studios with an approved annual plan for `year` (sum, or mean for a
    rate), or None when not enabled}: ONE compute() statement, the studios passed as a subquery of ids."""
    studio_ids = _annual_plans(year).values("studio_id")
    values = compute([i.computation for i in indicators], studio_ids, year)
    result = {}
    for ind in indicators:
        per_studio = values.get(ind.computation)
        if per_studio is None or not REGISTRY[ind.computation].enabled:
            result[ind.key] = None
        else:
            total = sum((c for c, _w in per_studio.values()), Decimal(0))
            result[ind.key] = school_value(ind, total, targets.get((year, ind.key), (0, 0))[1])
    return result


def indicators_vs_targets(year):
    indicators = indicators_for(year)
    targets = _targets_by_year([year])
    actuals = _actuals(indicators, year, targets)
    return Chart(
        "indicators", f"{year} 年指标完成情况（全校合计：已批准年度工作计划的目标 vs 已确认完成）", "指标",
        [i.name for i in indicators],
        [
            ("目标", [number(_target(targets, year, i)) for i in indicators]),
            ("完成", [None if actuals[i.key] is None else number(actuals[i.key]) for i in indicators]),
        ],
        note="只计有已批准年度工作计划的工作室：数量类指标为合计，比率类指标（%）为各工作室的平均；“—”表示该指标尚未启用计算。",
    )  # fmt: skip


def funds_by_source(year):
    budget = dict(BudgetLine.objects.filter(year=year).order_by().values_list("source").annotate(t=Sum("amount")))
    spent = dict(
        Expenditure.objects.filter(budget_line__year=year, status=ExpenditureStatus.CONFIRMED)
        .order_by()
        .values_list("budget_line__source")
        .annotate(t=Sum("amount"))
    )
    sources = list(FundingSource)
    total_budget = sum(budget.values(), Decimal(0))
    total_spent = sum(spent.values(), Decimal(0))
    return Chart(
        "funds", f"{year} 年经费预算与已确认支出（按经费来源）", "经费来源",
        [s.label for s in sources] + ["合计"],
        [
            ("预算（元）", [money(budget.get(s.value)) for s in sources] + [money(total_budget)]),
            ("已确认支出（元）", [money(spent.get(s.value)) for s in sources] + [money(total_spent)]),
            ("执行率（%）", [percent(spent.get(s.value, 0), budget.get(s.value)) for s in sources]
             + [percent(total_spent, total_budget)]),
        ],
        unit="元", plotted=2,
    )  # fmt: skip


def _confirmed_scorecards():
    return Scorecard.objects.filter(round__status=RoundStatus.CONFIRMED).exclude(confirmed_grade="").order_by()


def grades_by_year():
    counts = {}
    for year, grade, n in _confirmed_scorecards().values_list("round__year", "confirmed_grade").annotate(n=Count("id")):
        counts[(year, grade)] = n
    years = sorted({y for y, _g in counts})
    return Chart(
        "grades_by_year", "年度考核认定等级（按考核年度）", "考核年度",
        years,
        [(g.label, [counts.get((y, g.value), 0) for y in years]) for g in Grade],
        stacked=True, unit="个",
    )  # fmt: skip


def overview(year):
    return [
        studios_by_department(),
        studios_by_mode(),
        studios_by_level(),
        applications_in_flight(),
        indicators_vs_targets(year),
        funds_by_source(year),
        grades_by_year(),
    ]


# --- 考核分析 --------------------------------------------------------------------------------------------------------


def grades_by_department(year):
    counts, departments = {}, set()
    rows = (
        _confirmed_scorecards()
        .filter(round__year=year)
        .values_list("studio__department__name", "confirmed_grade")
        .annotate(n=Count("id"))
    )
    for dept, grade, n in rows:
        dept = dept or "未指定系部"
        departments.add(dept)
        counts[(dept, grade)] = n
    departments = sorted(departments)
    return Chart(
        "grades_by_department", f"{year} 年度考核认定等级（按系部）", "系部",
        departments,
        [(g.label, [counts.get((d, g.value), 0) for d in departments]) for g in Grade],
        stacked=True, unit="个",
    )  # fmt: skip


def attainment(year):
    """Actual ÷ target (%) per indicator per year, for the YEARS_SHOWN years up to `year`: the indicators of the set
    in force for `year`, the targets of all years in one statement, one compute() per year."""
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    indicators = indicators_for(year)
    targets = _targets_by_year(years)
    series = []
    actuals = {y: _actuals(indicators, y, targets) for y in years}
    for ind in indicators:
        values = []
        for y in years:
            actual = actuals[y][ind.key]
            values.append(None if actual is None else percent(actual, _target(targets, y, ind)))
        series.append((ind.name, values))
    return Chart(
        "attainment", f"指标完成率（完成 ÷ 目标，{years[0]}–{years[-1]} 年）", "年度",
        years, series, kind="line", unit="%",
        note="完成与目标均为全校已批准年度工作计划的合计；“—”表示该年没有目标或指标尚未启用。",
    )  # fmt: skip


def late_reports():
    rows = list(
        AnnualReport.objects.exclude(submitted_at=None)
        .order_by()
        .values_list("year")
        .annotate(total=Count("id"), late=Count("id", filter=Q(late=True)))
        .order_by("year")
    )
    return Chart(
        "late_reports", "年度工作报告提交情况（按报告年度）", "报告年度",
        [y for y, _t, _l in rows],
        [("按时提交", [t - n for _y, t, n in rows]), ("逾期提交", [n for _y, _t, n in rows]),
         ("逾期率（%）", [percent(n, t) for _y, t, n in rows])],
        stacked=True, unit="份", plotted=2,
    )  # fmt: skip


def evaluation(year):
    return [grades_by_year(), grades_by_department(year), attainment(year), late_reports()]
