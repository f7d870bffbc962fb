"""What waits for a user in 我的工作台 from this app."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import has_role, may_write_as
from core.navigation import InboxEntry

from .models import Enterprise, Honor


def inbox(user):
    entries = []
    if not user.is_external:
        missing = Honor.objects.filter(user_id=user.pk, certificate="")  # counted by inbox_for with the others
        entries.append(
            InboxEntry("荣誉证书待上传（未上传的不计入资格条件）", missing, reverse("people:my_record"), "trophy")
        )
    if has_role(user, Role.COOP_OFFICE) and may_write_as(user, Role.COOP_OFFICE):
        today = timezone.localdate()
        expiring = Enterprise.objects.filter(
            is_partner=True, agreement_end__gte=today, agreement_end__lte=today + timedelta(days=60)
        )
        entries.append(
            InboxEntry("合作协议60天内到期", expiring, reverse("people:enterprise_list") + "?partner=1", "buildings")
        )
    return entries
