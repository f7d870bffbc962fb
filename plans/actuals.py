"""Plan vs actual (目标与完成): for a set of studios and a year, each indicator's target (the approved annual plan,
else the approved 建设方案 whose term covers the year, else the dictionary's default), the confirmed actual and the
waiting value from plans/indicators.py. Three statements whatever the number of studios: the year's indicators,
the approved plans' targets, and the one UNION of indicators.compute()."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .enums import PlanKind, PlanStatus
from .indicators import REGISTRY, compute
from .models import Indicator, IndicatorSet, PlanTarget

MAX_TERM_YEARS = 5


@dataclass
class Cell:
    indicator: Indicator
    target: Decimal
    target_source: str  # "annual" | "construction" | "default"
    confirmed: Decimal | None  # None: 尚未启用
    waiting: Decimal | None

    @property
    def enabled(self):
        return self.confirmed is not None

    @property
    def rate(self):
        """Completion in % (0–100, capped), None when disabled or the target is 0."""
        if self.confirmed is None or not self.target:
            return None
        return min(self.confirmed / self.target, Decimal(1)) * 100

    @property
    def score(self):
        """weight × min(actual ÷ target, 1) (docs/indicators.md); a zero target counts as met."""
        if self.confirmed is None:
            return None
        if not self.target:
            return self.indicator.weight
        return (self.indicator.weight * min(self.confirmed / self.target, Decimal(1))).quantize(Decimal("0.01"))

    @property
    def source_label(self):
        return {"annual": "年度计划", "construction": "建设方案", "default": "默认目标"}[self.target_source]


def indicators_for(year):
    """The indicators of the set in force for `year` (one statement), with their set."""
    set_id = IndicatorSet.objects.filter(year__lte=year).order_by("-year").values("pk")[:1]
    return list(
        Indicator.objects.filter(indicator_set_id=set_id).select_related("indicator_set").order_by("order", "pk")
    )


def targets_for(studio_ids, year):
    """{studio_id: {indicator key: (target, source)}} from approved plans (annual wins over construction)."""
    rows = (
        PlanTarget.objects.filter(plan__studio_id__in=studio_ids, plan__status=PlanStatus.APPROVED)
        .filter(
            Q(plan__kind=PlanKind.ANNUAL, plan__year=year)
            | Q(plan__kind=PlanKind.CONSTRUCTION, plan__year__lte=year, plan__year__gt=year - MAX_TERM_YEARS)
        )
        .order_by("plan__year")
        .values_list("plan__studio_id", "plan__kind", "plan__year", "plan__term_years", "indicator__key", "target")
    )
    return fold_targets(rows, year)


def fold_targets(rows, year):
    """rows (studio_id, kind, start year, term years, indicator key, target) of approved plans, by start year →
    {studio_id: {key: (target, source)}}: the annual plan of `year`, else the 建设方案 whose term covers it."""
    result = {}
    for studio_id, kind, start, term, key, target in rows:
        if kind == PlanKind.ANNUAL and start != year:
            continue
        if kind == PlanKind.CONSTRUCTION and not (start <= year <= start + term - 1):
            continue
        studio = result.setdefault(studio_id, {})
        if kind == PlanKind.ANNUAL or studio.get(key, (None, ""))[1] != PlanKind.ANNUAL:
            studio[key] = (target, str(kind))
    return result


def table(studio_ids, year, indicators=None, targets=None):
    """(indicators, {studio_id: [Cell per indicator]}) for the studios. `targets`: targets_for()'s answer when the
    caller already read the plans (the studio page)."""
    indicators = indicators_for(year) if indicators is None else indicators
    keys = [i.computation for i in indicators]
    actual = compute(keys, studio_ids, year)
    targets = targets_for(studio_ids, year) if targets is None else targets
    ids = list(studio_ids) if isinstance(studio_ids, list | tuple | set | frozenset) else None
    if ids is None:
        ids = sorted({sid for values in actual.values() if values for sid in values} | set(targets))
    result = {}
    for studio_id in ids:
        planned = targets.get(studio_id, {})
        cells = []
        for indicator in indicators:
            target, source = planned.get(indicator.key, (indicator.default_target, "default"))
            values = actual.get(indicator.computation)
            if values is None or not REGISTRY[indicator.computation].enabled:
                confirmed = waiting = None
            else:
                confirmed, waiting = values.get(studio_id, (Decimal(0), Decimal(0)))
            cells.append(Cell(indicator, target, source, confirmed, waiting))
        result[studio_id] = cells
    return indicators, result


def total_score(cells):
    """Sum of the enabled indicators' scores (the disabled ones are left out, not counted as zero)."""
    scores = [c.score for c in cells if c.score is not None]
    return sum(scores, Decimal(0)) if scores else None
