"""Scoring of a round (docs/indicators.md «年度考核的计分»): every scorecard of a round from ONE indicator statement.

For the round's year:
- indicators: the set in force for the year (plans.actuals.indicators_for);
- target: the studio's approved 年度工作计划 of the year, else the approved 建设方案 whose term covers the year, else the
  indicator's default target (plans.actuals.targets_for — the same rule as the plan-vs-actual pages);
- actual: plans.indicators.compute() — confirmed records with their evidence, ONE UNION statement for all studios
  of the round (a subquery of the round's studio ids, so 2,000 studios cost the same statements as 3);
- score = weight × min(actual ÷ target, 1), Decimal to 2 places; a target of 0 counts as met (the full weight);
- an evaluator's adjustment replaces the computed score of its indicator (the newest per indicator);
- an indicator not yet enabled (「尚未启用」) is left out and the total is scaled to 100 over the enabled weights:
  total = Σ scores × 100 ÷ Σ enabled weights, 2 places;
- grade bands: ≥ 90 优秀, 75–89.99 良好, 60–74.99 合格, < 60 不合格;
- vetoes, named on the scorecard: 弄虚作假 (recorded by 发改室 with a reason) → 不合格; no annual report → 不合格
  (a report counts when submitted, checked or received; a returned report counts when it had been submitted —
  `submitted_at` set); a late report → at most 良好;
- the 优秀 cap: at most floor(20 % × studios in the round) suggested 优秀, highest totals first; studios tied at the
  boundary that do not all fit are suggested 良好 and the committee decides (their scorecard says so).
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from annual.models import ReportStatus
from annual.services import report_states as annual_report_states
from plans.actuals import indicators_for, targets_for
from plans.indicators import REGISTRY, compute

from .enums import GRADE_RANK, Grade, Veto
from .models import Adjustment, Scorecard

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
EXCELLENT_SHARE = Decimal("0.2")
BANDS = ((Decimal(90), Grade.EXCELLENT), (Decimal(75), Grade.GOOD), (Decimal(60), Grade.PASS))
SUBMITTED_STATES = frozenset({ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RECEIVED})
TARGET_SOURCES = {"annual": "年度工作计划", "construction": "建设方案", "default": "默认目标"}


def q2(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def band(total):
    if total is None:
        return Grade.FAIL
    for floor, grade in BANDS:
        if total >= floor:
            return grade
    return Grade.FAIL


def worse(a, b):
    return a if GRADE_RANK[a] >= GRADE_RANK[b] else b


def line_score(weight, target, actual):
    """weight × min(actual ÷ target, 1), 2 places; target 0 → the full weight; None when not enabled."""
    if actual is None:
        return None
    if not target:
        return q2(weight)
    return q2(weight * min(Decimal(actual) / Decimal(target), Decimal(1)))


def report_counts(status, submitted_at):
    """An annual report counts as submitted for the veto: submitted/checked/received, or returned after a submission."""
    return status in SUBMITTED_STATES or (status == ReportStatus.RETURNED and submitted_at is not None)


def report_states(studio_ids, year):
    """{studio_id: (counts, late)} of the year's annual reports (annual.services.report_states, one statement)."""
    return {
        sid: (report_counts(r.status, r.submitted_at), bool(r.late))
        for sid, r in annual_report_states(studio_ids, year).items()
    }


@dataclass
class Result:
    scorecard_id: int
    studio_id: int
    lines: list
    total: Decimal | None
    vetoes: list = field(default_factory=list)
    suggested: str = ""
    note: str = ""


