"""Writes of the application process's settings (系统管理): review rubrics and the holiday override table used by
applications.calendar. 教学工作部 (who runs calls and publicity) and the system administrator keep them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, may_write_as
from core.audit import log_action

from ..enums import CallStatus
from ..models import Call, Rubric, RubricCriterion, WorkdayOverride

SETTINGS_WRITERS = (Role.TEACHING_AFFAIRS, Role.ADMIN)
RUBRIC_FIELDS = ("name", "description")
CRITERION_FIELDS = ("code", "label", "weight", "min_score", "max_score", "order")
OVERRIDE_FIELDS = ("date", "is_workday", "reason")


class SettingsPolicy(ObjectPolicy):
    """Rubric, RubricCriterion, WorkdayOverride: every internal user reads them (scores and publicity dates are
    computed from them); teaching affairs and admin change them."""

    def visible(self, user, queryset):
        return queryset if not user.is_external or has_role(user, Role.EXPERT) else queryset.none()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return True
        return may_write_as(user, *SETTINGS_WRITERS)


def _require_writer(by):
    if not may_write_as(by, *SETTINGS_WRITERS):
        raise PermissionDenied("只有教学工作部或系统管理员可以维护评审与公示设置。")


def _snapshot(obj, fields):
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _refuse_control_characters(data):
    for name, value in data.items():
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})


def rubric_in_use(rubric) -> bool:
    """A rubric of a call that has opened is what experts score by: changing it would change submitted totals."""
    return Call.objects.filter(rubric=rubric).exclude(status=CallStatus.PLANNED).exists()


def _require_rubric_editable(rubric):
    if rubric.pk and rubric_in_use(rubric):
        raise ValidationError("该评分标准已用于开放过的申报批次，不能再修改；请新建一份评分标准。")


def _save(obj, *, by, data, fields, action, duplicate_message):
    _refuse_control_characters(data)
    created = obj.pk is None
    before = None if created else _snapshot(obj, fields)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(duplicate_message) from None
    log_action(
        actor=by,
        action=f"{action}.{'created' if created else 'changed'}",
        obj=obj,
        before=before,
        after=_snapshot(obj, fields),
    )
    return obj


@transaction.atomic
def save_rubric(rubric=None, *, by, data):
    _require_writer(by)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk) if rubric is not None and rubric.pk else Rubric()
    _require_rubric_editable(rubric)
    return _save(
        rubric,
        by=by,
        data=data,
        fields=RUBRIC_FIELDS,
        action="applications.rubric",
        duplicate_message="已有同名的评分标准。",
    )


@transaction.atomic
def save_criterion(criterion=None, *, by, rubric, data):
    """Add a criterion to `rubric` or change one of its criteria (not once the rubric is in use)."""
    _require_writer(by)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    _require_rubric_editable(rubric)
    if criterion is not None and criterion.pk:
        criterion = RubricCriterion.objects.select_for_update().get(pk=criterion.pk, rubric=rubric)
    else:
        criterion = RubricCriterion(rubric=rubric)
    if data.get("weight") is not None and data["weight"] <= 0:
        raise ValidationError({"weight": "权重必须大于 0。"})
    return _save(
        criterion,
        by=by,
        data=data,
        fields=CRITERION_FIELDS,
        action="applications.rubric_criterion",
        duplicate_message="该评分标准中已有相同代码的评分项。",
    )


@transaction.atomic
def delete_criterion(criterion, *, by):
    _require_writer(by)
    criterion = RubricCriterion.objects.select_for_update().select_related("rubric").get(pk=criterion.pk)
    _require_rubric_editable(criterion.rubric)
    log_action(
        actor=by,
        action="applications.rubric_criterion.deleted",
        obj=criterion,
        before=_snapshot(criterion, CRITERION_FIELDS),
    )
    criterion.delete()


@transaction.atomic
def save_workday_override(override=None, *, by, data):
    """Enter or correct one day of the holiday calendar (wins over the official schedule for that date)."""
    _require_writer(by)
    if override is not None and override.pk:
        override = WorkdayOverride.objects.select_for_update().get(pk=override.pk)
    else:
        override = WorkdayOverride()
    return _save(
        override,
        by=by,
        data=data,
        fields=OVERRIDE_FIELDS,
        action="applications.workday_override",
        duplicate_message="该日期已有校正记录，请直接修改那一条。",
    )


@transaction.atomic
def delete_workday_override(override, *, by):
    _require_writer(by)
    override = WorkdayOverride.objects.select_for_update().get(pk=override.pk)
    log_action(
        actor=by,
        action="applications.workday_override.deleted",
        obj=override,
        before=_snapshot(override, OVERRIDE_FIELDS),
    )
    override.delete()
