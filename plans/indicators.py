"""The ONE registry of indicator computations: computation key → how its actual is computed from the ledger.

For a year, an indicator's actual counts records dated in that calendar year that the department has confirmed and
whose required evidence is attached (ledger's `countable()`); records submitted and not yet confirmed (`waiting()`)
are counted separately and shown beside it, never added. Everything is computed by SQL aggregates grouped by studio:
`compute(keys, studio_ids, year)` answers every requested indicator for every studio in ONE statement (a UNION ALL
of one grouped SELECT per indicator, conditional aggregates for confirmed and waiting) — the same number of
statements whatever the number of studios or records. No loop over ledger rows in Python.

Indicators whose records arrive with later issues (archive, funds, publicity posts, the department's site check)
have `enabled=False`: their actual is None and the pages show 「尚未启用」 — never a made-up number.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When

from ledger.enums import AchievementKind, ActivityKind, Level, ProjectStage, RecordStatus, SkillLevel
from ledger.evidence import evidence_q
from ledger.models import Achievement, Activity, Meeting, Mentorship, Project, ProjectStageRecord
from studios.models import Studio

from .enums import REVIEW_STATES, PlanKind, PlanStatus
from .models import Plan

ZERO = Decimal(0)
NOT_ENABLED = "尚未启用"
# Level weights of "weighted" indicators (docs/indicators.md).
LEVEL_WEIGHTS = {Level.NATIONAL: 3, Level.PROVINCIAL: 2, Level.CITY: 2, Level.SCHOOL: 1}
# Landmark results: points per level, at most LANDMARK_CAP results count (the best ones).
LANDMARK_POINTS = ((10, (Level.NATIONAL,)), (7, (Level.PROVINCIAL, Level.CITY)), (4, (Level.SCHOOL,)))
LANDMARK_CAP = 3
UPGRADE_LEVELS = (SkillLevel.SENIOR, SkillLevel.TECHNICIAN, SkillLevel.SENIOR_TECHNICIAN)


def year_bounds(year):
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def in_year(year, field="date"):
    start, end = year_bounds(year)
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _level_weight(weights):
    return Case(
        *(When(level=level, then=Value(w)) for level, w in weights.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _stage_in_year(stage, year):
    start, end = year_bounds(year)
    return Exists(
        ProjectStageRecord.objects.filter(project=OuterRef("pk"), stage=stage, date__gte=start, date__lte=end)
    )


def _closed_before(year):
    start, _ = year_bounds(year)
    return Exists(ProjectStageRecord.objects.filter(project=OuterRef("pk"), stage=ProjectStage.CLOSING, date__lt=start))


@dataclass(frozen=True)
class Computation:
    """`model` and `condition(year)` select the ledger records that count; `value` is "count" or an expression
    factory (a Sum's argument) — the actual is that aggregate over the countable records."""

    key: str
    label: str
    model: type | None = None
    condition: Callable | None = None
    value: object = "count"
    enabled: bool = True

    def aggregate(self, name_filter):
        if self.value == "count":
            return Count("pk", filter=name_filter)
        return Sum(self.value() if callable(self.value) else self.value, filter=name_filter)

    def records(self, studio_id, year, *, waiting=False):
        """The exact ledger records behind the actual (or the waiting value) of one studio: the click-through."""
        if self.key in _PROVIDED:
            return provided_records(self.key, studio_id, year, waiting=waiting)
        if self.model is None:
            return None
        base = self.model.objects.waiting() if waiting else self.model.objects.countable()
        return base.filter(self.condition(year), studio_id=studio_id)

    def query(self, studio_ids, year):
        """{studio_id: (confirmed, waiting)} for this indicator alone."""
        return compute([self.key], studio_ids, year)[self.key]


REGISTRY = {
    c.key: c
    for c in (
        Computation("site_equipment", "系部确认场地、设备与铭牌（待系部现场确认功能上线）", enabled=False),
        Computation("archive_complete", "档案类别完整度（待档案管理功能上线）", enabled=False),
        Computation(
            "plan_and_meetings",
            "已批准的年度工作计划（计1）+ 有纪要的例会",
            Meeting,
            lambda year: in_year(year),
        ),
        Computation("funds_execution", "经费执行率（待经费管理功能上线）", enabled=False),
        Computation(
            "mentorships",
            "年内在带、已附协议的师徒结对",
            Mentorship,
            lambda year: (
                Q(date__lte=year_bounds(year)[1]) & (Q(end_on__isnull=True) | Q(end_on__gte=year_bounds(year)[0]))
            ),
        ),
        Computation(
            "skill_upgrades",
            "年内取得高级工及以上等级的徒弟",
            Mentorship,
            lambda year: Q(outcome_level__in=UPGRADE_LEVELS) & in_year(year, "outcome_on"),
        ),
        Computation(
            "competition_awards",
            "竞赛获奖（国家级3、省/市级2、校级1）",
            Achievement,
            lambda year: Q(kind=AchievementKind.AWARD) & in_year(year),
            lambda: _level_weight(LEVEL_WEIGHTS),
        ),
        Computation(
            "teaching_resources",
            "教材、课程/培训资源类成果",
            Achievement,
            lambda year: Q(kind__in=(AchievementKind.TEXTBOOK, AchievementKind.RESOURCE)) & in_year(year),
        ),
        Computation(
            "projects",
            "年内在研或结题的项目",
            Project,
            lambda year: Q(date__lte=year_bounds(year)[1]) & ~Q(_closed_before(year)),
        ),
        Computation(
            "patents_products",
            "专利、软件著作权、新产品/新工艺",
            Achievement,
            lambda year: (
                Q(kind__in=(AchievementKind.PATENT, AchievementKind.SOFTWARE, AchievementKind.PRODUCT)) & in_year(year)
            ),
        ),
        Computation(
            "adopted_results",
            "附企业证明的成果被采纳",
            Achievement,
            lambda year: Q(kind=AchievementKind.ADOPTED) & in_year(year),
        ),
        Computation(
            "teaching_transfer",
            "年内进入教学转化阶段的项目",
            Project,
            lambda year: Q(_stage_in_year(ProjectStage.TEACHING, year)),
        ),
        Computation(
            "social_training",
            "社会培训活动的参加人次",
            Activity,
            lambda year: Q(kind=ActivityKind.SOCIAL_TRAINING) & in_year(year),
            "participants",
        ),
        Computation(
            "exchange_events",
            "技术交流、展示推广活动",
            Activity,
            lambda year: Q(kind__in=(ActivityKind.EXCHANGE, ActivityKind.PROMOTION)) & in_year(year),
        ),
        Computation("enterprise_cooperation", "与工作室关联、本年度协议有效的合作企业"),
        Computation("publicity_reports", "宣传报道（待宣传报道功能上线）", enabled=False),
        Computation(
            "landmark_results",
            "标志性成果（至多3项：国家级10、省/市级7、校级4）",
            Achievement,
            lambda year: Q(landmark=True) & in_year(year),
        ),
    )
}


# Computations that later apps (archive, funds, posts) provide from their AppConfig.ready(): key → parts(studio_ids, year)
# returning a list of querysets of rows (studio_id, tag, confirmed, waiting) with tag == key, like _part() does. They join
# compute()'s one UNION ALL statement, so the page's statement count does not change.
_PROVIDED = {}
_REGISTRY_VERSION = [0]  # bumped by provide_computation(): the statement cache below keys on it


def provide_computation(key, parts, *, label=None, records=None, combine=None):
    """Enable the indicator `key` (declared above with enabled=False) with a later app's SQL. `records(studio_ids, year,
    waiting=False)` may return the queryset behind the value (the click-through) for a list of studio ids; its rows
    have a `studio_id`. With `combine`, the parts tag their
    rows "key#source" and combine({source: (confirmed, waiting)}) gives one studio's (confirmed, waiting); without it,
    rows tagged `key` are summed. Idempotent."""
    if key not in REGISTRY:
        raise KeyError(key)
    _PROVIDED[key] = (parts, records, combine)
    _REGISTRY_VERSION[0] += 1
    REGISTRY[key] = replace(REGISTRY[key], enabled=True, label=label or REGISTRY[key].label)


def provided_records(key, studio_id, year, *, waiting=False):
    """The click-through queryset of a provided computation, or None. `studio_id`: one id, or a list of ids (one
    query for many studios, e.g. a round's frozen evidence)."""
    entry = _PROVIDED.get(key)
    if entry is None or entry[1] is None:
        return None
    ids = list(studio_id) if isinstance(studio_id, list | tuple | set | frozenset) else [studio_id]
    return entry[1](ids, year, waiting=waiting)


def countable_q(model):
    """The filter of `model.objects.countable()` as a Q (for conditional aggregates; tests/ assert they agree)."""
    return Q(status=RecordStatus.CONFIRMED) & evidence_q(model)


def waiting_q(model):
    return Q(status=RecordStatus.SUBMITTED)


def _part(model, studio_ids, tag, confirmed, waiting):
    """One SELECT of the union: (studio_id, tag, confirmed, waiting) per studio."""
    return (
        model.objects.filter(studio_id__in=studio_ids)
        .order_by()
        .values("studio_id")
        .annotate(c=confirmed, w=waiting, tag=Value(tag, output_field=CharField()))
        .values_list("studio_id", "tag", "c", "w")
    )


def _parts(key, studio_ids, year):
    c = REGISTRY[key]
    if key in _PROVIDED:
        return list(_PROVIDED[key][0](studio_ids, year))
    if key == "landmark_results":
        condition = c.condition(year)
        return [
            _part(
                c.model,
                studio_ids,
                f"{key}#{n}",
                Count("pk", filter=condition & countable_q(c.model) & Q(level__in=levels)),
                Count("pk", filter=condition & waiting_q(c.model) & Q(level__in=levels)),
            )
            for n, (_points, levels) in enumerate(LANDMARK_POINTS)
        ]
    if key == "enterprise_cooperation":
        start, end = year_bounds(year)
        in_force = (
            Q(partner_enterprise__agreement_start__lte=end)
            & ~Q(partner_enterprise__agreement_file="")
            & (Q(partner_enterprise__agreement_end__isnull=True) | Q(partner_enterprise__agreement_end__gte=start))
        )
        return [
            Studio.objects.filter(pk__in=studio_ids)
            .order_by()
            .values("pk")
            .annotate(
                c=Count("pk", filter=in_force),
                w=Value(0, output_field=IntegerField()),
                tag=Value(key, output_field=CharField()),
            )
            .values_list("pk", "tag", "c", "w")
        ]
    parts = []
    if c.model is not None:
        condition = c.condition(year)
        parts.append(
            _part(
                c.model,
                studio_ids,
                key,
                c.aggregate(condition & countable_q(c.model)),
                c.aggregate(condition & waiting_q(c.model)),
            )
        )
    if key == "plan_and_meetings":
        # An approved annual plan of that year counts 1; one in review counts as waiting.
        parts.append(
            Plan.objects.filter(studio_id__in=studio_ids, kind=PlanKind.ANNUAL, year=year)
            .order_by()
            .values("studio_id")
            .annotate(
                c=Count("pk", filter=Q(status=PlanStatus.APPROVED)),
                w=Count("pk", filter=Q(status__in=REVIEW_STATES)),
                tag=Value(f"{key}#plan", output_field=CharField()),
            )
            .values_list("studio_id", "tag", "c", "w")
        )
    return parts


def _union(keys, studio_ids, year):
    parts = [p for k in keys for p in _parts(k, studio_ids, year)]
    return (parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]).order_by()


