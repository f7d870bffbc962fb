from django.db import transaction
from django.utils import timezone

from .models import Notification


@transaction.atomic
def mark_notifications_read(*, by, ids=None):
    """Mark the user's own notifications read (all unread ones when ids is None). Returns how many changed."""
    rows = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
