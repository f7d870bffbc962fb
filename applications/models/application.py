from django.conf import settings
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from ..enums import ApplicationStatus, AttachmentKind, Judgement, MemberRole, StudioMode


class Application(TimestampedModel):
    """申报: one master's application for a studio in one call. Its status changes only in applications/workflow.py."""

    call = models.ForeignKey(
        "applications.Call", on_delete=models.PROTECT, related_name="applications", verbose_name="申报批次"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="studio_applications",
        verbose_name="申报人（技能大师）",
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="studio_applications", verbose_name="所在系部"
    )
    status = models.CharField(
        "状态", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    # Optimistic concurrency for drafts: every saved edit increments it; a save carrying an older number is refused.
    version = models.PositiveIntegerField("版本", default=1)

    studio_name = models.CharField(
        "拟申办工作室名称",
        max_length=100,
        blank=True,
        help_text="格式：职业工种名称 + “技能大师工作室”，如“数控车工技能大师工作室”。",
    )
    occupation = models.CharField("职业工种", max_length=60, blank=True)
    majors = models.ManyToManyField(
        "accounts.Major", blank=True, related_name="studio_applications", verbose_name="相关专业"
    )
    major_justification = BoundedTextField("与学校专业/课程的相关性说明", max_length=2000, blank=True)
    mode = models.CharField("设立方式", max_length=10, choices=StudioMode.choices, default=StudioMode.SCHOOL)
    venue_school = models.CharField("校内主场地", max_length=200, blank=True)
    venue_partner = models.CharField("合作企业研发中心/生产车间（校企联办可选）", max_length=200, blank=True)
    basic_conditions = BoundedTextField("工作室基本条件", max_length=5000, blank=True)
    support_measures = BoundedTextField("系部支持措施", max_length=5000, blank=True)
    work_plan = BoundedTextField("工作计划", max_length=5000, blank=True)
    main_directions = BoundedTextField("主要工作方向", max_length=3000, blank=True)
    attest_political = models.BooleanField("本人承诺符合政治素质与师德师风要求（R8）", default=False)
    attest_truthful = models.BooleanField("本人承诺所填信息及材料真实有效", default=False)

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    eligibility_snapshot = models.JSONField("提交时资格审核结果", null=True, blank=True)
    dept_opinion = BoundedTextField("系部审核推荐意见", max_length=2000, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="推荐人",
    )
    recommended_at = models.DateTimeField("推荐时间", null=True, blank=True)
    # The department head's judgement of the rules no program computes, recorded with 推荐 (required there) and shown
    # to the experts, the committee and teaching affairs (issue 9 item 2).
    dept_r7_judgement = models.CharField(
        "专业相关性（R7）系部判断", max_length=10, choices=Judgement.choices, blank=True
    )
    dept_r7_note = BoundedTextField("专业相关性（R7）判断说明", max_length=1000, blank=True)
    dept_r8_judgement = models.CharField(
        "政治素质、师德（R8）系部判断", max_length=10, choices=Judgement.choices, blank=True
    )
    dept_r8_note = BoundedTextField("政治素质、师德（R8）判断说明", max_length=1000, blank=True)
    publicity = models.ForeignKey(
        "applications.Publicity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="公示",
    )
    document_number = models.CharField("认定发文文号", max_length=100, blank=True)
    approved_on = models.DateField("认定日期", null=True, blank=True)
    disqualify_reason = BoundedTextField("取消资格原因", max_length=2000, blank=True)
    disqualify_evidence = models.FileField(
        "取消资格证据", upload_to=protected_upload_to("disqualify"), validators=[validate_upload], blank=True
    )

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="one_application_per_call_per_applicant"),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.studio_name or f"申报 #{self.pk}"

    @property
    def plaque_master_name(self):
        return self.applicant.display_name

    def get_status_display(self):
        """The one status wording (pages, lists, exports, API): 公示中 becomes 「公示期满，待认定」 once the window is
        over. Reads the publicity's end from select_related("publicity") or an annotation `publicity_ends_at` (lists
        add one of them); otherwise one small query."""
        from django.utils import timezone

        label = str(ApplicationStatus(self.status).label) if self.status in ApplicationStatus.values else self.status
        if self.status != ApplicationStatus.IN_PUBLICITY or not self.publicity_id:
            return label
        ends_at = getattr(self, "publicity_ends_at", None)
        if ends_at is None:
            cached = self._state.fields_cache.get("publicity")
            if cached is not None:
                ends_at = cached.ends_at
            else:
                from .publicity import Publicity

                ends_at = Publicity.objects.filter(pk=self.publicity_id).values_list("ends_at", flat=True).first()
        return PUBLICITY_OVER_LABEL if ends_at is not None and timezone.now() >= ends_at else label


PUBLICITY_OVER_LABEL = "公示期满，待认定"


class ApplicationMember(models.Model):
    """A proposed studio member: internal staff or an external person (User.is_external) of a partner enterprise."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members", verbose_name="申报")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="成员")
    role = models.CharField("角色", max_length=10, choices=MemberRole.choices, default=MemberRole.CORE)
    intro = BoundedTextField("简介", max_length=1000, blank=True)

    class Meta:
        verbose_name = "拟任成员"
        verbose_name_plural = "拟任成员"
        ordering = ["application_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="application_member_unique")]

    def __str__(self):
        return f"{self.user_id} {self.get_role_display()}"


class Attachment(models.Model):
    """申报材料 (R10): the signed form scan and copies of certificates. Downloaded only through a checked view."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name="申报"
    )
    kind = models.CharField("类别", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=protected_upload_to("applications"), validators=[validate_upload])
    original_name = models.CharField("原文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报附件"
        verbose_name_plural = "申报附件"
        ordering = ["application_id", "kind", "id"]

    def __str__(self):
        return self.original_name
