from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .fields import BoundedTextField


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Append-only, hash-chained audit log. Write it only through core.audit.log_action().

    Database triggers refuse UPDATE, DELETE and TRUNCATE on this table (migrations 0002, 0004); each row's hash covers
    every other column and the previous row's hash, and `mac` signs it with AUDIT_HMAC_KEY (kept outside the database),
    so `manage.py verify_audit` finds a row altered, rehashed or removed behind the triggers' back (see core.audit).
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人（记录时）", max_length=150, blank=True)
    action = models.CharField("动作", max_length=120, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash_version = models.PositiveSmallIntegerField("哈希格式版本", default=2)
    hash = models.CharField("哈希", max_length=64, unique=True)
    mac = models.CharField("密钥签名", max_length=64, default="")

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.pk} {self.action}"


class StatusChange(models.Model):
    """One row per workflow transition of any machine (history with comment)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="对象类型")
    object_id = models.CharField("对象编号", max_length=64)
    machine = models.CharField("流程", max_length=100)
    from_state = models.CharField("原状态", max_length=40)
    to_state = models.CharField("新状态", max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    note = BoundedTextField("意见/说明", max_length=2000, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.machine} {self.object_id}: {self.from_state} → {self.to_state}"

    def _state_label(self, state):
        """A state's Chinese label from the changed model's `status` choices (ContentType's cache: no query per row)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        try:
            choices = dict(model._meta.get_field("status").flatchoices)
        except (AttributeError, FieldDoesNotExist):
            choices = {}
        return str(choices.get(state, "")) if state else ""

    @property
    def from_label(self):
        return self._state_label(self.from_state)

    @property
    def to_label(self):
        return self._state_label(self.to_state)


class Notification(models.Model):
    """In-app notification; an email copy is sent by a background task."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    title = models.CharField("标题", max_length=200)
    body = BoundedTextField("内容", max_length=5000, blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class StoredFile(models.Model):
    """One uploaded file in MEDIA_ROOT and who uploaded it: the ledger of per-person upload quotas (UPLOAD_QUOTA_MB).
    Written by the media storage itself (core/storage.py) when a file is saved or deleted, in the caller's
    transaction — bookkeeping, not a business record (the owning record's service audits the upload)."""

    name = models.CharField("存储路径", max_length=300, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="上传人"
    )
    size = models.PositiveBigIntegerField("大小（字节）")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "已存储文件"
        verbose_name_plural = "已存储文件"
        indexes = [models.Index(fields=["owner"], name="core_storedfile_owner")]

    def __str__(self):
        return self.name
