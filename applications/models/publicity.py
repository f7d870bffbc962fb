from django.conf import settings
from django.db import models
from django.utils import timezone

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from ..enums import ObjectionOutcome, ObjectionStatus


class WorkdayOverride(TimestampedModel):
    """Admin-editable correction of the holiday calendar; wins over chinese-calendar for that date."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    reason = models.CharField("说明", max_length=200)

    class Meta:
        verbose_name = "节假日/调休校正"
        verbose_name_plural = "节假日/调休校正"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}"


class Publicity(TimestampedModel):
    """公示: the proposed list published inside the school; the end is computed from the policy and the calendar."""

    call = models.ForeignKey(
        "applications.Call", on_delete=models.PROTECT, related_name="publicities", verbose_name="申报批次"
    )
    title = models.CharField("公示标题", max_length=200)
    body = BoundedTextField("公示说明", max_length=5000, blank=True)
    starts_at = models.DateTimeField("公示开始")
    ends_at = models.DateTimeField("公示结束")
    days = models.PositiveSmallIntegerField("公示天数")
    working_days = models.BooleanField("按工作日计算")
    calendar_warning = BoundedTextField("日历提示", max_length=2000, blank=True)
    # 补登: a start earlier than the moment of publishing leaves staff less (or no) time to object; it needs a reason
    # and is flagged for the discipline office (issue 9 item 5).
    backdated = models.BooleanField("开始时间早于发布时间（补登）", default=False)
    backdate_reason = BoundedTextField("补登原因", max_length=1000, blank=True)
    # Every staff member is told once when the window opens (services.publicity.announce_publicity).
    announced_at = models.DateTimeField("已通知全体教职工", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发布人"
    )

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at

    def has_ended(self, at=None):
        return (at or timezone.now()) >= self.ends_at

    @property
    def period_text(self):
        """The one way a publicity period reads (pages, lists, PDF notice, approval form)."""
        from ..calendar import period_text

        return period_text(self.starts_at, self.ends_at, self.days, self.working_days)


class Objection(TimestampedModel):
    """异议: named, with content and evidence, lodged during the window; teaching affairs investigates and resolves."""

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections", verbose_name="公示")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="objections", verbose_name="被异议申报"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="异议人"
    )
    content = BoundedTextField("异议内容", max_length=5000)
    evidence = models.FileField(
        "证据材料", upload_to=protected_upload_to("objections"), validators=[validate_upload], blank=True
    )
    status = models.CharField("处理状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    investigation_started_at = models.DateTimeField("开始调查时间", null=True, blank=True)
    investigation_evidence = models.FileField(
        "调查材料",
        upload_to=protected_upload_to("objections/investigation"),
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    investigation_evidence_name = models.CharField("调查材料原文件名", max_length=200, blank=True)
    findings = BoundedTextField("调查结论", max_length=5000, blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=ObjectionOutcome.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="处理人",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"异议 #{self.pk}"
