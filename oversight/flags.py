"""异常提示 (anomaly flags): computed from the records each time, never stored as truth. Each rule is one or two SQL
statements (fresh_role: one per decision source, five) — aggregates and subqueries, never a Python loop over all
rows — returning at most FLAG_LIMIT rows; the flag
list runs a fixed number of statements whatever the data. The rules are documented in docs/oversight.md.

a. score_outlier     an expert's submitted total differs from the mean of the OTHER submitted totals on the same
                     application by more than 20 points (百分制), with at least 2 other scores.
b. fresh_role        a decision made by someone who was granted a role (other than 教职工) at most 7 days before it:
                     a workflow move (core.StatusChange), a committee vote, a submitted expert review, an evaluation
                     score adjustment or grade decision (one statement per source).
c. late_review       a review submitted after its call's 专家评审截止时间.
d. evaluator_member  an evaluator (年度考核评分人) assigned to a scorecard while he is a current member (or master) of a
                     studio — any studio: the studios of one round are ranked against each other.
e. archived_addendum an addendum (补充说明) to an archived studio-year.
f. publicity_pending a publicity whose window has ended while an objection to it is still 待调查/调查中.
g. split_spending    ≥ 3 expenditures (submitted or confirmed) of one studio within 30 days, each between 90 % and
                     100 % (exclusive) of the approval threshold settings.OVERSIGHT_APPROVAL_THRESHOLD.
h. one_day_confirm   a studio-year with ≥ 10 confirmed ledger records of which ≥ 80 % were confirmed by one user on one
                     date.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
)
from django.db.models.functions import Abs
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from applications.enums import AssignmentStatus, ObjectionStatus
from applications.models import Objection, Publicity, ReviewAssignment, Vote
from archive.models import Addendum
from core.dbfunctions import LocalDate, ShiftDays, Year
from core.models import AuditEvent, StatusChange
from evaluation.models import Adjustment, EvaluatorAssignment
from funds.enums import ExpenditureStatus
from funds.models import Expenditure
from ledger.enums import RecordStatus
from ledger.types import TYPES
from studios.models import Membership, Studio

FLAG_LIMIT = 100
OUTLIER_POINTS = Decimal(20)
FRESH_ROLE_DAYS = 7
SPLIT_COUNT, SPLIT_DAYS, SPLIT_LOW = 3, 30, Decimal("0.9")
ONE_DAY_MIN, ONE_DAY_SHARE = 10, Decimal("0.8")


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    description: str


RULES = {
    r.code: r
    for r in (
        Rule("score_outlier", "专家评分明显偏离", "同一申报的某位专家总分与其他专家平均分相差超过 20 分（至少还有 2 位专家已评分）"),
        Rule("fresh_role", "新授角色后即作决定",
             f"审批决定、学术委员会表决、专家评分、考核评分调整或等级认定由获授角色不足 {FRESH_ROLE_DAYS} 天的人作出"),
        Rule("late_review", "评审逾期提交", "专家评分在本批次专家评审截止时间之后提交"),
        Rule("evaluator_member", "考核评分人同时是工作室成员", "年度考核的评分人当前是某个工作室的成员或技能大师"),
        Rule("archived_addendum", "已归档年度的补充说明", "对已归档的工作室年度档案添加了补充说明"),
        Rule("publicity_pending", "公示结束时异议未处理", "公示期已结束，但仍有异议处于待调查或调查中"),
        Rule("split_spending", "支出金额集中在审批限额以下",
             f"同一工作室 {SPLIT_DAYS} 天内有不少于 {SPLIT_COUNT} 笔支出，每笔均在审批限额的 90%–100% 之间"),
        Rule("one_day_confirm", "建设记录集中由一人一日确认",
             f"同一工作室同一年度不少于 {ONE_DAY_MIN} 条已确认记录中，80% 以上由同一人在同一天确认"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Flag:
    rule: str
    subject: str
    reason: str
    url: str
    at: object = None

    @property
    def rule_label(self):
        return RULES[self.rule].label


def approval_threshold():
    """settings.OVERSIGHT_APPROVAL_THRESHOLD in yuan (a value that is not a positive amount falls back to 5000)."""
    try:
        value = Decimal(str(getattr(settings, "OVERSIGHT_APPROVAL_THRESHOLD", "5000")))
    except ArithmeticError:
        return Decimal(5000)
    return value if value.is_finite() and value > 0 else Decimal(5000)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def score_outliers():
    submitted = ReviewAssignment.objects.filter(
        application=OuterRef("application"), status=AssignmentStatus.SUBMITTED, total__isnull=False
    ).order_by()
    app_sum = Subquery(submitted.values("application").annotate(s=Sum("total")).values("s"))
    app_count = Subquery(submitted.values("application").annotate(c=Count("pk")).values("c"))
    money = DecimalField(max_digits=12, decimal_places=4)
    rows = (
        ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED, total__isnull=False)
        .annotate(app_sum=app_sum, app_count=app_count)
        .filter(app_count__gte=3)
        .annotate(
            others=ExpressionWrapper((F("app_sum") - F("total")) / (F("app_count") - 1), output_field=money),
        )
        .annotate(gap=ExpressionWrapper(Abs(F("total") - F("others")), output_field=money))
        .filter(gap__gt=OUTLIER_POINTS)
        .select_related("application", "expert")
        .order_by("-gap", "pk")[:FLAG_LIMIT]
    )
    return [
        Flag(
            "score_outlier",
            f"申报「{r.application.studio_name}」· 专家 {r.expert.display_name}",
            f"该专家总分 {r.total:.2f}，其他 {r.app_count - 1} 位专家平均 {r.others:.2f}，相差 {r.gap:.2f} 分。",
            reverse("applications:detail", args=[r.application_id]),
            r.submitted_at,
        )
        for r in rows
    ]


def _state(change, state):
    machine = getattr(change.content_type.model_class(), "WORKFLOW", None)
    return machine.label(state) if machine is not None else state


def _fresh(queryset, by, at):
    """`queryset` rows whose person (field `by`) was granted a role other than 教职工 at most FRESH_ROLE_DAYS before
    the row's time (field `at`), annotated with the newest such grant's time (`granted_at`). One statement."""
    since = ShiftDays(OuterRef(at), -FRESH_ROLE_DAYS)  # native date arithmetic (core.dbfunctions), not a UDF per row
    granted = RoleAssignment.objects.filter(
        user_id=OuterRef(by), created_at__lte=OuterRef(at), created_at__gte=since
    ).exclude(role=Role.STAFF)
    return (
        queryset.annotate(granted_at=Subquery(granted.order_by("-created_at").values("created_at")[:1]))
        .filter(Exists(granted))
        .order_by(f"-{at}", "-pk")[:FLAG_LIMIT]
    )


GRADE_DECIDED = "evaluation.scorecard.grade_decided"


def fresh_role_decisions():
    """Decisions from five sources, one bounded statement each: workflow moves (core.StatusChange, the notes' own
    excepted), committee votes, submitted expert reviews, evaluation score adjustments and grade decisions (their
    audit events: the scorecard keeps no decider)."""
    flags = []
    for sc in _fresh(StatusChange.objects.exclude(machine="oversight.note").select_related("by", "content_type"),
                     "by_id", "at"):  # fmt: skip
        flags.append(
            Flag(
                "fresh_role",
                f"{sc.by.display_name}：{sc.content_type.name} #{sc.object_id}",
                f"{_local(sc.at)} 作出「{_state(sc, sc.from_state)} → {_state(sc, sc.to_state)}」，"
                f"其角色于 {_local(sc.granted_at)} 授予。",
                reverse("workspace:audit_list")
                + f"?{urlencode({'object_type': sc.content_type.name, 'object_id': sc.object_id})}",
                sc.at,
            )
        )
    for v in _fresh(Vote.objects.select_related("member", "meeting", "application"), "member_id", "cast_at"):
        flags.append(
            Flag(
                "fresh_role",
                f"{v.member.display_name}：学术委员会表决票 · 申报「{v.application.studio_name}」",
                f"{_local(v.cast_at)} 在「{v.meeting.title}」中表决「{v.get_choice_display()}」，"
                f"其角色于 {_local(v.granted_at)} 授予。",
                reverse("applications:meeting_detail", args=[v.meeting_id]),
                v.cast_at,
            )
        )
    reviews = ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED, submitted_at__isnull=False)
    for r in _fresh(reviews.select_related("expert", "application"), "expert_id", "submitted_at"):
        flags.append(
            Flag(
                "fresh_role",
                f"{r.expert.display_name}：专家评审 · 申报「{r.application.studio_name}」",
                f"{_local(r.submitted_at)} 提交评分，其角色于 {_local(r.granted_at)} 授予。",
                reverse("applications:detail", args=[r.application_id]),
                r.submitted_at,
            )
        )
    adjustments = Adjustment.objects.select_related("by", "scorecard__studio", "scorecard__round")
    for a in _fresh(adjustments, "by_id", "at"):
        flags.append(
            Flag(
                "fresh_role",
                f"{a.by.display_name}：考核评分调整 · {a.scorecard.studio.official_name} {a.scorecard.round.year} 年度",
                f"{_local(a.at)} 将一项指标的得分调整为 {a.score}，其角色于 {_local(a.granted_at)} 授予。",
                reverse("evaluation:scorecard", args=[a.scorecard_id]),
                a.at,
            )
        )
    decisions = AuditEvent.objects.filter(action=GRADE_DECIDED, actor__isnull=False).select_related("actor")
    for e in _fresh(decisions, "actor_id", "at"):
        url = reverse("evaluation:scorecard", args=[e.object_id]) if e.object_id.isdigit() else ""
        flags.append(
            Flag(
                "fresh_role",
                f"{e.actor.display_name}：考核等级认定 · {e.object_repr}",
                f"{_local(e.at)} 作出等级认定，其角色于 {_local(e.granted_at)} 授予。",
                url,
                e.at,
            )
        )
    flags.sort(key=lambda f: f.at, reverse=True)
    return flags[:FLAG_LIMIT]


def late_reviews():
    rows = (
        ReviewAssignment.objects.filter(
            submitted_at__isnull=False,
            application__call__review_deadline__isnull=False,
            submitted_at__gt=F("application__call__review_deadline"),
        )
        .select_related("application", "application__call", "expert")
        .order_by("-submitted_at", "-id")[:FLAG_LIMIT]
    )
    return [
        Flag(
            "late_review",
            f"申报「{r.application.studio_name}」· 专家 {r.expert.display_name}",
            f"评分提交于 {_local(r.submitted_at)}，截止时间为 {_local(r.application.call.review_deadline)}。",
            reverse("applications:detail", args=[r.application_id]),
            r.submitted_at,
        )
        for r in rows
    ]


def evaluator_members():
    membership = Membership.objects.filter(user_id=OuterRef("evaluator_id"), left_on__isnull=True).order_by("pk")
    rows = (
        EvaluatorAssignment.objects.filter(Exists(membership))
        .annotate(member_of=Subquery(membership.values("studio__official_name")[:1]))
        .select_related("evaluator", "scorecard", "scorecard__studio", "scorecard__round")
        .order_by("-assigned_at", "-id")[:FLAG_LIMIT]
    )
    return [
        Flag(
            "evaluator_member",
            f"{a.scorecard.round} · 评分人 {a.evaluator.display_name}",
            f"评分人为「{a.member_of}」的现任成员，被指派评「{a.scorecard.studio.official_name}」。",
            reverse("evaluation:scorecard", args=[a.scorecard_id]),
            a.assigned_at,
        )
        for a in rows
    ]


def archived_addenda():
    rows = Addendum.objects.select_related("studio", "created_by").order_by("-created_at", "-id")[:FLAG_LIMIT]
    return [
        Flag(
            "archived_addendum",
            f"{a.studio.official_name} {a.year} 年度：{a.object_title}",
            f"{a.created_by.display_name} 于 {_local(a.created_at)} 添加补充说明，原因：{a.reason}",
            reverse("archive:studio_year", args=[a.studio_id, a.year]),
            a.created_at,
        )
        for a in rows
    ]


def publicity_pending():
    pending = Objection.objects.filter(
        publicity=OuterRef("pk"), status__in=(ObjectionStatus.OPEN, ObjectionStatus.INVESTIGATING)
    ).order_by()
    rows = (
        Publicity.objects.filter(ends_at__lte=timezone.now())
        .annotate(pending=Subquery(pending.values("publicity").annotate(c=Count("pk")).values("c")))
        .filter(pending__gt=0)
        .order_by("-ends_at", "-id")[:FLAG_LIMIT]
    )
    return [
        Flag(
            "publicity_pending",
            p.title,
            f"公示已于 {_local(p.ends_at)} 结束，仍有 {p.pending} 条异议未处理完毕。",
            reverse("applications:publicity_detail", args=[p.pk]),
            p.ends_at,
        )
        for p in rows
    ]


def split_spending():
    threshold = approval_threshold()
    low = (threshold * SPLIT_LOW).quantize(Decimal("0.01"))
    band = Expenditure.objects.filter(
        status__in=(ExpenditureStatus.SUBMITTED, ExpenditureStatus.CONFIRMED), amount__gte=low, amount__lt=threshold
    )
    window_end = ShiftDays(OuterRef("date"), SPLIT_DAYS - 1)
    in_window = (
        band.filter(studio_id=OuterRef("studio_id"), date__gte=OuterRef("date"), date__lte=window_end)
        .order_by()
        .values("studio_id")
        .annotate(c=Count("pk"), s=Sum("amount"))
    )
    rows = (
        band.annotate(n=Subquery(in_window.values("c")), total=Subquery(in_window.values("s")))
        .filter(n__gte=SPLIT_COUNT)
        .select_related("studio")
        .order_by("studio_id", "date", "id")[: FLAG_LIMIT * 5]
    )
    flags, seen = [], set()
    for e in rows:  # at most FLAG_LIMIT*5 flagged windows: one flag per studio, its earliest window
        if e.studio_id in seen:
            continue
        seen.add(e.studio_id)
        flags.append(
            Flag(
                "split_spending",
                e.studio.official_name,
                f"自 {e.date:%Y-%m-%d} 起 {SPLIT_DAYS} 天内 {e.n} 笔支出合计 {e.total} 元，"
                f"每笔在 {low}–{threshold} 元之间（审批限额 {threshold} 元）。",
                reverse("funds:expenditures") + f"?studio={e.studio_id}",
                e.date,
            )
        )
    return flags[:FLAG_LIMIT]


def _confirmed_union():
    """SQL and params of (studio_id, y, reviewed_by_id, d) over the confirmed records of every ledger type. Year and
    LocalDate are native SQL on both databases (Django's ExtractYear/TruncDate call a Python function per row on
    SQLite: a million rows took a minute)."""
    parts, params = [], []
    for record_type in TYPES.values():
        qs = (
            record_type.model.objects.filter(status=RecordStatus.CONFIRMED, reviewed_by__isnull=False)
            .annotate(y=Year("date"), d=LocalDate("reviewed_at"))
            .order_by()
            .values_list("studio_id", "y", "reviewed_by_id", "d")
        )
        sql, p = qs.query.sql_with_params()
        parts.append(sql)
        params.extend(p)
    return " UNION ALL ".join(parts), params


def one_day_confirmations():
    """One pass over the confirmed records: counts per (studio, year, reviewer, day), and per (studio, year) as a
    window sum over those groups."""
    union, params = _confirmed_union()
    sql = f"""
        SELECT g.studio_id, g.y, g.reviewed_by_id, g.d, g.c, g.n FROM (
            SELECT r.studio_id, r.y, r.reviewed_by_id, r.d, COUNT(*) AS c,
                   SUM(COUNT(*)) OVER (PARTITION BY r.studio_id, r.y) AS n
            FROM ({union}) r
            GROUP BY r.studio_id, r.y, r.reviewed_by_id, r.d
        ) g
        WHERE g.n >= %s AND g.c * 5 >= g.n * 4
        ORDER BY g.y DESC, g.studio_id LIMIT %s
    """  # noqa: S608 - the union is Django's own compiled SQL, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ONE_DAY_MIN, FLAG_LIMIT])
        rows = cursor.fetchall()
    studios = dict(Studio.objects.filter(pk__in={r[0] for r in rows}).values_list("pk", "official_name"))
    users = dict(User.objects.filter(pk__in={r[2] for r in rows}).values_list("pk", "display_name"))
    flags = []
    for studio_id, year, user_id, day, count, total in rows:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
        flags.append(
            Flag(
                "one_day_confirm",
                f"{studios.get(studio_id, studio_id)} {int(year)} 年度",
                f"{int(total)} 条已确认记录中有 {count} 条由 {users.get(user_id, user_id)} 于 {day:%Y-%m-%d} 一天内确认。",
                reverse("ledger:index") + f"?studio={studio_id}",
                day,
            )
        )
    return flags


RULE_FUNCTIONS = {
    "score_outlier": score_outliers,
    "fresh_role": fresh_role_decisions,
    "late_review": late_reviews,
    "evaluator_member": evaluator_members,
    "archived_addendum": archived_addenda,
    "publicity_pending": publicity_pending,
    "split_spending": split_spending,
    "one_day_confirm": one_day_confirmations,
}


def all_flags(rule=None):
    """Every flag (or one rule's), rule by rule. A fixed number of statements: at most two per rule (fresh_role:
    one per decision source)."""
    codes = [rule] if rule in RULE_FUNCTIONS else list(RULE_FUNCTIONS)
    return [flag for code in codes for flag in RULE_FUNCTIONS[code]()]