# Building the UNION (a few dozen querysets, thousands of Query.clone() calls) costs far more CPU than running it: about
# 0.3 s a call, on every studio page. For a list of ids the SQL depends only on the keys, the year and how many ids
# there are, so it is compiled once with stand-in ids and reused with the real ones put in their places. Stand-ins:
# negative numbers no primary key or other parameter of these statements ever takes (within int4, as PostgreSQL may
# bind a plain int as int4).
_STATEMENTS = {}
_STATEMENTS_MAX = 256
_STAND_IN = -1_987_000_000


def _remember(cache_key, statement):
    """Keep a compiled statement; a full cache is emptied (bounded memory), not grown."""
    if len(_STATEMENTS) >= _STATEMENTS_MAX:
        _STATEMENTS.clear()
    _STATEMENTS[cache_key] = statement
    return statement


def _statement(keys, ids, year):
    """(sql, params, {param index: position in ids}) for a list of `ids`, compiled once per shape."""
    cache_key = (connection.vendor, keys, year, len(ids), _REGISTRY_VERSION[0])
    statement = _STATEMENTS.get(cache_key)
    if statement is None:
        stand_ins = {_STAND_IN - n: n for n in range(len(ids))}
        sql, params = _union(keys, list(stand_ins), year).query.sql_with_params()
        places = {i: stand_ins[p] for i, p in enumerate(params) if isinstance(p, int) and p in stand_ins}
        statement = _remember(cache_key, (sql, tuple(params), places))
    return statement


