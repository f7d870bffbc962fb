from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import phone_validator
from core.models import TimestampedModel

from ..enums import Gender, SkillLevel
from ..idcard import decrypt_id_number
from ..validators import validate_birth_date, validate_record_date


class StaffProfile(TimestampedModel):
    """教职工档案: one per staff user. Name and department live on the user.

    The ID-card number is never stored in clear: `id_number_encrypted` (Fernet), `id_number_hash` (HMAC, unique,
    for look-up) and `id_number_masked` (500***********1234, the only form shown outside the admin). Write it with
    people.services.set_id_number / save_profile, never by assigning these fields by hand.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name="用户"
    )
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True, validators=[validate_birth_date])
    id_number_encrypted = models.TextField("身份证号码（密文）", blank=True, editable=False)
    id_number_hash = models.CharField(
        "身份证号码（检索哈希）", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    id_number_masked = models.CharField("身份证号码", max_length=18, blank=True, editable=False)
    majors = models.ManyToManyField(
        "accounts.Major", blank=True, related_name="staff_profiles", verbose_name="任教专业"
    )
    title = models.CharField("专业技术职务", max_length=50, blank=True, help_text="如：讲师、高级讲师、正高级讲师")
    skill_certificate = models.CharField(
        "职业资格/技能等级证书", max_length=100, blank=True, help_text="证书名称及工种，如：数控车工"
    )
    skill_level = models.CharField("技能等级", max_length=2, choices=SkillLevel.choices, blank=True)
    hire_date = models.DateField("入职日期", null=True, blank=True, validators=[validate_record_date])
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    history = HistoricalRecords(excluded_fields=["id_number_encrypted", "id_number_hash"])

    class Meta:
        verbose_name = "教职工档案"
        verbose_name_plural = "教职工档案"
        ordering = ["user__username"]

    def __str__(self):
        # Only use the user when it is already loaded: str() must not cost (or, in tests, forbid) a query.
        user = self._state.fields_cache.get("user")
        if user is not None:
            return f"{user.display_name}（{user.username}）的档案"
        return f"教职工档案 #{self.pk}" if self.pk else "教职工档案"

    @property
    def masked_id_number(self) -> str:
        return self.id_number_masked

    def reveal_id_number(self) -> str:
        """The clear number. Only the admin screens may call this (see people.admin)."""
        return decrypt_id_number(self.id_number_encrypted)
