"""Services of 年度工作报告 (R19). Every write takes `by=`, runs in one transaction, locks and re-reads the studio,
calls studios.services.ensure_writable (a revoked studio is read-only), checks the permission (annual.permissions)
and leaves an audit event. Status moves go through core.workflow.transition (annual/workflow.py).

The year freeze (studios.freeze.ensure_year_open) is deliberately NOT applied to the reported year: the report on
year Y is written in January of Y + 1, after the year-end archiving (归档) of Y has frozen Y's records (the README's
cron archives on 5 January, the report is due on 31 January). Freezing it with Y would make R19 impossible in the
normal sequence. The report reads Y's frozen records (plan vs actual, funds, nominated achievements); it never
changes them.

Read helpers used by other apps (evaluation): `due_date(year)` and `report_states(studio_ids, year)`.
The computed parts of a report — plan vs actual (plans.actuals.table) and the funds summary (funds.panels /
funds.balances) — are read here by `computed_tables(report)`, never stored.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require_write_access
from core.audit import log_action
from core.workflow import transition
from funds.balances import totals_by, with_derived
from funds.models import BudgetLine
from funds.panels import studio_year_totals
from ledger.enums import RecordStatus
from ledger.models import Achievement
from people.models import PolicyVersion
from people.policy import policy_in_force
from plans import actuals
from plans.indicators import in_year
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import ensure_writable

from .models import MAX_LANDMARKS, AnnualReport, ReportStatus
from .permissions import is_writer

NARRATIVE_FIELDS = ("achievements_summary", "highlights", "problems", "next_year_plan")
EARLIEST_YEAR = 2000


def _due_on(year, month, day):
    while True:
        try:
            return date(year + 1, month, day)
        except ValueError:  # e.g. 31 April: the last day of that month
            day -= 1


def due_on(year, month=None, day=None) -> date:
    """The due date of the report on `year` from a policy's 年度报告截止月/日 as read in a query (None: no policy
    version in force — the defaults, as policy_in_force's fallback has)."""
    default = PolicyVersion(year=year + 1)
    return _due_on(year, month or default.annual_report_due_month, day or default.annual_report_due_day)


def due_date(year: int) -> date:
    """The due date of the report ON `year`: the policy's 年度报告截止月/日 (default 31 January) of year + 1, read
    from the policy parameters in force on 1 January of year + 1 (people.PolicyVersion)."""
    policy = policy_in_force(date(year + 1, 1, 1))
    return _due_on(year, policy.annual_report_due_month, policy.annual_report_due_day)


def due_dates(years) -> dict:
    """{year: due_date(year)} for several years in one statement (the policy versions up to the last of them)."""
    years = sorted(set(years))
    if not years:
        return {}
    versions = list(
        PolicyVersion.objects.filter(year__lte=years[-1] + 1)
        .order_by("-year")
        .values_list("year", "annual_report_due_month", "annual_report_due_day")
    )
    default = PolicyVersion(year=years[0])
    result = {}
    for year in years:
        month, day = next(
            ((m, d) for y, m, d in versions if y <= year + 1),
            (default.annual_report_due_month, default.annual_report_due_day),
        )
        result[year] = _due_on(year, month, day)
    return result


def report_states(studio_ids, year) -> dict:
    """{studio_id: AnnualReport} for the studios of `studio_ids` that have a report on `year` (one query); a studio
    missing from the answer has no report."""
    rows = AnnualReport.objects.filter(studio_id__in=list(studio_ids), year=year)
    return {r.studio_id: r for r in rows}


def due_studios(year):
    """The studios that owe a report on `year`: active now, approved on or before the end of that year."""
    return Studio.objects.filter(status=StudioStatus.ACTIVE, approved_on__year__lte=year)


def is_late(year, when) -> bool:
    """Is a (first) submission at `when` (aware datetime) after the due date of the report on `year`?"""
    return timezone.localdate(when) > due_date(year)


def reporting_year(today=None) -> int:
    """The year a report is written for now: the previous year."""
    return (today or timezone.localdate()).year - 1


def check_year(studio, year):
    """A report year: an integer from the studio's approval year to this year (a report is on a past or the
    current year, never a future one). Raises ValidationError in Chinese."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "报告年度无效。"}) from None
    this_year = timezone.localdate().year
    if year < max(EARLIEST_YEAR, studio.approved_on.year) or year > this_year:
        raise ValidationError(
            {"year": f"报告年度须在工作室认定年度（{studio.approved_on.year} 年）至今年（{this_year} 年）之间。"}
        )
    return year


def eligible_landmarks(studio_id, year):
    """The achievements a report on `year` may nominate: the studio's CONFIRMED ledger achievements dated in it."""
    return Achievement.objects.filter(studio_id=studio_id, status=RecordStatus.CONFIRMED).filter(in_year(year))


def _clean_landmarks(studio_id, year, ids):
    ids = list(dict.fromkeys(int(i) for i in ids if str(i).strip()))
    if len(ids) > MAX_LANDMARKS:
        raise ValidationError({"landmarks": f"标志性成果最多推荐 {MAX_LANDMARKS} 项。"})
    found = set(eligible_landmarks(studio_id, year).filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise ValidationError({"landmarks": f"只能推荐本工作室 {year} 年已由系部确认的成果作为标志性成果。"})
    return ids


def _refuse_control_characters(data):
    for name, value in data.items():
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})


