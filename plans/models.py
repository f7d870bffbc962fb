from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel

from .enums import PlanKind, PlanStatus

# One bound for every target and default target: a number a studio could plausibly plan (人次 of social training are
# the largest figures, in the thousands); anything larger is a typing error and refused.
MAX_TARGET = Decimal("100000")
TARGET_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_TARGET)]
WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class IndicatorSet(TimestampedModel):
    """The indicator dictionary of one year (年度建设指标与考核指标), versioned by year like the policy parameters. The
    weights of its indicators sum to 100 (plans.services.save_indicator_set refuses otherwise)."""

    year = models.PositiveIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = BoundedTextField("修订说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "指标体系"
        verbose_name_plural = "指标体系"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度指标体系"


class Indicator(models.Model):
    """One 二级 indicator of a year's set. `computation` names the query in plans/indicators.py (REGISTRY) that
    computes its actual from the ledger; the rest is data the administrator edits."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators", verbose_name="指标体系"
    )
    key = models.SlugField("指标代码", max_length=40)
    group = models.CharField("一级指标", max_length=40)
    group_weight = models.DecimalField(
        "一级指标权重", max_digits=5, decimal_places=1, validators=WEIGHT_VALIDATORS, default=0
    )
    name = models.CharField("二级指标", max_length=60)
    unit = models.CharField("单位", max_length=20)
    computation = models.CharField("计算方式代码", max_length=40)
    computed_from = models.CharField("数据来源说明", max_length=200, blank=True)
    default_target = models.DecimalField(
        "默认目标值", max_digits=9, decimal_places=1, validators=TARGET_VALIDATORS, default=0
    )
    weight = models.DecimalField("权重", max_digits=5, decimal_places=1, validators=WEIGHT_VALIDATORS)
    level_weighted = models.BooleanField("按级别加权", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["indicator_set_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "key"], name="indicator_unique_key_per_set"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100),
                name="indicator_weight_0_100",
                violation_error_message="权重须在0至100之间。",
            ),
            models.CheckConstraint(
                condition=models.Q(default_target__gte=0, default_target__lte=MAX_TARGET),
                name="indicator_default_target_range",
                violation_error_message="默认目标值须在0至100000之间。",
            ),
        ]

    def __str__(self):
        return self.name


class Plan(TimestampedModel):
    """建设方案 (kind construction, a term of `term_years` from `year`) or 年度工作计划 (kind annual, for `year`) of one
    studio. Its status changes only through plans/workflow.py. An approved plan is locked: a change is a new version
    (`version` + 1, `supersedes` the approved one, `change_reason`) that goes through the same review."""

    studio = models.ForeignKey("studios.Studio", on_delete=models.PROTECT, related_name="plans", verbose_name="工作室")
    kind = models.CharField("类型", max_length=12, choices=PlanKind.choices)
    year = models.PositiveIntegerField(
        "年度（建设方案为起始年度）", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    term_years = models.PositiveSmallIntegerField(
        "建设期（年）", default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name="取代的版本",
        null=True,
        blank=True,
    )
    change_reason = BoundedTextField("变更原因", max_length=2000, blank=True)
    status = models.CharField(
        "状态", max_length=14, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, related_name="plans", verbose_name="指标体系"
    )
    goals = BoundedTextField("建设目标", max_length=5000, blank=True)
    expected_outputs = BoundedTextField("预期成果", max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="编制人"
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)

    class Meta:
        verbose_name = "建设方案/年度计划"
        verbose_name_plural = "建设方案/年度计划"
        ordering = ["studio_id", "kind", "-year", "-version"]
        indexes = [models.Index(fields=["year", "kind", "status"], name="plan_year_kind_status")]
        constraints = [
            models.UniqueConstraint(fields=["studio", "kind", "year", "version"], name="plan_unique_version"),
            models.CheckConstraint(
                condition=models.Q(version=1, supersedes__isnull=True)
                | (models.Q(version__gt=1, supersedes__isnull=False) & ~models.Q(change_reason="")),
                name="plan_version_supersedes_with_reason",
                violation_error_message="新版本须关联原版本并说明变更原因。",
            ),
        ]

    def __str__(self):
        label = PlanKind(self.kind).label
        if self.kind == PlanKind.CONSTRUCTION:
            span = f"{self.year}–{self.year + self.term_years - 1}年"
        else:
            span = f"{self.year}年"
        return f"{span}{label}（第{self.version}版）"

    @property
    def last_year(self):
        return self.year + self.term_years - 1


class PlanTask(models.Model):
    """A task of a plan: what, who (a member of the studio), by when, with what expected output."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="方案")
    title = models.CharField("任务", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="负责人"
    )
    due_on = models.DateField("完成期限")
    expected_output = models.CharField("预期产出", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "方案任务"
        verbose_name_plural = "方案任务"
        ordering = ["plan_id", "order", "id"]

    def __str__(self):
        return self.title


class PlanTarget(models.Model):
    """The plan's target for one indicator of its year's set (default: the indicator's default target)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name="方案")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name="指标")
    target = models.DecimalField("目标值", max_digits=9, decimal_places=1, validators=TARGET_VALIDATORS)

    class Meta:
        verbose_name = "指标目标"
        verbose_name_plural = "指标目标"
        ordering = ["plan_id", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="plan_target_unique_indicator"),
            models.CheckConstraint(
                condition=models.Q(target__gte=0, target__lte=MAX_TARGET),
                name="plan_target_range",
                violation_error_message="目标值须在0至100000之间。",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.target}"