def evaluate(round_):
    """Compute every scorecard of the round: [Result], statements independent of the number of studios."""
    cards = list(
        Scorecard.objects.filter(round=round_).order_by("pk").values_list("pk", "studio_id", "falsified_reason")
    )
    # the round's studios as a subquery for the indicator statement (its size does not grow with the round)
    ids = Scorecard.objects.filter(round=round_).values("studio_id")
    indicators = indicators_for(round_.year)
    actual = compute([i.computation for i in indicators], ids, round_.year)
    targets = targets_for(ids, round_.year)
    reports = report_states([sid for _, sid, _ in cards], round_.year)
    adjusted = {}
    for card_id, key, score, basis in (
        Adjustment.objects.filter(scorecard__round=round_)
        .order_by("scorecard_id", "indicator_key", "-id")
        .values_list("scorecard_id", "indicator_key", "score", "basis")
    ):
        adjusted.setdefault((card_id, key), (score, basis))
    results = []
    for card_id, studio_id, falsified in cards:
        planned = targets.get(studio_id, {})
        lines, earned, weights = [], Decimal(0), Decimal(0)
        for ind in indicators:
            target, source = planned.get(ind.key, (ind.default_target, "default"))
            values = actual.get(ind.computation)
            enabled = values is not None and REGISTRY[ind.computation].enabled
            confirmed, waiting = values.get(studio_id, (Decimal(0), Decimal(0))) if enabled else (None, None)
            computed = line_score(ind.weight, target, confirmed) if enabled else None
            adj = adjusted.get((card_id, ind.key))
            score = q2(adj[0]) if adj is not None else computed
            if score is not None:
                earned += score
                weights += ind.weight
            lines.append(
                {
                    "key": ind.key,
                    "group": ind.group,
                    "name": ind.name,
                    "unit": ind.unit,
                    "weight": str(ind.weight),
                    "target": str(target),
                    "target_source": source,
                    "actual": None if confirmed is None else str(confirmed),
                    "waiting": None if waiting is None else str(waiting),
                    "computed": None if computed is None else str(computed),
                    "score": None if score is None else str(score),
                    "basis": adj[1] if adj is not None else "",
                    "enabled": enabled,
                }
            )
        total = q2(earned * HUNDRED / weights) if weights else None
        vetoes = []
        if falsified:
            vetoes.append(Veto.FALSIFIED.value)
        counts, late = reports.get(studio_id, (False, False))
        if not counts:
            vetoes.append(Veto.NO_REPORT.value)
        elif late:
            vetoes.append(Veto.LATE_REPORT.value)
        grade = band(total)
        if Veto.FALSIFIED in vetoes or Veto.NO_REPORT in vetoes:
            grade = Grade.FAIL
        elif Veto.LATE_REPORT in vetoes:
            grade = worse(grade, Grade.GOOD)
        results.append(Result(card_id, studio_id, lines, total, vetoes, grade))
    apply_cap(results)
    return results


def apply_cap(results):
    """At most floor(20 % × the round's studios) suggested 优秀, highest totals first; a tie at the boundary that does
    not fit goes to the committee (suggested 良好, the scorecard says why). Notes say why a studio at ≥ 90 is not 优秀."""
    places = math.floor(len(results) * EXCELLENT_SHARE)
    for r in results:
        if r.total is not None and r.total >= BANDS[0][0] and r.suggested != Grade.EXCELLENT:
            r.note = "总分达到优秀分数线，但" + "；".join(Veto(v).label for v in r.vetoes) + "。"
    candidates = sorted((r for r in results if r.suggested == Grade.EXCELLENT), key=lambda r: -r.total)
    if len(candidates) <= places:
        return
    boundary = candidates[places].total if places < len(candidates) else None
    cut = candidates[places - 1].total if places else None
    tie = cut is not None and boundary == cut
    for rank, r in enumerate(candidates, start=1):
        if rank <= places and not (tie and r.total == cut):
            continue
        r.suggested = Grade.GOOD
        if tie and r.total == cut:
            r.note = (
                f"总分 {r.total} 达到优秀分数线；优秀名额为本轮考核工作室数的20%（共 {len(results)} 个，"
                f"至多 {places} 个），与其他工作室在名额边界并列，建议等级暂定良好，由学术委员会决定。"
            )
        else:
            r.note = (
                f"总分 {r.total} 达到优秀分数线，但优秀名额为本轮考核工作室数的20%（共 {len(results)} 个，"
                f"至多 {places} 个），按总分排序第 {rank} 名，未列入优秀名额，建议等级为良好。"
            )