def _subquery_statement(keys, studio_ids, year):
    """(sql, params) of the UNION over a subquery of ids, compiled once per (keys, year, the subquery's own SQL and
    parameters): the same subquery gives the same statement, so a dashboard reloaded for the same year (领导总览,
    考核分析: one statement per year shown) no longer rebuilds it — about 0.45 s of CPU a year."""
    sub_sql, sub_params = studio_ids.query.sql_with_params()
    cache_key = (connection.vendor, keys, year, sub_sql, tuple(sub_params), _REGISTRY_VERSION[0])
    statement = _STATEMENTS.get(cache_key)
    if statement is None:
        sql, params = _union(keys, studio_ids, year).query.sql_with_params()
        statement = _remember(cache_key, (sql, tuple(params)))
    return statement


def _rows(keys, studio_ids, year):
    """compute()'s one statement: rows (studio_id, tag, confirmed, waiting)."""
    if not isinstance(studio_ids, list | tuple | set | frozenset):
        sql, params = _subquery_statement(keys, studio_ids, year)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    ids = [int(i) for i in studio_ids]
    sql, params, places = _statement(keys, ids, year)
    params = [type(p)(ids[places[i]]) if i in places else p for i, p in enumerate(params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compute(keys, studio_ids, year):
    """{key: {studio_id: (confirmed, waiting)}} for the requested keys, in ONE SQL statement (a UNION ALL of one
    grouped SELECT per indicator); a disabled key maps to None. `studio_ids`: a list of ids or a queryset of ids (a
    subquery — use it for thousands of studios)."""
    keys = [k for k in dict.fromkeys(keys) if k in REGISTRY]
    result = {k: ({} if REGISTRY[k].enabled else None) for k in keys}
    if isinstance(studio_ids, list | tuple | set | frozenset) and not studio_ids:
        return result
    enabled = tuple(k for k in keys if REGISTRY[k].enabled)
    if not enabled:
        return result
    landmarks, combined = {}, {}
    for studio_id, tag, confirmed, waiting in _rows(enabled, studio_ids, year):
        key, _, part = tag.partition("#")
        if key in _PROVIDED and _PROVIDED[key][2] is not None:
            sources = combined.setdefault(key, {}).setdefault(studio_id, {})
            old = sources.get(part, (0, 0))
            sources[part] = (old[0] + (confirmed or 0), old[1] + (waiting or 0))
            continue
        if key == "landmark_results":
            landmarks.setdefault(studio_id, {})[int(part)] = (confirmed or 0, waiting or 0)
            continue
        old = result[key].get(studio_id, (ZERO, ZERO))
        if part == "plan":
            confirmed, waiting = (1 if confirmed else 0), (1 if waiting and not confirmed else 0)
        result[key][studio_id] = (old[0] + Decimal(confirmed or 0), old[1] + Decimal(waiting or 0))
    for key, studios in combined.items():
        combine = _PROVIDED[key][2]
        for studio_id, sources in studios.items():
            result[key][studio_id] = tuple(Decimal(v) for v in combine(sources))
    for studio_id, levels in landmarks.items():
        result["landmark_results"][studio_id] = (
            _landmark_points([levels.get(n, (0, 0))[0] for n in range(len(LANDMARK_POINTS))]),
            _landmark_points([levels.get(n, (0, 0))[1] for n in range(len(LANDMARK_POINTS))]),
        )
    return result


def _landmark_points(counts):
    """The best LANDMARK_CAP results: counts per level (best first) → points."""
    left, total = LANDMARK_CAP, 0
    for (points, _levels), count in zip(LANDMARK_POINTS, counts, strict=True):
        taken = min(left, count or 0)
        total += taken * points
        left -= taken
    return Decimal(total)


def actual_or_zero(values, studio_id):
    """(confirmed, waiting) of one studio, zeros when it has no record; None for a disabled indicator."""
    if values is None:
        return None
    return values.get(studio_id, (ZERO, ZERO))
