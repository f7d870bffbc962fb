from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from core.fields import BoundedTextField
from core.models import TimestampedModel

from ..enums import CallStatus


class Rubric(TimestampedModel):
    """专家评分标准: weighted criteria, each with a score range."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = BoundedTextField("说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"
        ordering = ["name"]

    def __str__(self):
        return self.name


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name="评分标准")
    code = models.SlugField("代码", max_length=30)
    label = models.CharField("评分项", max_length=100)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)])
    min_score = models.PositiveSmallIntegerField("最低分", default=0)
    max_score = models.PositiveSmallIntegerField("最高分", default=10)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["rubric_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="rubric_criterion_unique_code"),
            models.CheckConstraint(
                condition=models.Q(max_score__gt=models.F("min_score")),
                name="rubric_criterion_range",
                violation_error_message="最高分必须大于最低分。",
            ),
        ]

    def __str__(self):
        return f"{self.label}（{self.min_score}–{self.max_score}分，权重{self.weight}）"


class Call(TimestampedModel):
    """申报批次: a yearly call teaching affairs opens and closes; submissions only inside its window."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("批次名称", max_length=200)
    opens_at = models.DateTimeField("开始申报时间")
    closes_at = models.DateTimeField("截止申报时间")
    policy_year = models.PositiveSmallIntegerField(
        "适用政策年度", help_text="按该年度生效的政策参数审核（年龄、人数、公示天数等）。"
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="calls", verbose_name="专家评分标准")
    status = models.CharField("状态", max_length=20, choices=CallStatus.choices, default=CallStatus.PLANNED)
    blind_review = models.BooleanField("匿名评审", default=False, help_text="评审专家看不到申报人身份。")
    experts_see_scores = models.BooleanField("专家可见他人评分", default=False)
    review_deadline = models.DateTimeField(
        "专家评审截止时间", null=True, blank=True, help_text="显示在专家的评分页和待评审列表上。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_window_order",
                violation_error_message="截止时间必须晚于开始时间。",
            )
        ]

    def __str__(self):
        return self.title

    def accepting(self, at=None):
        """True while applications may be submitted: opened by teaching affairs and inside the window."""
        at = at or timezone.now()
        return self.status == CallStatus.OPEN and self.opens_at <= at <= self.closes_at

    def window_message(self, at=None):
        at = at or timezone.now()
        if self.status != CallStatus.OPEN:
            return f"申报批次「{self.title}」{self.get_status_display()}，不能提交申报。"
        if at < self.opens_at:
            return f"申报尚未开始（{timezone.localtime(self.opens_at):%Y-%m-%d %H:%M} 开始）。"
        if at > self.closes_at:
            return f"申报已于 {timezone.localtime(self.closes_at):%Y-%m-%d %H:%M} 截止。"
        return ""
