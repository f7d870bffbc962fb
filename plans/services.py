"""Writes of the plans app. Each takes `by=` the acting user, runs in one transaction and leaves an audit event;
plan status changes only through core.workflow.transition() (plans/workflow.py). A revoked studio's plans are
read-only: every plan write calls studios.services.ensure_writable after locking the studio."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.enums import Role
from accounts.permissions import can, may_write_as, require_write_access
from core.audit import log_action
from core.workflow import WorkflowError, transition
from studios.freeze import ensure_year_open
from studios.models import Membership, Studio
from studios.services import ensure_writable

from . import workflow
from .defaults import indicator_rows
from .enums import EDITABLE_STATES, PlanKind, PlanStatus
from .indicators import REGISTRY
from .models import MAX_TARGET, Indicator, IndicatorSet, Plan, PlanTarget, PlanTask

LOCKED_MESSAGE = "该方案已批准并锁定，不能修改。如需调整，请您创建新版本并说明变更原因。"
REVIEW_MESSAGE = "该方案正在审核中，不能修改。如需修改，请审核人退回后再编辑。"
INDICATOR_FIELDS = (
    "key", "group", "group_weight", "name", "unit", "computation", "computed_from", "default_target", "weight",
    "level_weighted", "order",
)  # fmt: skip
PLAN_FIELDS = ("goals", "expected_outputs", "term_years")
PLAN_FIELD_LABELS = {"goals": "建设目标", "expected_outputs": "预期成果", "term_years": "建设期（年）"}
DEFAULT_TERM_YEARS = 3
MAX_TASKS = 100


# --- indicator dictionary ------------------------------------------------------------------------------------------


def _require_admin(by):
    if not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以维护指标体系。")


def check_weights(rows):
    """Refuse (ValidationError, Chinese) a set whose weights do not sum to 100."""
    total = sum((Decimal(r["weight"]) for r in rows), Decimal(0))
    if total != Decimal(100):
        raise ValidationError(f"同一年度各指标的权重之和须为100，当前为{total.normalize():f}。")


def save_indicator_set(indicator_set, *, by, rows, note=None):
    """Replace the indicators of one year's set with `rows` (dicts of Indicator fields, an "id" for an existing row).
    All rows are validated first; weights must sum to 100 and each computation must be known; nothing is saved
    otherwise. Indicators a plan already targets cannot be removed."""
    _require_admin(by)
    with transaction.atomic():
        indicator_set = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
        existing = {i.pk: i for i in indicator_set.indicators.all()}
        before = [_indicator_dict(i) for i in existing.values()]
        errors, keep, new = [], set(), []
        keys = set()
        for line, row in enumerate(rows, 1):
            pk = row.get("id")
            if pk and pk not in existing:
                errors.append(f"第{line}行：指标不属于该年度。")
                continue
            indicator = existing[pk] if pk else Indicator(indicator_set=indicator_set)
            for name in INDICATOR_FIELDS:
                if name in row:
                    setattr(indicator, name, row[name])
            if indicator.computation not in REGISTRY:
                errors.append(f"第{line}行：计算方式「{indicator.computation}」不存在。")
            if indicator.key in keys:
                errors.append(f"第{line}行：指标代码「{indicator.key}」重复。")
            keys.add(indicator.key)
            try:
                indicator.full_clean(exclude=["indicator_set"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.extend(f"第{line}行：{m}" for m in exc.messages)
            (keep.add(pk) if pk else None)
            new.append(indicator)
        if errors:
            raise ValidationError(errors)
        check_weights([{"weight": i.weight} for i in new])
        removed = set(existing) - keep
        if removed and PlanTarget.objects.filter(indicator_id__in=removed).exists():
            raise ValidationError("已有方案为该指标设定了目标，不能删除；可将其权重改为0。")
        Indicator.objects.filter(pk__in=removed).delete()
        # Keys are unique per set: move the kept rows' keys aside first so a swap of two keys does not collide.
        for indicator in new:
            if indicator.pk:
                Indicator.objects.filter(pk=indicator.pk).update(key=f"~{indicator.pk}")
        for indicator in new:
            indicator.save()
        if note is not None:
            indicator_set.note = note
            indicator_set.save(update_fields=["note", "updated_at"])
        log_action(
            actor=by,
            action="plans.indicator_set.changed",
            obj=indicator_set,
            before={"indicators": before},
            after={"indicators": [_indicator_dict(i) for i in new]},
        )
    return indicator_set


def _indicator_dict(indicator):
    return {name: str(getattr(indicator, name)) for name in INDICATOR_FIELDS}


def create_indicator_set(*, by, year, source=None):
    """Start the set of `year` as a copy of `source` (or of the starting dictionary)."""
    _require_admin(by)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("年度须在2000至2100之间。")
    rows = (
        [{name: getattr(i, name) for name in INDICATOR_FIELDS} for i in source.indicators.all()]
        if source is not None
        else list(indicator_rows())
    )
    check_weights(rows)
    try:
        with transaction.atomic():
            indicator_set = IndicatorSet.objects.create(year=year, note=f"由{source.year}年度复制" if source else "")
            Indicator.objects.bulk_create(Indicator(indicator_set=indicator_set, **row) for row in rows)
            log_action(actor=by, action="plans.indicator_set.created", obj=indicator_set, after={"year": year})
    except IntegrityError:
        raise ValidationError(f"{year}年度的指标体系已经存在。") from None
    return indicator_set


def start_indicator_set(*, by, year):
    """Start the set of `year` as a copy of the newest earlier year's set (the page 「新建年度指标体系」 and the API)."""
    source = IndicatorSet.objects.filter(year__lt=year).order_by("-year").first()
    return create_indicator_set(by=by, year=year, source=source)


