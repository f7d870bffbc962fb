from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload
from people.enums import HonorLevel

from .enums import MembershipRole, StudioSource, StudioStatus


class Studio(TimestampedModel):
    """技能大师工作室, created from an approved application (认定) or registered by teaching affairs when it was approved
    before the platform (历史登记, no application). Its status changes only in studios/workflow.py."""

    source = models.CharField(
        "来源", max_length=12, choices=StudioSource.choices, default=StudioSource.APPLICATION, db_index=True
    )
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="studio",
        verbose_name="来源申报",
        null=True,
        blank=True,
    )
    official_name = models.CharField("工作室名称", max_length=100)
    plaque_name = models.CharField("铭牌名称", max_length=200)
    master = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mastered_studios", verbose_name="技能大师"
    )
    mode = models.CharField("设立方式", max_length=10, choices=[("school", "学校单独创办"), ("joint", "校企联办")])
    venue_school = models.CharField("校内主场地", max_length=200, blank=True)
    venue_partner = models.CharField("合作企业场地", max_length=200, blank=True)
    partner_enterprise = models.ForeignKey(
        "people.Enterprise",
        on_delete=models.PROTECT,
        related_name="studios",
        verbose_name="合作企业",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="studios", verbose_name="所在系部"
    )
    status = models.CharField(
        "状态", max_length=10, choices=StudioStatus.choices, default=StudioStatus.ACTIVE, db_index=True
    )
    document_number = models.CharField("认定文号", max_length=100)
    approved_on = models.DateField("认定日期")
    # 校级/市级/省级/国家级: changed only through studios.services.set_level (an approved 推荐申报 raises it).
    level = models.CharField(
        "工作室级别", max_length=10, choices=HonorLevel.choices, default=HonorLevel.SCHOOL, db_index=True
    )
    revoked_reason = BoundedTextField("撤销原因", max_length=2000, blank=True)
    exec_lead = models.ForeignKey(
        "Membership", on_delete=models.PROTECT, related_name="+", verbose_name="执行负责人", null=True, blank=True
    )
    contact = models.ForeignKey(
        "Membership", on_delete=models.PROTECT, related_name="+", verbose_name="联系人", null=True, blank=True
    )

    class Meta:
        verbose_name = "工作室"
        verbose_name_plural = "工作室"
        ordering = ["-approved_on", "official_name"]
        # The studio list pages by (-approved_on, pk): an index spares sorting every studio for each page.
        # (approved_on, id) read forwards or backwards serves the list's sort by 认定日期 both ways, the tie-breaker
        # id in the same direction (core.lists); the old (-approved_on, id) matched neither once the list sorted
        # DESC, DESC and PostgreSQL sorted every studio per page (bench/RESULTS.md, 2026-11-24 lists).
        indexes = [models.Index(fields=["approved_on", "id"], name="studio_approved_id")]
        constraints = [
            # 申报认定 ⇔ an application; 历史登记 ⇔ none
            models.CheckConstraint(
                condition=(models.Q(source=StudioSource.APPLICATION) & models.Q(application__isnull=False))
                | (models.Q(source=StudioSource.REGISTERED) & models.Q(application__isnull=True)),
                name="studio_source_matches_application",
                violation_error_message="经申报认定的工作室须关联申报，历史登记的工作室不关联申报。",
            )
        ]

    def __str__(self):
        return self.official_name

    @property
    def is_revoked(self):
        return self.status == StudioStatus.REVOKED


class Membership(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="memberships", verbose_name="工作室")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_memberships", verbose_name="成员"
    )
    role = models.CharField("角色", max_length=10, choices=MembershipRole.choices)
    is_external = models.BooleanField("校外人员", default=False)
    joined_on = models.DateField("加入日期")
    join_reason = models.CharField("加入原因", max_length=200, blank=True)
    left_on = models.DateField("退出日期", null=True, blank=True)
    leave_reason = models.CharField("退出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "工作室成员"
        verbose_name_plural = "工作室成员"
        ordering = ["studio_id", "role", "id"]
        # Rows are never deleted: leaving sets left_on and leave_reason, re-joining is a new row. So uniqueness holds
        # among the current (not left) rows only.
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "user"], condition=models.Q(left_on__isnull=True), name="membership_unique_current"
            ),
            models.UniqueConstraint(
                fields=["studio"],
                condition=models.Q(role="master", left_on__isnull=True),
                name="membership_one_current_master",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="退出日期不能早于加入日期。",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.user_id}"


class StudioException(TimestampedModel):
    """A temporary exception to R1's minimum of core teachers, recorded by teaching affairs with a deadline. While
    unresolved the studio page shows it in red; a member change may then leave fewer core teachers than the minimum."""

    studio = models.ForeignKey(Studio, on_delete=models.PROTECT, related_name="exceptions", verbose_name="工作室")
    reason = BoundedTextField("原因", max_length=1000)
    deadline = models.DateField("整改期限")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    resolved_on = models.DateField("解除日期", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="解除人",
        null=True,
        blank=True,
    )
    resolution = models.CharField("解除说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "工作室临时例外"
        verbose_name_plural = "工作室临时例外"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["studio", "resolved_on"], name="studio_exception_open")]

    def __str__(self):
        return f"临时例外 #{self.pk}"


class ResponsibilityLetterTemplate(TimestampedModel):
    """The terms of the 责任书 (R14), edited by teaching affairs/admin. Each save is a new version: a letter keeps the
    version it was generated from."""

    school_duties = BoundedTextField("学校职责", max_length=5000)
    studio_duties = BoundedTextField("工作室职责", max_length=5000)
    term_years = models.PositiveSmallIntegerField(
        "责任期（年）", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="编辑人",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "责任书模板"
        verbose_name_plural = "责任书模板"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_years__gte=1, term_years__lte=10),
                name="letter_template_term_1_10",
                violation_error_message="责任期须为1至10年。",
            )
        ]

    def __str__(self):
        return f"责任书模板 第{self.pk}版"


class ResponsibilityLetter(TimestampedModel):
    """The 责任书 between the school and one studio for one term: generated from a template version, signed scan
    uploaded with the signing date. An unsigned letter is an open task on the studio page."""

    studio = models.ForeignKey(Studio, on_delete=models.PROTECT, related_name="letters", verbose_name="工作室")
    template = models.ForeignKey(
        ResponsibilityLetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name="模板版本"
    )
    term_start = models.DateField("责任期开始")
    term_end = models.DateField("责任期结束")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="生成人"
    )
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signed_file = models.FileField(
        "签字盖章扫描件",
        upload_to=protected_upload_to("studios/letters"),
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )
    signed_file_name = models.CharField("扫描件原文件名", max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "责任书"
        verbose_name_plural = "责任书"
        ordering = ["-term_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="letter_term_end_after_start",
                violation_error_message="责任期结束日期须晚于开始日期。",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True) | ~models.Q(signed_file=""),
                name="letter_signed_has_scan",
                violation_error_message="签订责任书须上传签字盖章扫描件。",
            ),
        ]

    def __str__(self):
        return f"责任书 #{self.pk}"
