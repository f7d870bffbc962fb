"""Notify people: an in-app Notification row each, and an email through a background task."""

from core.models import Notification
from core.tasks import send_notification_email


def notify(users, *, title, body="", url=""):
    """Create one Notification per distinct active user and queue an email to those with an address.

    Call it from transaction.on_commit (the workflow helper does): a rolled-back change notifies nobody.
    """
    seen = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, title=title[:200], body=body, url=url))
    Notification.objects.bulk_create(rows)
    for row in rows:
        if row.recipient.email:
            send_notification_email.enqueue(to=row.recipient.email, subject=title, body=f"{body}\n\n{url}".strip())
    return rows