def _lock_studio(studio_id):
    return ensure_writable(Studio.objects.select_for_update().get(pk=studio_id))


def _snapshot(report, landmark_ids):
    return {**{f: getattr(report, f) for f in NARRATIVE_FIELDS}, "landmarks": sorted(landmark_ids)}


@transaction.atomic
def save_report(*, by, studio, year, data, landmarks=None):
    """Create the studio's report on `year` (if there is none) or update its draft: the four narrative sections
    (`data`, only the keys given are changed) and the nominated landmark achievements (a list of Achievement ids;
    None leaves them as they are). Only the writer (master or contact), on a draft or returned report."""
    require_write_access(by)
    studio = _lock_studio(getattr(studio, "pk", studio))
    year = check_year(studio, year)
    if not is_writer(by, studio):
        raise PermissionDenied("只有本工作室的技能大师或联系人可以撰写年度工作报告。")
    data = {k: (v or "").strip() for k, v in (data or {}).items() if k in NARRATIVE_FIELDS}
    _refuse_control_characters(data)
    report = AnnualReport.objects.select_for_update().filter(studio=studio, year=year).first()
    created = report is None
    if created:
        report = AnnualReport(studio=studio, year=year, created_by=by)
        before = None
    else:
        if not report.is_editable:
            raise ValidationError(f"报告当前状态为「{report.get_status_display()}」，不能修改。")
        before = _snapshot(report, report.landmarks.values_list("pk", flat=True))
    for name, value in data.items():
        setattr(report, name, value)
    report.full_clean(exclude=["studio", "created_by"], validate_unique=False, validate_constraints=False)
    ids = _clean_landmarks(studio.pk, year, landmarks) if landmarks is not None else None
    report.save()
    if ids is not None:
        report.landmarks.set(ids)
    after_ids = ids if ids is not None else list(report.landmarks.values_list("pk", flat=True))
    log_action(
        actor=by,
        action="annual.report.created" if created else "annual.report.updated",
        obj=report,
        before=before,
        after=_snapshot(report, after_ids),
    )
    return report


def _require_complete(report):
    missing = [
        str(AnnualReport._meta.get_field(f).verbose_name) for f in NARRATIVE_FIELDS if not getattr(report, f).strip()
    ]
    if missing:
        raise ValidationError(f"提交前请填写：{'、'.join(missing)}。")


@transaction.atomic
def submit_report(report, *, by, now=None):
    """Submit (or resubmit after a return) to the department. The first submission sets submitted_at and `late`
    (after due_date: accepted, marked 逾期提交); a resubmission keeps both."""
    require_write_access(by)
    studio = _lock_studio(report.studio_id)
    row = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if row.is_editable:
        _require_complete(row)
        if row.landmarks.exclude(pk__in=eligible_landmarks(studio.pk, row.year).values("pk")).exists():
            raise ValidationError("推荐的标志性成果中有已不再是本年度已确认成果的记录，请重新选择后再提交。")
    now = now or timezone.now()
    changes = {"last_submitted_at": now, "return_reason": ""}
    if row.submitted_at is None:
        changes.update(submitted_at=now, late=is_late(row.year, now))
    row = transition(row, ReportStatus.SUBMITTED, by=by, changes=changes)
    report.status, report.submitted_at, report.late = row.status, row.submitted_at, row.late
    return row


@transaction.atomic
def decide_report(report, target, *, by, note=""):
    """The reviewers' move: the department head checks (checked) or returns a submitted report; 教学工作部 receives
    (received) or returns a checked one. A return needs a reason (the workflow refuses it without one)."""
    require_write_access(by)
    _lock_studio(report.studio_id)
    row = AnnualReport.objects.get(pk=report.pk)
    target = str(target)
    now = timezone.now()
    if target == ReportStatus.CHECKED:
        changes = {"checked_by": by, "checked_at": now}
    elif target == ReportStatus.RECEIVED:
        changes = {"received_by": by, "received_at": now}
    elif target == ReportStatus.RETURNED:
        changes = {"return_reason": (note or "").strip()[: AnnualReport._meta.get_field("return_reason").max_length]}
    else:
        raise ValidationError("请选择办理意见。")
    row = transition(row, target, by=by, note=note, changes=changes)
    report.status = row.status
    return row


# --- computed tables ---------------------------------------------------------------------------------------------


def plan_vs_actual(studio_id, year):
    """[Cell] of plans.actuals.table for the studio and year (target, confirmed actual, waiting, rate, score)."""
    _indicators, cells = actuals.table([studio_id], year)
    return cells.get(studio_id, [])


def funds_summary(studio_id, year):
    """{"totals": {budget, confirmed, submitted, balance, available, rate}, "by_source": [rows]} of the studio-year,
    read through funds (the same sums as the funds pages)."""
    totals = studio_year_totals(studio_id, year)
    rows = totals_by(BudgetLine.objects.filter(studio_id=studio_id, year=year), "source")
    labels = dict(BudgetLine._meta.get_field("source").choices)
    by_source = [with_derived({**r, "label": str(labels.get(r["source"], r["source"]))}) for r in rows]
    return {"totals": totals, "by_source": by_source}
