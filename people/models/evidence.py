from django.conf import settings
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from ..enums import HonorLevel, HonorRank, WorkKind
from ..validators import validate_record_date


class WorkPeriod(TimestampedModel):
    """企业工作经历 / 企业实践: a period in an enterprise (R5). Overlapping periods are counted once by the rules."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_periods", verbose_name="教职工"
    )
    kind = models.CharField("类型", max_length=10, choices=WorkKind.choices)
    enterprise_name = models.CharField("企业名称", max_length=200)
    position = models.CharField("岗位/职务", max_length=100, blank=True)
    start = models.DateField("开始日期", validators=[validate_record_date])
    end = models.DateField("结束日期", validators=[validate_record_date])
    description = BoundedTextField("工作内容", max_length=2000, blank=True)
    proof = models.FileField(
        "证明材料",
        upload_to=protected_upload_to("people/work"),
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    proof_name = models.CharField("证明材料原文件名", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业工作/实践经历"
        verbose_name_plural = "企业工作/实践经历"
        ordering = ["user_id", "-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="workperiod_end_not_before_start",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.enterprise_name}（{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}）"


class HonorKind(TimestampedModel):
    """荣誉/奖项类别: an editable dictionary. `code` is stable and used by the policy's honour rules."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    has_rank = models.BooleanField("有奖项等次", default=False, help_text="竞赛类奖项有一等奖、二等奖等等次。")
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "荣誉/奖项类别"
        verbose_name_plural = "荣誉/奖项类别"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Honor(TimestampedModel):
    """荣誉/奖项 (R6). Counts for eligibility only with an uploaded certificate."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="honors", verbose_name="教职工"
    )
    kind = models.ForeignKey(HonorKind, on_delete=models.PROTECT, related_name="honors", verbose_name="类别")
    title = models.CharField("荣誉/奖项名称", max_length=200, help_text="如：2024年重庆市职业院校技能大赛数控车项目")
    level = models.CharField("级别", max_length=10, choices=HonorLevel.choices)
    rank = models.CharField("等次", max_length=10, choices=HonorRank.choices, blank=True)
    date = models.DateField("获得日期", validators=[validate_record_date])
    issuer = models.CharField("颁发单位", max_length=200)
    certificate = models.FileField(
        "证书",
        upload_to=protected_upload_to("people/honors"),
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    certificate_name = models.CharField("证书原文件名", max_length=200, blank=True)
    # Shown on the public showcase (成果展示) only when set — by the holder or his department head through
    # showcase.services.set_honor_public (audited); never public by default.
    is_public = models.BooleanField("在成果展示页公开", default=False)

    class Meta:
        verbose_name = "荣誉/奖项"
        verbose_name_plural = "荣誉/奖项"
        ordering = ["user_id", "-date", "id"]

    def __str__(self):
        rank = self.get_rank_display() if self.rank else ""
        return f"{self.get_level_display()}{self.title}{rank}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.kind_id:
            return
        has_rank = HonorKind.objects.filter(pk=self.kind_id).values_list("has_rank", flat=True).first()
        if has_rank and not self.rank:
            raise ValidationError({"rank": "该类别的奖项须选择等次（如一等奖）。"})
        if has_rank is False and self.rank:
            raise ValidationError({"rank": "该类别的荣誉没有等次，请留空。"})

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate)