def indicator_set_for(year):
    """The set in force for `year`: that year's, else the newest earlier one; None if there is none."""
    return IndicatorSet.objects.filter(year__lte=year).order_by("-year").first()


# --- plans ----------------------------------------------------------------------------------------------------------


def _lock_studio(studio_id, year=None):
    """Lock and re-read the studio, refuse a revoked studio and (with `year`) an archived studio-year (studios.freeze)."""
    studio = Studio.objects.select_for_update().get(pk=studio_id)
    ensure_writable(studio)
    if year is not None:
        ensure_year_open(studio, year)
    return studio


def _require_member(by, studio):
    require_write_access(by)
    if not can(by, "record", studio):
        raise PermissionDenied("只有本工作室的技能大师或成员可以编制方案。")


def create_plan(studio, *, by, kind, year, term_years=None):
    """A new draft 建设方案 or 年度工作计划 with the targets defaulted from the year's indicator set."""
    if kind not in PlanKind.values:
        raise ValidationError("方案类型无效。")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("年度无效。") from None
    if not 2000 <= year <= 2100:
        raise ValidationError("年度须在2000至2100之间。")
    term_years = DEFAULT_TERM_YEARS if kind == PlanKind.CONSTRUCTION and term_years is None else (term_years or 1)
    if kind == PlanKind.ANNUAL:
        term_years = 1
    if not 1 <= int(term_years) <= 5:
        raise ValidationError("建设期须为1至5年。")
    with transaction.atomic():
        studio = _lock_studio(studio.pk, year)
        _require_member(by, studio)
        indicator_set = indicator_set_for(year)
        if indicator_set is None:
            raise ValidationError(f"{year}年度还没有指标体系，请联系系统管理员。")
        if Plan.objects.filter(studio=studio, kind=kind, year=year).exists():
            raise ValidationError(f"该工作室{year}年度的{PlanKind(kind).label}已经存在，请在原方案上修改或创建新版本。")
        plan = Plan.objects.create(
            studio=studio, kind=kind, year=year, term_years=term_years, indicator_set=indicator_set, created_by=by
        )
        PlanTarget.objects.bulk_create(
            PlanTarget(plan=plan, indicator=i, target=i.default_target) for i in indicator_set.indicators.all()
        )
        log_action(actor=by, action="plans.plan.created", obj=plan, after={"kind": kind, "year": year})
    return plan


def _parse_target(value, name):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"「{name}」的目标值应为数字。") from None
    if not number.is_finite() or number < 0 or number > MAX_TARGET:
        raise ValidationError(f"「{name}」的目标值须在0至{MAX_TARGET}之间。")
    if number != number.quantize(Decimal("0.1")):
        raise ValidationError(f"「{name}」的目标值最多保留一位小数。")
    return number


