"""推荐申报 (R22): a studio recommended upward (市级/省级/国家级) by 发改室, checked against a catalogue of requirements
kept as data (LevelRequirement, checkers in recommendations/checks.py), the check results frozen at submission, the
outcome recorded (an approval raises the studio's level through studios.services.set_level)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.fields import BoundedTextField
from core.models import TimestampedModel

from .checks import CHECKER_CHOICES, parameter_problem
from .enums import RecommendationStatus, TargetLevel


class LevelRequirement(TimestampedModel):
    """One line of the requirement catalogue of a target level. `checker` names a checker of checks.CHECKS; `number`
    and `choice` are its parameters (e.g. 带徒 ≥ number; recent grades: n = number, minimum grade = choice)."""

    level = models.CharField("申报级别", max_length=10, choices=TargetLevel.choices, db_index=True)
    order = models.PositiveSmallIntegerField("顺序", default=0, validators=[MaxValueValidator(999)])
    label = models.CharField("条件", max_length=200)
    checker = models.CharField("核验方式", max_length=40, choices=CHECKER_CHOICES)
    number = models.PositiveIntegerField("数值参数", null=True, blank=True, validators=[MaxValueValidator(1000)])
    choice = models.CharField("选项参数", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "推荐申报条件"
        verbose_name_plural = "推荐申报条件"
        ordering = ["level", "order", "id"]

    def __str__(self):
        return f"{self.get_level_display()}：{self.label}"

    def clean(self):
        problem = parameter_problem(self.checker, self.number, self.choice)
        if problem:
            raise ValidationError(problem)


class Recommendation(TimestampedModel):
    """推荐申报 of one studio for one level and year. Status changes only in recommendations/workflow.py."""

    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="recommendations", verbose_name="工作室"
    )
    level = models.CharField("申报级别", max_length=10, choices=TargetLevel.choices)
    year = models.PositiveIntegerField("申报年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    reason = BoundedTextField("推荐理由", max_length=4000)
    status = models.CharField(
        "状态", max_length=14, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    snapshot = models.JSONField("上报时核验结果", default=dict, blank=True)
    unmet_explanation = BoundedTextField("未满足条件的说明", max_length=2000, blank=True)
    outcome_level = models.CharField("获批级别", max_length=10, choices=TargetLevel.choices, blank=True)
    outcome_year = models.PositiveIntegerField(
        "获批年度", null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    outcome_document = models.CharField("文件文号", max_length=100, blank=True)
    outcome_on = models.DateField("获批日期", null=True, blank=True)
    outcome_note = BoundedTextField("结果说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "推荐申报"
        verbose_name_plural = "推荐申报"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["year", "id"], name="recommendation_year_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "level", "year"],
                condition=~Q(status=RecommendationStatus.WITHDRAWN),
                name="recommendation_once_per_level_year",
                violation_error_message="该工作室本年度已有同一级别的推荐申报（未撤回），不能重复推荐。",
            )
        ]

    def __str__(self):
        return f"{self.year}年{self.get_level_display()}推荐申报"

    @property
    def is_draft(self):
        return self.status == RecommendationStatus.DRAFT
