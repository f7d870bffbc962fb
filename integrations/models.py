"""Work-message robots (企业微信/钉钉 group webhooks) with a record of every delivery attempt, and calendar feed tokens."""

from django.conf import settings
from django.db import models

from accounts.enums import Role
from core.fields import BoundedTextField


class Platform(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class WebhookTarget(models.Model):
    """A group robot that receives copies of notifications: those addressed to people of `department`, or holding
    `role`, or (neither set) every notification. The URL carries the robot's key (WeCom) or access token (DingTalk);
    DingTalk's 加签 secret signs each message. Neither is shown again after saving."""

    name = models.CharField("名称", max_length=100)
    platform = models.CharField("平台", max_length=10, choices=Platform.choices)
    url = models.CharField("Webhook 地址", max_length=500)
    secret = models.CharField(
        "加签密钥", max_length=200, blank=True, help_text="钉钉机器人“加签”安全设置的密钥（SEC 开头）。"
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="webhook_targets",
        verbose_name="系部",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作消息机器人"
        verbose_name_plural = "工作消息机器人"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=True) | models.Q(role=""),
                name="webhook_department_or_role",
                violation_error_message="一个机器人只能按系部或按角色接收，不能同时设置。",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def scope_label(self):
        if self.department_id:
            return f"系部：{self.department.name}"
        if self.role:
            return f"角色：{self.get_role_display()}"
        return "全部通知"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已送达"
    FAILED = "failed", "发送失败"


class WorkMessage(models.Model):
    """One notification copy for one robot; sent by the background worker, retried with a growing pause."""

    target = models.ForeignKey(WebhookTarget, on_delete=models.CASCADE, related_name="messages", verbose_name="机器人")
    title = models.CharField("标题", max_length=200)
    text = BoundedTextField("内容", max_length=4000)
    status = models.CharField(
        "状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作消息"
        verbose_name_plural = "工作消息"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class DeliveryAttempt(models.Model):
    """One try to deliver a WorkMessage: when, what the robot answered (or why it could not be reached)."""

    message = models.ForeignKey(WorkMessage, on_delete=models.CASCADE, related_name="deliveries", verbose_name="消息")
    number = models.PositiveSmallIntegerField("第几次")
    at = models.DateTimeField("时间", auto_now_add=True)
    ok = models.BooleanField("成功")
    http_status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    response = models.CharField("应答", max_length=500, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="delivery_attempt_unique_number")]

    def __str__(self):
        return f"{self.message}（第 {self.number} 次）"


class CalendarFeed(models.Model):
    """A person's private iCalendar subscription. Only the SHA-256 of the URL's token is stored; a new link revokes
    the old one, and a revoked link answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name="用户"
    )
    token_hash = models.CharField("令牌哈希", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近访问", null=True, blank=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="calendar_feed_one_active"
            )
        ]

    def __str__(self):
        return f"日历订阅 #{self.pk}（用户 {self.user_id}）"
