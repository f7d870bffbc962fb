"""The archive's own rows. Most archive items are not rows here: they are computed from the records that hold them
(archive/sources.py). Stored here are only what has no other home:

- ArchiveDocument: a document uploaded directly into the archive (the studio's rules, annual summary, video metadata);
- YearArchive: one archived (归档) studio-year — while it exists, studios.freeze refuses every write of that year;
- Addendum (补充说明): a correction to an item of an archived year, linked to the original by (object_type, object_id);
- ArchivePackage: the zip of one studio-year (built by a background task) with its progress and SHA-256.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from .categories import Category

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class ArchiveDocument(TimestampedModel):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="archive_documents", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("年度", validators=YEAR_VALIDATORS)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=200)
    description = BoundedTextField("说明", max_length=2000, blank=True)
    date = models.DateField("日期")
    file = models.FileField(
        "文件", upload_to=protected_upload_to("archive"), validators=[validate_upload], blank=True, max_length=200
    )
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256 校验值", max_length=64, blank=True)
    media_location = models.CharField("影像存放位置", max_length=300, blank=True)
    media_duration = models.CharField("时长", max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )

    class Meta:
        verbose_name = "档案文件"
        verbose_name_plural = "档案文件"
        # (date, id): the 档案文件 list's default order (日期 desc, then id) from the index instead of sorting every
        # document per page (make bench, 2,000 studios).
        indexes = [
            models.Index(fields=["studio", "year", "category"], name="archive_doc_studio_year_cat"),
            models.Index(fields=["date", "id"], name="archive_doc_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(media_location=""),
                name="archive_doc_file_or_media",
                violation_error_message="请上传文件，或填写影像资料的存放位置。",
            )
        ]

    def __str__(self):
        return self.title


class YearArchive(models.Model):
    """An archived studio-year. Unique per (studio, year): two archivings at once, one wins."""

    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="year_archives", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("年度", validators=YEAR_VALIDATORS)
    archived_at = models.DateTimeField("归档时间")
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="归档人"
    )
    missing = models.JSONField("归档时的缺项", default=list, blank=True)
    override_reason = BoundedTextField("缺项放行理由", max_length=2000, blank=True)

    class Meta:
        verbose_name = "年度归档"
        verbose_name_plural = "年度归档"
        ordering = ["-year", "studio_id"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="archive_year_once")]

    def __str__(self):
        # the studio's name when it was fetched with the row (select_related): never a query of its own
        if YearArchive.studio.is_cached(self):
            return f"{self.studio.official_name} {self.year}年度归档"
        return f"{self.year}年度归档"


class Addendum(models.Model):
    """补充说明 to an item of an archived year: the original stays as it was; this row says what is corrected and why."""

    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="archive_addenda", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("年度", validators=YEAR_VALIDATORS)
    object_type = models.CharField("原记录类型", max_length=100)
    object_id = models.PositiveBigIntegerField("原记录编号")
    object_title = models.CharField("原记录", max_length=200)
    reason = BoundedTextField("补充原因", max_length=1000)
    text = BoundedTextField("补充说明", max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填写人"
    )
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "补充说明"
        verbose_name_plural = "补充说明"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="archive_addendum_target")]

    def __str__(self):
        return f"补充说明：{self.object_title}"


class PackageStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"


class ArchivePackage(models.Model):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="archive_packages", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("年度", validators=YEAR_VALIDATORS)
    status = models.CharField("状态", max_length=10, choices=PackageStatus.choices, default=PackageStatus.QUEUED)
    done = models.PositiveIntegerField("已处理文件数", default=0)
    total = models.PositiveIntegerField("文件总数", default=0)
    path = models.CharField("存储位置", max_length=300, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256 校验值", max_length=64, blank=True)
    error = models.CharField("错误说明", max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "档案包"
        verbose_name_plural = "档案包"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["studio", "year"], name="archive_pkg_studio_year")]

    def __str__(self):
        return f"{self.year}年度档案包 #{self.pk}"

    @property
    def percent(self):
        return 100 if self.status == PackageStatus.DONE else (self.done * 100 // self.total if self.total else 0)
