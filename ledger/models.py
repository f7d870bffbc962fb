"""The evidence ledger (建设记录): what a studio did, each record with its evidence and the department's check.

Five record types share one abstract base (date, studio, members involved, description, place, status and review
fields) and one status machine (ledger/workflow.py). Attachments are one table with one nullable key per record type,
so "has its required evidence" is an EXISTS in SQL (ledger/evidence.py).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from .enums import (
    AchievementKind,
    ActivityKind,
    ApprenticeType,
    AttachmentKind,
    AwardWho,
    Level,
    Place,
    ProjectKind,
    ProjectSource,
    ProjectStage,
    RecordStatus,
    SkillLevel,
)
from .evidence import evidence_q


class LedgerQuerySet(models.QuerySet):
    def with_evidence(self):
        """Annotate `has_evidence` (bool, computed in SQL from the rules of ledger/evidence.py)."""
        return self.annotate(has_evidence=ExpressionWrapper(evidence_q(self.model), output_field=BooleanField()))

    def countable(self):
        """Records that count towards an indicator: confirmed by the department AND carrying their evidence."""
        return self.filter(Q(status=RecordStatus.CONFIRMED) & evidence_q(self.model))

    def waiting(self):
        """Submitted, not yet checked by the department."""
        return self.filter(status=RecordStatus.SUBMITTED)


class LedgerRecord(TimestampedModel):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="%(class)s_records", verbose_name="工作室"
    )
    date = models.DateField("日期")
    title = models.CharField("标题", max_length=200)
    description = BoundedTextField("内容简述", max_length=4000, blank=True)
    place = models.CharField("地点", max_length=10, choices=Place.choices, default=Place.SCHOOL)
    place_detail = models.CharField("地点说明", max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="ledger_%(class)s_records", verbose_name="参与成员"
    )
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = BoundedTextField("退回原因", max_length=1000, blank=True)
    spot_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="抽查人",
    )
    spot_checked_at = models.DateTimeField("抽查时间", null=True, blank=True)
    spot_check_note = BoundedTextField("抽查意见", max_length=1000, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True
        # No default ordering: every list orders explicitly (core.lists), and a default order would leak into the
        # UNION queries of the studio panel and plans/indicators.py, where it does not name a selected column.
        # Lists sort by (date, id) and the plan-vs-actual counts filter by studio and year: both read an index.
        indexes = [
            models.Index(fields=["date", "id"], name="%(class)s_date_id"),
            models.Index(fields=["studio", "status", "date"], name="%(class)s_studio_st_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self):
        return self.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)


class Activity(LedgerRecord):
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)])
    participants = models.PositiveIntegerField("参与人次", default=0)

    class Meta(LedgerRecord.Meta):
        verbose_name = "活动记录"
        verbose_name_plural = "活动记录"


class Mentorship(LedgerRecord):
    """名师带徒: `date` is the start of the pairing."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="师傅"
    )
    apprentice_type = models.CharField("徒弟身份", max_length=10, choices=ApprenticeType.choices)
    apprentice_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="徒弟（平台用户）",
    )
    apprentice_name = models.CharField("徒弟姓名", max_length=50, blank=True)
    end_on = models.DateField("结束日期", null=True, blank=True)
    outcome_level = models.CharField("达到技能等级", max_length=20, choices=SkillLevel.choices, blank=True)
    outcome_on = models.DateField("取得日期", null=True, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = "名师带徒"
        verbose_name_plural = "名师带徒"
        constraints = [
            models.CheckConstraint(
                condition=Q(apprentice_user__isnull=False) | ~Q(apprentice_name=""), name="mentorship_has_apprentice"
            )
        ]

    @property
    def apprentice_display(self):
        return self.apprentice_name or (self.apprentice_user.display_name if self.apprentice_user_id else "")


class MentorshipNote(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="notes", verbose_name="师徒结对")
    date = models.DateField("日期")
    note = BoundedTextField("进展", max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "带徒进展"
        verbose_name_plural = "带徒进展"
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note[:30]}"


class Meeting(LedgerRecord):
    """例会: the attendees are `members`."""

    minutes = BoundedTextField("会议纪要", max_length=10000, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = "例会记录"
        verbose_name_plural = "例会记录"


class Project(LedgerRecord):
    """A project (R17): `date` is the registration date; the stages are dated rows (ProjectStageRecord)."""

    kind = models.CharField("项目类别", max_length=10, choices=ProjectKind.choices)
    source = models.CharField("登记方", max_length=12, choices=ProjectSource.choices, default=ProjectSource.STUDIO)
    amount = models.DecimalField(
        "金额（元）", max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    partner = models.ForeignKey(
        "people.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_projects",
        verbose_name="合作企业",
    )
    closing_evaluation = BoundedTextField("结题评价", max_length=4000, blank=True)

    class Meta(LedgerRecord.Meta):
        verbose_name = "项目"
        verbose_name_plural = "项目"
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative")]


class ProjectStageRecord(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages", verbose_name="项目")
    stage = models.CharField("阶段", max_length=12, choices=ProjectStage.choices)
    date = models.DateField("日期")
    note = BoundedTextField("说明", max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")

    class Meta:
        verbose_name = "项目阶段"
        verbose_name_plural = "项目阶段"
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="project_stage_once")]

    def __str__(self):
        return self.get_stage_display()


class Achievement(LedgerRecord):
    kind = models.CharField("成果类别", max_length=12, choices=AchievementKind.choices)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    number = models.CharField("编号（专利号/登记号等）", max_length=100, blank=True)
    grant_date = models.DateField("授权/获奖日期", null=True, blank=True)
    rank = models.CharField("等次/名次", max_length=50, blank=True)
    who = models.CharField("获奖者", max_length=10, choices=AwardWho.choices, blank=True)
    landmark = models.BooleanField("标志性成果", default=False)
    public = models.BooleanField("可公开展示", default=False)

    class Meta(LedgerRecord.Meta):
        verbose_name = "成果"
        verbose_name_plural = "成果"


RECORD_MODELS = (Activity, Mentorship, Meeting, Project, Achievement)
RECORD_FKS = tuple(m._meta.model_name for m in RECORD_MODELS)


class Attachment(models.Model):
    """A file attached to exactly one record. Photos are stored without EXIF (GPS included) plus a list thumbnail."""

    activity = models.ForeignKey(
        Activity, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name="活动记录"
    )
    mentorship = models.ForeignKey(
        Mentorship, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name="师徒结对"
    )
    meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name="例会记录"
    )
    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name="项目"
    )
    achievement = models.ForeignKey(
        Achievement, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name="成果"
    )
    kind = models.CharField("材料类型", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(
        "文件", upload_to=protected_upload_to("ledger"), validators=[validate_upload], max_length=200
    )
    thumbnail = models.FileField("缩略图", upload_to=protected_upload_to("ledger/thumbs"), blank=True, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(activity__isnull=False, mentorship=None, meeting=None, project=None, achievement=None)
                    | Q(activity=None, mentorship__isnull=False, meeting=None, project=None, achievement=None)
                    | Q(activity=None, mentorship=None, meeting__isnull=False, project=None, achievement=None)
                    | Q(activity=None, mentorship=None, meeting=None, project__isnull=False, achievement=None)
                    | Q(activity=None, mentorship=None, meeting=None, project=None, achievement__isnull=False)
                ),
                name="ledger_attachment_one_record",
            )
        ]

    def __str__(self):
        return self.original_name or self.get_kind_display()

    @property
    def record_id(self):
        return next(getattr(self, f"{name}_id") for name in RECORD_FKS if getattr(self, f"{name}_id"))

    @property
    def is_image(self):
        return bool(self.thumbnail)
