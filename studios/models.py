from django.conf import settings
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel

from .enums import MembershipRole, StudioStatus


class Studio(TimestampedModel):
    """技能大师工作室, created from an approved application (认定). Its status changes only in studios/workflow.py."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="studio", verbose_name="来源申报"
    )
    official_name = models.CharField("工作室名称", max_length=100)
    plaque_name = models.CharField("铭牌名称", max_length=200)
    master = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mastered_studios", verbose_name="技能大师"
    )
    mode = models.CharField("设立方式", max_length=10, choices=[("school", "学校单独创办"), ("joint", "校企联办")])
    venue_school = models.CharField("校内主场地", max_length=200, blank=True)
    venue_partner = models.CharField("合作企业场地", max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="studios", verbose_name="所在系部"
    )
    status = models.CharField(
        "状态", max_length=10, choices=StudioStatus.choices, default=StudioStatus.ACTIVE, db_index=True
    )
    document_number = models.CharField("认定文号", max_length=100)
    approved_on = models.DateField("认定日期")
    revoked_reason = BoundedTextField("撤销原因", max_length=2000, blank=True)

    class Meta:
        verbose_name = "工作室"
        verbose_name_plural = "工作室"
        ordering = ["-approved_on", "official_name"]
        # The studio list pages by (-approved_on, pk): an index spares sorting every studio for each page.
        # (approved_on, id) read forwards or backwards serves the list's sort by 认定日期 both ways, the tie-breaker
        # id in the same direction (core.lists); the old (-approved_on, id) matched neither once the list sorted
        # DESC, DESC and PostgreSQL sorted every studio per page (bench/RESULTS.md, 2026-11-24 lists).
        indexes = [models.Index(fields=["approved_on", "id"], name="studio_approved_id")]

    def __str__(self):
        return self.official_name


class Membership(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="memberships", verbose_name="工作室")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_memberships", verbose_name="成员"
    )
    role = models.CharField("角色", max_length=10, choices=MembershipRole.choices)
    is_external = models.BooleanField("校外人员", default=False)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = "工作室成员"
        verbose_name_plural = "工作室成员"
        ordering = ["studio_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "user"], name="membership_unique_user"),
            models.UniqueConstraint(fields=["studio"], condition=models.Q(role="master"), name="membership_one_master"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.user_id}"
