"""What plans adds to the studio page (studios/panels.py): the panel 「年度目标与完成」, the open tasks about plans,
and the targets the 责任书 quotes from the approved 建设方案. Each issues a fixed number of statements: the panel and
the open tasks share one read of the studio's recent plans with their targets (`_plans`, page_memo), then the panel
reads the year's indicators and the one UNION of indicators.compute() — three statements on the page."""

from django.urls import reverse
from django.utils import timezone

from studios.panels import Task, page_memo

from . import actuals
from .enums import REVIEW_STATES, PlanKind, PlanStatus
from .models import Plan, PlanTarget
from .permissions import may_see_studio_plans


def _plans(studio, year):
    """The studio's plans starting in the 5 years before `year` up to `year` — (kind, year, term_years, status,
    indicator key, target), one row per target (LEFT JOIN: a plan without targets gives one row with None) — once per
    page. Bounded by the studio's plans in that window, not by its records."""
    return page_memo(
        studio,
        f"plans:{year}",
        lambda: list(
            Plan.objects.filter(studio=studio, year__gte=year - actuals.MAX_TERM_YEARS, year__lte=year)
            .order_by("year", "pk")
            .values_list("kind", "year", "term_years", "status", "targets__indicator__key", "targets__target")
        ),
    )


def panel_context(studio, user):
    if not may_see_studio_plans(user, studio):
        return None
    year = timezone.localdate().year
    approved = [
        (studio.pk, kind, start, term, key, target)
        for kind, start, term, status, key, target in _plans(studio, year)
        if status == PlanStatus.APPROVED and key is not None
    ]
    _indicators, cells = actuals.table([studio.pk], year, targets=actuals.fold_targets(approved, year))
    rows = cells.get(studio.pk, [])
    return {
        "year": year,
        "studio_pk": studio.pk,
        "cells": rows,
        "total": actuals.total_score(rows),
        "plans_url": reverse("plans:studio", args=[studio.pk]),
        "actual_url": reverse("plans:actual_studio", args=[studio.pk]),
    }


def open_tasks(studio, user):
    """年度计划未提交 / 建设方案未提交 / 方案已退回 (for the people who see the studio's plans)."""
    if studio.is_revoked or not may_see_studio_plans(user, studio):
        return []
    year = timezone.localdate().year
    url = reverse("plans:studio", args=[studio.pk])
    plans = {(kind, y, term, status) for kind, y, term, status, _key, _target in _plans(studio, year)}
    live = REVIEW_STATES | {PlanStatus.APPROVED}
    tasks = []
    if not any(k == PlanKind.ANNUAL and y == year and s in live for k, y, _t, s in plans):
        tasks.append(Task(f"{year}年度工作计划未提交", url, urgent=timezone.localdate().month >= 3))
    if not any(k == PlanKind.CONSTRUCTION and y <= year <= y + t - 1 and s in live for k, y, t, s in plans):
        tasks.append(Task("建设方案未提交", url))
    if any(s == PlanStatus.RETURNED for _k, _y, _t, s in plans):
        tasks.append(Task("方案已退回，待修改后重新提交", url, urgent=True))
    return tasks


def letter_targets(studio):
    """The approved 建设方案's targets as sentences for the 责任书, or None when there is none."""
    plan = (
        Plan.objects.filter(studio=studio, kind=PlanKind.CONSTRUCTION, status=PlanStatus.APPROVED)
        .order_by("-year", "-version")
        .first()
    )
    if plan is None:
        return None
    rows = PlanTarget.objects.filter(plan=plan).select_related("indicator").order_by("indicator__order")
    head = f"按{plan.year}–{plan.last_year}年建设方案（第{plan.version}版），每年度："
    return [head] + [f"{t.indicator.name}：{t.target.normalize():f}{t.indicator.unit}" for t in rows]
