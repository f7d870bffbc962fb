"""我的工作台: records waiting for the department head's check (one query for all five record types)."""

from django.db.models import Count, IntegerField, Value
from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import headed_department_ids, may_write_as
from core.navigation import InboxEntry

from .enums import RecordStatus
from .types import TYPES


def waiting_for_review_qs(department_ids):
    """One UNION ALL query: (slug, count) of submitted records per type in these departments."""
    parts = []
    for slug, record_type in TYPES.items():
        parts.append(
            record_type.model.objects.filter(status=RecordStatus.SUBMITTED, studio__department_id__in=department_ids)
            .annotate(slug=Value(slug), n=Value(1, output_field=IntegerField()))
            .values("slug")
            .annotate(count=Count("pk"))
            .values_list("slug", "count")
            .order_by()
        )
    return parts[0].union(*parts[1:], all=True).order_by()


def review_inbox(user):
    if not may_write_as(user, Role.DEPT_HEAD):
        return []
    departments = sorted(headed_department_ids(user))
    if not departments:
        return []
    total = sum(count for _slug, count in waiting_for_review_qs(departments))
    return [InboxEntry("待系部审核的建设记录", total, reverse("ledger:review_queue"), icon="journal-check")]
