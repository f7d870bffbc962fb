from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel

from .enums import Role

staff_no_validator = RegexValidator(r"^[A-Za-z0-9_.-]{2,32}$", "工号只能包含字母、数字和 _ . -，长度 2–32。")
phone_validator = RegexValidator(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$", "请输入有效的手机号或座机号。")


class Department(TimestampedModel):
    """系部."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("代码", max_length=20, unique=True)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "系部"
        verbose_name_plural = "系部"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Major(TimestampedModel):
    """专业, belongs to a department."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="majors", verbose_name="系部")
    name = models.CharField("名称", max_length=100)
    code = models.CharField("代码", max_length=20, unique=True)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "专业"
        verbose_name_plural = "专业"
        ordering = ["department__code", "code"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="major_unique_name_in_department")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in with their 工号 (staff number) as username."""

    username = models.CharField(
        "工号",
        max_length=32,
        unique=True,
        validators=[staff_no_validator],
        error_messages={"unique": "该工号已存在。"},
    )
    display_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("电话", max_length=20, blank=True, validators=[phone_validator])
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="所属系部"
    )
    is_external = models.BooleanField("校外人员", default=False)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="由管理员或人事部设置临时密码后为是；本人修改密码后恢复为否。"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return f"{self.display_name}（{self.username}）" if self.display_name else self.username

    def get_full_name(self):
        return self.display_name or self.username

    def get_short_name(self):
        return self.display_name or self.username


class RoleAssignment(TimestampedModel):
    """A role held by a user; dept_head assignments name the department they cover."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name="负责系部",
        help_text="仅「系（部）主任」需要填写。",
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="授予人"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department"], name="role_unique_per_user_department"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True),
                name="role_unique_per_user_without_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="dept_head") | models.Q(department__isnull=False),
                name="dept_head_needs_department",
                violation_error_message="系（部）主任必须指定负责的系部。",
            ),
        ]

    def __str__(self):
        label = Role(self.role).label
        return f"{label}（{self.department}）" if self.department_id else label


class LoginThrottle(models.Model):
    """Failed sign-ins, keyed on (username, IP). Checked before any password hash is computed.

    The row with ip "*" counts the 工号's failures from every address: it never locks, it delays (accounts.security).
    """

    ACCOUNT_WIDE = "*"

    username = models.CharField("工号", max_length=150)
    ip = models.CharField("IP 地址", max_length=45, help_text="「*」为该工号在所有地址的合计（只延时，不锁定）。")
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    first_failure_at = models.DateTimeField("首次失败时间", null=True, blank=True)
    last_failure_at = models.DateTimeField("最近失败时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定（或延时）至", null=True, blank=True)
    blocked_attempts = models.PositiveIntegerField("锁定期间被拒次数", default=0)
    last_blocked_at = models.DateTimeField("最近被拒时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="login_throttle_unique")]

    def __str__(self):
        return f"{self.username}@{self.ip}"


class RateLimit(models.Model):
    """A fixed-window request counter (e.g. 忘记密码 requests per address and per account): accounts.security.hit()."""

    scope = models.CharField("用途", max_length=30)
    key = models.CharField("键", max_length=190)
    count = models.PositiveIntegerField("次数", default=0)
    window_start = models.DateTimeField("窗口开始")

    class Meta:
        verbose_name = "请求频率记录"
        verbose_name_plural = "请求频率记录"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="rate_limit_unique")]

    def __str__(self):
        return f"{self.scope}:{self.key}"


class ApiToken(models.Model):
    """A personal API token (Authorization: Bearer <token>). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField("令牌哈希", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # Bound to the owner's password: a password set anywhere (our pages, the admin, a shell) ends the token.
    password_fingerprint = models.CharField("密码指纹", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"


def password_fingerprint(user) -> str:
    """What an API token remembers of its owner's password: a digest of the stored hash (which changes with every
    password set, even to the same password). Nothing here is secret beyond what the user table already holds."""
    import hashlib

    return hashlib.sha256(f"accounts.ApiToken:{user.password}".encode()).hexdigest()


class SignOnSession(models.Model):
    """A session opened through 统一身份认证 (CAS): the digest of its service ticket, so that the CAS server's
    single-logout request, which names only the ticket, ends exactly that session (accounts.cas)."""

    ticket_hash = models.CharField("票据摘要", max_length=64, unique=True)
    session_key = models.CharField("会话", max_length=64)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    created_at = models.DateTimeField("登录时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "统一身份认证会话"
        verbose_name_plural = "统一身份认证会话"

    def __str__(self):
        return f"{self.user_id}@{self.created_at:%Y-%m-%d %H:%M}"
