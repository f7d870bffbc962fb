from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.fields import BoundedTextField
from core.models import TimestampedModel

from ..enums import HonorLevel, HonorRank


class PolicyVersion(TimestampedModel):
    """《建设方案》 parameters in force from 1 January of `year` until the next version (DOMAIN §3 "Policy parameters").

    Editing next year's rules means adding a row for that year in the admin: no code change.
    """

    year = models.PositiveIntegerField(
        "生效年度",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="自该年1月1日起生效，直至下一个版本。",
    )
    school_name = models.CharField("学校名称", max_length=100, default="重庆市工业学校")
    master_max_age = models.PositiveSmallIntegerField("技能大师年龄上限（周岁，含）", default=45)
    enterprise_work_years = models.PositiveSmallIntegerField("企业工作经历年限（年）", default=3)
    practice_months = models.PositiveSmallIntegerField("企业实践累计月数（月）", default=3)
    min_core_teachers = models.PositiveSmallIntegerField("骨干教师最少人数", default=3)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=3)
    publicity_working_days = models.BooleanField("公示天数按工作日计算", default=True)
    annual_report_due_month = models.PositiveSmallIntegerField(
        "年度报告截止月", default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    annual_report_due_day = models.PositiveSmallIntegerField(
        "年度报告截止日", default=31, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    grade_excellent_min = models.DecimalField("优秀最低分", max_digits=5, decimal_places=1, default=90)
    grade_good_min = models.DecimalField("良好最低分", max_digits=5, decimal_places=1, default=80)
    grade_pass_min = models.DecimalField("合格最低分", max_digits=5, decimal_places=1, default=60)
    note = BoundedTextField("修订说明", max_length=2000, blank=True)
    history = HistoricalRecords()

    # Set on the unsaved fallback returned by people.policy.policy_in_force when no row covers a date.
    is_fallback = False

    class Meta:
        verbose_name = "政策参数版本"
        verbose_name_plural = "政策参数版本"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_excellent_min__gte=models.F("grade_good_min"))
                & models.Q(grade_good_min__gte=models.F("grade_pass_min")),
                name="policy_grade_thresholds_ordered",
                violation_error_message="等级分数线须满足：优秀 ≥ 良好 ≥ 合格。",
            )
        ]

    def __str__(self):
        return f"{self.year}年起施行的政策参数" if not self.is_fallback else "默认政策参数（未配置）"


class HonorRule(models.Model):
    """One qualifying honour rule of R6: `min_count` honours of `kind` at `min_level` or above (and `min_rank` or
    better, when set). Meeting any one rule of the policy version satisfies R6."""

    policy = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="honor_rules", verbose_name="政策版本"
    )
    kind = models.ForeignKey(
        "people.HonorKind", on_delete=models.PROTECT, related_name="rules", verbose_name="荣誉类别"
    )
    min_level = models.CharField("最低级别", max_length=10, choices=HonorLevel.choices, default=HonorLevel.CITY)
    min_rank = models.CharField("最低等次", max_length=10, choices=HonorRank.choices, blank=True)
    min_count = models.PositiveSmallIntegerField("最少次数", default=1, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "荣誉条件"
        verbose_name_plural = "荣誉条件"
        ordering = ["policy_id", "order", "id"]

    def __str__(self):
        rank = HonorRank(self.min_rank).label + "以上" if self.min_rank else ""
        return f"{HonorLevel(self.min_level).label}以上{rank}×{self.min_count}"
