"""年度工作报告 (R19): by the end of January each year a studio submits the previous year's work report and its
landmark achievements. The narrative is typed; the plan-vs-actual and funds tables are computed (never stored).

Machine (annual/workflow.py): draft → submitted (master / contact) → checked (department head) → received
(教学工作部); submitted and checked may be returned with a reason; returned → submitted.
`submitted_at` is the FIRST submission (kept on resubmission); `late` says that first submission came after the
due date (annual.services.due_date) — accepted, shown as 逾期提交.

Reminder records each reminder sent by `manage.py send_reminders` (annual/reminders.py) so running twice sends
nothing new.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import BoundedTextField


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待系部审核）"
    CHECKED = "checked", "系部已审核（待教学工作部接收）"
    RECEIVED = "received", "已接收"
    RETURNED = "returned", "已退回修改"


MAX_LANDMARKS = 3


class AnnualReport(models.Model):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="annual_reports", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("报告年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    late = models.BooleanField("逾期提交", default=False)
    achievements_summary = BoundedTextField("完成情况", max_length=5000, blank=True)
    highlights = BoundedTextField("特色与创新", max_length=3000, blank=True)
    problems = BoundedTextField("问题与改进", max_length=3000, blank=True)
    next_year_plan = BoundedTextField("下年度计划", max_length=3000, blank=True)
    landmarks = models.ManyToManyField(
        "ledger.Achievement", blank=True, related_name="annual_reports", verbose_name="标志性成果"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰写人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    last_submitted_at = models.DateTimeField("最近提交时间", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="系部审核人",
    )  # fmt: skip
    checked_at = models.DateTimeField("系部审核时间", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="接收人",
    )  # fmt: skip
    received_at = models.DateTimeField("接收时间", null=True, blank=True)
    return_reason = BoundedTextField("退回原因", max_length=1000, blank=True)

    class Meta:
        verbose_name = "年度工作报告"
        verbose_name_plural = "年度工作报告"
        ordering = ["-year", "studio_id"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="annual_report_once_per_year")]
        indexes = [models.Index(fields=["year", "status"], name="annual_report_year_status")]

    def __str__(self):
        return f"{self.year} 年度工作报告"

    @property
    def is_editable(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Reminder(models.Model):
    """One reminder sent (in-app + e-mail) to `recipient` about `subject` of `kind` for the scheduled `day`.
    The unique constraint makes send_reminders idempotent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="接收人"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="对象类型")
    subject_id = models.PositiveBigIntegerField("对象编号")
    kind = models.CharField("提醒类型", max_length=40)
    day = models.DateField("提醒日")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    title = models.CharField("标题", max_length=200)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "kind", "day"], name="annual_reminder_once"
            )
        ]

    def __str__(self):
        return self.title
