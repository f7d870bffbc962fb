from django.db import models


class StudioStatus(models.TextChoices):
    ACTIVE = "active", "运行中"
    REVOKED = "revoked", "已撤销"


class StudioSource(models.TextChoices):
    APPLICATION = "application", "申报认定"
    REGISTERED = "registered", "历史登记"


class MembershipRole(models.TextChoices):
    MASTER = "master", "技能大师"
    CORE = "core", "骨干教师"
    MEMBER = "member", "成员"


def role_rank():
    """Order memberships 技能大师, 骨干教师, 成员 (the choices' order; alphabetical codes put the master last)."""
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(MembershipRole.values)),
        default=Value(99),
        output_field=IntegerField(),
    )
