"""通知公告 (Notice: an audience, read receipts, optionally public on the showcase) and 宣传报道 (Post: a studio's news
with photos, published by the head of the studio's department). Status changes only through news.workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.enums import Role
from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from .enums import Audience, NoticeStatus, PostStatus


class Notice(TimestampedModel):
    title = models.CharField("标题", max_length=120)
    body = BoundedTextField("正文", max_length=10000)
    audience = models.CharField("发布范围", max_length=12, choices=Audience.choices, default=Audience.ALL)
    audience_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="范围系部",
    )  # fmt: skip
    audience_role = models.CharField("范围角色", max_length=30, choices=Role.choices, blank=True)
    is_public = models.BooleanField("在成果展示页公开", default=False)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    source = models.CharField("来源", max_length=80, blank=True, help_text="系统自动发布的通知的来源（如公示）。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="起草人",
    )  # fmt: skip
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = BoundedTextField("撤回原因", max_length=1000, blank=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="department") | Q(audience_department__isnull=False),
                name="news_notice_department_audience",
            ),
            models.CheckConstraint(
                condition=~Q(audience="role") | ~Q(audience_role=""), name="news_notice_role_audience"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="news_notice_status_pub"),
            models.Index(fields=["is_public", "status", "published_at"], name="news_notice_public"),
        ]

    def __str__(self):
        return self.title

    @property
    def audience_text(self):
        if self.audience == Audience.DEPARTMENT:
            return f"{self.audience_department}" if self.audience_department_id else "指定系部"
        if self.audience == Audience.ROLE:
            return f"角色：{self.get_audience_role_display()}"
        return Audience.ALL.label


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name="通知")
    file = models.FileField(
        "附件", upload_to=protected_upload_to("news/notices"), validators=[validate_upload], max_length=200
    )
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class NoticeRead(models.Model):
    """已读回执: written the first time a person of the audience opens the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads", verbose_name="通知")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="读者")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "已读回执"
        verbose_name_plural = "已读回执"
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="news_read_once")]
        indexes = [models.Index(fields=["user", "notice"], name="news_read_user")]

    def __str__(self):
        return f"{self.notice_id}:{self.user_id}"


class Post(TimestampedModel):
    studio = models.ForeignKey("studios.Studio", on_delete=models.PROTECT, related_name="posts", verbose_name="工作室")
    title = models.CharField("标题", max_length=120)
    body = BoundedTextField("正文", max_length=10000)
    status = models.CharField("状态", max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰稿人"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="审核人",
    )  # fmt: skip
    return_reason = BoundedTextField("退回原因", max_length=1000, blank=True)

    class Meta:
        verbose_name = "宣传报道"
        verbose_name_plural = "宣传报道"
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="news_post_status_pub"),
            models.Index(fields=["studio", "status", "published_at"], name="news_post_studio"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self):
        return self.status in (PostStatus.DRAFT, PostStatus.RETURNED)


class PostPhoto(models.Model):
    """A photo of a post: stored without EXIF (no GPS, no camera serial) plus a thumbnail (ledger.photos)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos", verbose_name="报道")
    image = models.FileField("照片", upload_to=protected_upload_to("news/posts"), max_length=200)
    thumbnail = models.FileField("缩略图", upload_to=protected_upload_to("news/posts"), max_length=200)
    caption = models.CharField("说明", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "报道照片"
        verbose_name_plural = "报道照片"
        ordering = ["id"]

    def __str__(self):
        return self.caption or f"照片 {self.pk}"