def update_plan(plan, *, by, data=None, targets=None, tasks=None):
    """Edit a draft or returned plan: `data` (goals, expected_outputs, term_years of a 建设方案), `targets`
    ({indicator_id: value}), `tasks` (a full list of {title, owner_id, due_on, expected_output}, replacing the old).
    Refused for a plan under review or approved (locked), and for a revoked studio."""
    data = data or {}
    with transaction.atomic():
        studio = _lock_studio(plan.studio_id, plan.year)
        plan = Plan.objects.select_for_update().select_related("indicator_set").get(pk=plan.pk)
        plan.studio = studio
        _require_member(by, studio)
        if plan.status not in EDITABLE_STATES:
            raise WorkflowError(
                LOCKED_MESSAGE if plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED) else REVIEW_MESSAGE,
                code="locked",
            )
        before = snapshot(plan)
        for name in ("goals", "expected_outputs"):
            if name in data:
                setattr(plan, name, data[name] or "")
        if "term_years" in data and plan.kind == PlanKind.CONSTRUCTION:
            plan.term_years = data["term_years"]
        plan.full_clean(
            exclude=["studio", "indicator_set", "created_by", "supersedes"],
            validate_constraints=False,
            validate_unique=False,
        )
        plan.save()
        if targets is not None:
            indicators = {i.pk: i for i in plan.indicator_set.indicators.all()}
            rows = {t.indicator_id: t for t in plan.targets.all()}
            for indicator_id, value in targets.items():
                indicator = indicators.get(int(indicator_id))
                if indicator is None:
                    raise ValidationError("指标不属于该方案的年度指标体系。")
                number = _parse_target(value, indicator.name)
                row = rows.get(indicator.pk)
                if row is None:
                    PlanTarget.objects.create(plan=plan, indicator=indicator, target=number)
                elif row.target != number:
                    PlanTarget.objects.filter(pk=row.pk).update(target=number)
        if tasks is not None:
            _replace_tasks(plan, studio, tasks)
        log_action(actor=by, action="plans.plan.changed", obj=plan, before=before, after=snapshot(plan))
    return plan


def _replace_tasks(plan, studio, tasks):
    if len(tasks) > MAX_TASKS:
        raise ValidationError(f"任务最多{MAX_TASKS}项。")
    members = set(Membership.objects.filter(studio=studio, left_on__isnull=True).values_list("user_id", flat=True)) | {
        studio.master_id
    }
    rows = []
    for line, task in enumerate(tasks, 1):
        if task.get("owner_id") not in members:
            raise ValidationError(f"第{line}项任务：负责人须为本工作室的现任成员。")
        row = PlanTask(
            plan=plan,
            title=(task.get("title") or "").strip(),
            owner_id=task["owner_id"],
            due_on=task.get("due_on"),
            expected_output=(task.get("expected_output") or "").strip(),
            order=line,
        )
        try:
            row.full_clean(exclude=["plan", "owner"])
        except ValidationError as exc:
            raise ValidationError([f"第{line}项任务：{m}" for m in exc.messages]) from None
        rows.append(row)
    plan.tasks.all().delete()
    PlanTask.objects.bulk_create(rows)


