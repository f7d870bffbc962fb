"""Writes of 推荐申报. Each takes `by=`, runs in one transaction, checks the permission (recommendations.permissions)
and leaves an audit event; status changes go through core.workflow.transition (recommendations/workflow.py).

At submission the check results are frozen into `snapshot` (later changes of the data do not rewrite what was
submitted): every 需人工核实 line needs the submitter's confirmation note, and any 未满足 line an explanation. An
approval raises the studio's level through studios.services.set_level in the same transaction when it is higher.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import log_action
from core.forms import clean_text
from core.workflow import transition
from people.enums import level_rank
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import set_level

from .checking import check_studio, tally
from .enums import RecommendationStatus as S
from .enums import TargetLevel, Verdict
from .models import Recommendation
from .permissions import is_organiser

CONFIRM_MAX = 200
DUPLICATE = "该工作室{year}年已有{level}推荐申报（未撤回），不能重复推荐。"


def _require_organiser(by):
    if not is_organiser(by):
        raise PermissionDenied("只有发展改革研究室可以办理推荐申报。")


def _level(level):
    if level not in TargetLevel.values:
        raise ValidationError({"level": "请选择申报级别（市级、省级或国家级）。"})
    return level


def _year(year, field="year", label="申报年度"):
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({field: f"请填写{label}。"}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({field: f"{label}须在2000至2100之间。"})
    return year


def _duplicate(studio_id, level, year, exclude=None):
    rows = Recommendation.objects.filter(studio_id=studio_id, level=level, year=year).exclude(status=S.WITHDRAWN)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    if rows.exists():
        raise ValidationError({"studio": DUPLICATE.format(year=year, level=TargetLevel(level).label)})


def _save(rec, studio_id, level, year, **kwargs):
    try:
        with transaction.atomic():
            rec.save(**kwargs)
    except IntegrityError:
        raise ValidationError({"studio": DUPLICATE.format(year=year, level=TargetLevel(level).label)}) from None


def create_recommendation(*, by, studio, level, year, reason):
    """发改室 starts a 推荐申报 (草稿) of an active studio for `level` and `year`."""
    _require_organiser(by)
    level = _level(level)
    year = _year(year)
    reason = clean_text(reason, "reason", "推荐理由", max_length=4000)
    with transaction.atomic():
        locked = Studio.objects.select_for_update().filter(pk=getattr(studio, "pk", studio)).first()
        if locked is None or locked.status != StudioStatus.ACTIVE:
            raise ValidationError({"studio": "只有运行中的工作室可以推荐申报。"})
        if level_rank(locked.level) >= level_rank(level):
            raise ValidationError(
                {"level": f"该工作室已是{locked.get_level_display()}，不能再推荐为{TargetLevel(level).label}。"}
            )
        _duplicate(locked.pk, level, year)
        rec = Recommendation(studio=locked, level=level, year=year, reason=reason, created_by=by)
        _save(rec, locked.pk, level, year)
        log_action(
            actor=by,
            action="recommendations.recommendation.created",
            obj=rec,
            after={"studio": locked.pk, "level": level, "year": year},
        )
    return rec


def _lock(rec):
    return Recommendation.objects.select_for_update().select_related("studio").get(pk=getattr(rec, "pk", rec))


def update_draft(rec, *, by, level, year, reason):
    """发改室 edits a 草稿: level, year, reason."""
    _require_organiser(by)
    level = _level(level)
    year = _year(year)
    reason = clean_text(reason, "reason", "推荐理由", max_length=4000)
    with transaction.atomic():
        locked = _lock(rec)
        if locked.status != S.DRAFT:
            raise ValidationError(f"推荐申报当前为「{locked.get_status_display()}」，只能修改草稿。")
        if level_rank(locked.studio.level) >= level_rank(level):
            raise ValidationError({"level": f"该工作室已是{locked.studio.get_level_display()}，不能再推荐为该级别。"})
        _duplicate(locked.studio_id, level, year, exclude=locked.pk)
        before = {"level": locked.level, "year": locked.year, "reason": locked.reason}
        locked.level, locked.year, locked.reason = level, year, reason
        _save(locked, locked.studio_id, level, year, update_fields=["level", "year", "reason", "updated_at"])
        log_action(
            actor=by,
            action="recommendations.recommendation.changed",
            obj=locked,
            before=before,
            after={"level": level, "year": year, "reason": reason},
        )
    return locked


def submit(rec, *, by, confirmations=None, explanation="", note=""):
    """推荐上报: the check is run now and frozen with the submitter's confirmations. `confirmations`:
    {requirement_id: note} for every 需人工核实 line; `explanation` is required when a line is 未满足."""
    _require_organiser(by)
    confirmations = {str(k): v for k, v in (confirmations or {}).items()}
    note = clean_text(note, "note", "说明", required=False)
    with transaction.atomic():
        locked = _lock(rec)
        if locked.status != S.DRAFT:
            raise ValidationError(f"推荐申报当前为「{locked.get_status_display()}」，不能上报。")
        lines = check_studio(locked.studio_id, locked.level)
        if not lines:
            raise ValidationError("该级别的推荐申报条件尚未设置，请先维护推荐申报条件。")
        missing = []
        for line in lines:
            if line["verdict"] == Verdict.MANUAL:
                given = clean_text(
                    confirmations.get(str(line["requirement_id"]), ""),
                    f"confirm_{line['requirement_id']}",
                    f"{line['label']}的核实说明",
                    required=False,
                    max_length=CONFIRM_MAX,
                )
                if not given:
                    missing.append(line["label"])
                line["confirmation"] = given
        if missing:
            raise ValidationError({"confirmations": f"请逐项填写需人工核实的条件的核实说明：{'、'.join(missing)}。"})
        counts = tally(lines)
        explanation = clean_text(explanation, "explanation", "未满足条件的说明", required=bool(counts[Verdict.UNMET]),
                            max_length=2000)  # fmt: skip
        if not counts[Verdict.UNMET]:
            explanation = ""
        snapshot = {
            "checked_at": timezone.now().isoformat(timespec="seconds"),
            "checked_by": by.display_name,
            "level": locked.level,
            "lines": lines,
            "counts": counts,
            "explanation": explanation,
        }
        return transition(
            locked,
            S.SUBMITTED,
            by=by,
            note=note,
            changes={"snapshot": snapshot, "submitted_at": timezone.now(), "unmet_explanation": explanation},
            audit_extra={"counts": counts},
        )


def withdraw(rec, *, by, reason):
    _require_organiser(by)
    reason = clean_text(reason, "reason", "撤回理由")
    with transaction.atomic():
        return transition(_lock(rec), S.WITHDRAWN, by=by, note=reason)


def record_outcome(rec, *, by, approved, level=None, year=None, document="", on=None, note=""):
    """登记结果. Approved: level (default the one asked for), year, 文件文号 and date are required; the studio's level is
    raised in the same transaction when the approved level is higher. Not approved: a note is required."""
    _require_organiser(by)
    with transaction.atomic():
        locked = _lock(rec)
        if not approved:
            note = clean_text(note, "note", "未获批说明", max_length=2000)
            return transition(locked, S.NOT_APPROVED, by=by, note=note, changes={"outcome_note": note})
        level = _level(level or locked.level)
        year = _year(year, "outcome_year", "获批年度")
        document = clean_text(document, "outcome_document", "文件文号", max_length=100)
        note = clean_text(note, "note", "说明", required=False, max_length=2000)
        if not isinstance(on, dt.date):
            raise ValidationError({"outcome_on": "请填写获批日期。"})
        if on > timezone.localdate():
            raise ValidationError({"outcome_on": "获批日期不能晚于今天。"})
        moved = transition(
            locked,
            S.APPROVED,
            by=by,
            note=note,
            changes={
                "outcome_level": level,
                "outcome_year": year,
                "outcome_document": document,
                "outcome_on": on,
                "outcome_note": note,
            },
        )
        studio = Studio.objects.get(pk=locked.studio_id)
        if level_rank(level) > level_rank(studio.level):
            set_level(studio, by=by, level=level, reason=f"{locked}获批（{document}）")
        return moved
