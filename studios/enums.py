from django.db import models


class StudioStatus(models.TextChoices):
    ACTIVE = "active", "运行中"
    REVOKED = "revoked", "已撤销"


class MembershipRole(models.TextChoices):
    MASTER = "master", "技能大师"
    CORE = "core", "骨干教师"
    MEMBER = "member", "成员"