def move(plan, to, *, by, note=""):
    """Move the plan through its workflow. Review moves need a comment. Approving a new version marks the version it
    supersedes as superseded in the same transaction."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError("意见最多2000个字符。")
    try:
        to = PlanStatus(to)
    except ValueError:
        raise WorkflowError("目标状态无效。", code="illegal") from None
    with transaction.atomic():
        studio = _lock_studio(plan.studio_id, plan.year)
        current = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
        if (current, to) in workflow.COMMENT_REQUIRED and not note:
            raise ValidationError("请您填写审核意见。")
        changes = {"approved_on": _today()} if to == PlanStatus.APPROVED else None
        plan.studio = studio
        transition(plan, to, by=by, note=note, changes=changes)
        if to == PlanStatus.APPROVED and plan.supersedes_id:
            old = Plan.objects.select_related("studio").get(pk=plan.supersedes_id)
            transition(old, PlanStatus.SUPERSEDED, by=by, note=f"由第{plan.version}版取代")
    return plan


def _today():
    from django.utils import timezone

    return timezone.localdate()


def new_version(plan, *, by, reason):
    """A change to an approved plan: a copy (version + 1, supersedes it, with the reason) as a draft that goes through
    the same review. At most one newer version per plan (a database constraint: two at once, one wins)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请您说明变更原因。")
    if len(reason) > 2000:
        raise ValidationError("变更原因最多2000个字符。")
    try:
        with transaction.atomic():
            studio = _lock_studio(plan.studio_id, plan.year)
            _require_member(by, studio)
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            if plan.status != PlanStatus.APPROVED:
                raise WorkflowError("只有已批准的方案可以创建新版本。", code="state")
            if Plan.objects.filter(supersedes=plan).exists():
                raise WorkflowError("该方案已有一个新版本在办理中。", code="state")
            copy = Plan.objects.create(
                studio=studio,
                kind=plan.kind,
                year=plan.year,
                term_years=plan.term_years,
                version=plan.version + 1,
                supersedes=plan,
                change_reason=reason,
                indicator_set_id=plan.indicator_set_id,
                goals=plan.goals,
                expected_outputs=plan.expected_outputs,
                created_by=by,
            )
            PlanTarget.objects.bulk_create(
                PlanTarget(plan=copy, indicator_id=t.indicator_id, target=t.target) for t in plan.targets.all()
            )
            PlanTask.objects.bulk_create(
                PlanTask(
                    plan=copy,
                    title=t.title,
                    owner_id=t.owner_id,
                    due_on=t.due_on,
                    expected_output=t.expected_output,
                    order=t.order,
                )
                for t in plan.tasks.all()
            )
            log_action(
                actor=by,
                action="plans.plan.new_version",
                obj=copy,
                after={"supersedes": plan.pk, "version": copy.version},
                note=reason,
            )
    except IntegrityError:
        raise WorkflowError("该方案已有一个新版本在办理中。", code="concurrent") from None
    return copy


# --- what changed ---------------------------------------------------------------------------------------------------


def snapshot(plan):
    """The plan's content as plain values (audit before/after and the version diff)."""
    return {
        **{name: str(getattr(plan, name)) for name in PLAN_FIELDS},
        "targets": {str(t.indicator_id): str(t.target) for t in plan.targets.all()},
        "tasks": [f"{t.title}｜{t.owner_id}｜{t.due_on}｜{t.expected_output}" for t in plan.tasks.all()],
    }


def diff(old, new):
    """What changed from `old` to `new` (two versions of a plan): {"fields": [(label, before, after)], "targets":
    [(indicator, before, after)], "tasks_added": [...], "tasks_removed": [...]}. Both are read afresh."""
    old, new = Plan.objects.get(pk=old.pk), Plan.objects.get(pk=new.pk)
    fields = [
        (PLAN_FIELD_LABELS[name], str(getattr(old, name)), str(getattr(new, name)))
        for name in PLAN_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    before = {t.indicator_id: t for t in old.targets.select_related("indicator")}
    after = {t.indicator_id: t for t in new.targets.select_related("indicator")}
    targets = []
    for indicator_id in sorted(set(before) | set(after), key=lambda k: (before.get(k) or after.get(k)).indicator.order):
        b, a = before.get(indicator_id), after.get(indicator_id)
        if (b and b.target) != (a and a.target):
            indicator = (a or b).indicator
            targets.append((indicator.name, b.target if b else None, a.target if a else None))

    def task_line(t):
        return (t.title, t.owner.display_name, t.due_on, t.expected_output)

    old_tasks = [task_line(t) for t in old.tasks.select_related("owner")]
    new_tasks = [task_line(t) for t in new.tasks.select_related("owner")]
    return {
        "fields": fields,
        "targets": targets,
        "tasks_added": [t for t in new_tasks if t not in old_tasks],
        "tasks_removed": [t for t in old_tasks if t not in new_tasks],
    }


def approved_plan(studio_id, kind, year):
    """The approved plan of that kind in force for `year` (a 建设方案 whose term covers it), or None."""
    qs = Plan.objects.filter(studio_id=studio_id, kind=kind, status=PlanStatus.APPROVED)
    if kind == PlanKind.CONSTRUCTION:
        return qs.filter(year__lte=year).order_by("-year").select_related("studio").first()
    return qs.filter(year=year).first()


def ensure_indicator_set(year):
    """The starting dictionary for `year` if that year has no set (idempotent; the seed and the test reference data
    use it, like people.policy.ensure_policy_version)."""
    indicator_set, created = IndicatorSet.objects.get_or_create(
        year=year, defaults={"note": "初始指标体系（依据 docs/indicators.md）"}
    )
    if created:
        Indicator.objects.bulk_create(Indicator(indicator_set=indicator_set, **row) for row in indicator_rows())
    return indicator_set
