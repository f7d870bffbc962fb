from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from ..validators import validate_credit_code, validate_record_date


class Enterprise(TimestampedModel):
    """合作企业 registry kept by 校企办 (R2): only a partner with a valid agreement and high industry influence can
    supply external studio members."""

    name = models.CharField("企业名称", max_length=200, unique=True, error_messages={"unique": "该企业已登记。"})
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已登记。"},
    )
    industry = models.CharField("所属行业", max_length=100, blank=True)
    majors = models.ManyToManyField(
        "accounts.Major", blank=True, related_name="partner_enterprises", verbose_name="合作专业"
    )
    is_partner = models.BooleanField("合作企业", default=False)
    agreement_start = models.DateField("合作协议开始日期", null=True, blank=True, validators=[validate_record_date])
    agreement_end = models.DateField("合作协议结束日期", null=True, blank=True, validators=[validate_record_date])
    agreement_file = models.FileField(
        "合作协议",
        upload_to=protected_upload_to("people/agreements"),
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    agreement_file_name = models.CharField("合作协议原文件名", max_length=200, blank=True)
    high_influence = models.BooleanField("具有较高行业影响力", default=False)
    influence_reason = BoundedTextField("行业影响力评估理由", max_length=2000, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "合作企业"
        verbose_name_plural = "合作企业"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement_end__isnull=True)
                | models.Q(agreement_start__isnull=True)
                | models.Q(agreement_end__gte=models.F("agreement_start")),
                name="enterprise_agreement_end_not_before_start",
                violation_error_message="合作协议结束日期不能早于开始日期。",
            )
        ]

    def __str__(self):
        return self.name

    def agreement_valid_on(self, on: date) -> bool:
        return bool(
            self.agreement_start
            and self.agreement_start <= on
            and (self.agreement_end is None or on <= self.agreement_end)
        )

    def supply_problems(self, on: date | None = None) -> list[str]:
        """Why this enterprise cannot supply studio members on `on` (empty list: it can)."""
        on = on or date.today()
        problems = []
        if not self.is_partner:
            problems.append(f"「{self.name}」未登记为学校合作企业")
        if not self.agreement_valid_on(on):
            problems.append(f"「{self.name}」在{on:%Y-%m-%d}没有有效的合作协议")
        if not self.high_influence:
            problems.append(f"「{self.name}」未经校企办评估为具有较高行业影响力")
        return problems

    def can_supply_members(self, on: date | None = None) -> bool:
        """R2: a partner with an agreement valid on `on` and assessed as having high industry influence."""
        return not self.supply_problems(on)


class ExternalAffiliation(TimestampedModel):
    """An external studio member (校外人员): a User with is_external=True plus this row naming their enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affiliation",
        limit_choices_to={"is_external": True},
        verbose_name="校外人员",
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="affiliations", verbose_name="所在企业"
    )
    position = models.CharField("职务/岗位", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "校外人员所在企业"
        verbose_name_plural = "校外人员所在企业"
        ordering = ["enterprise__name", "user__username"]

    def __str__(self):
        return f"校外人员 #{self.user_id} @ 企业 #{self.enterprise_id}"

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.core.exceptions import ValidationError

        if self.user_id and not get_user_model().objects.filter(pk=self.user_id, is_external=True).exists():
            raise ValidationError({"user": "只能为校外人员登记所在企业。"})
