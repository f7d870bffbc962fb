from django.conf import settings
from django.db import models

from core.fields import BoundedTextField

from ..enums import AssignmentStatus, ReviewRecommendation


class ReviewAssignment(models.Model):
    """An expert assigned to one application: conflict declaration (or recusal), then weighted scores and comments."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="assignments", verbose_name="申报"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments", verbose_name="评审专家"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="指派人"
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    declared_at = models.DateTimeField("声明时间", null=True, blank=True)
    recusal_reason = BoundedTextField("回避原因", max_length=1000, blank=True)
    scores = models.JSONField("各项评分", default=dict, blank=True)
    total = models.DecimalField("加权总分（百分制）", max_digits=6, decimal_places=2, null=True, blank=True)
    comment = BoundedTextField("评审意见", max_length=3000, blank=True)
    recommendation = models.CharField("评审建议", max_length=20, choices=ReviewRecommendation.choices, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # 暂存: scores saved as a draft while the status stays 评审中 (total empty): counted nowhere until submitted.
    draft_saved_at = models.DateTimeField("暂存时间", null=True, blank=True)

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        ordering = ["application_id", "assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="review_assignment_unique")]

    def __str__(self):
        return f"评审 #{self.pk}"
