"""Notify people: an in-app Notification row each, an email through a background task, and registered channels."""

import logging

from core.models import Notification
from core.tasks import send_bulk_notification_email, send_notification_email, single_line

# Addresses per bulk e-mail task (one SMTP connection each).
EMAIL_CHUNK = 500

logger = logging.getLogger(__name__)
# Further ways out (integrations.webhooks: 企业微信/钉钉 robots), registered by later apps from AppConfig.ready():
# each is called as channel(user_ids, title=…, body=…, url=…) after the rows are written. A channel's error is
# logged and never reaches the action that notified.
_channels = []


def register_channel(channel):
    if channel not in _channels:
        _channels.append(channel)


def _to_channels(user_ids, *, title, body, url):
    for channel in _channels:
        try:
            channel(user_ids, title=title, body=body, url=url)
        except Exception:
            logger.exception("notification channel %r failed", channel)


def notify(users, *, title, body="", url=""):
    """Create one Notification per distinct active user and queue an email to those with an address.

    Call it from transaction.on_commit (the workflow helper does): a rolled-back change notifies nobody.
    """
    title = single_line(title)
    body = str(body or "")[: Notification._meta.get_field("body").max_length]
    seen = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, title=title, body=body, url=url))
    Notification.objects.bulk_create(rows)
    for row in rows:
        if row.recipient.email:
            send_notification_email.enqueue(to=row.recipient.email, subject=title, body=f"{body}\n\n{url}".strip())
    if rows:
        _to_channels([row.recipient_id for row in rows], title=title, body=body, url=url)
    return rows


def notify_all(users, *, title, body="", url=""):
    """Notify a whole population (e.g. every staff member when a 公示 starts): `users` is a User queryset. The rows are
    written by bulk INSERTs (no query per person, only pk and e-mail are read), and the e-mail copies go out as
    one background task per EMAIL_CHUNK addresses. Call it from transaction.on_commit. Returns the number notified."""
    title = single_line(title)
    body = str(body or "")[: Notification._meta.get_field("body").max_length]
    people = list(users.filter(is_active=True).order_by("pk").values_list("pk", "email").distinct())
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, title=title, body=body, url=url) for pk, _email in people], batch_size=2000
    )
    addresses = [email for _pk, email in people if email]
    text = f"{body}\n\n{url}".strip()
    for start in range(0, len(addresses), EMAIL_CHUNK):
        send_bulk_notification_email.enqueue(to=addresses[start : start + EMAIL_CHUNK], subject=title, body=text)
    if people:
        _to_channels([pk for pk, _email in people], title=title, body=body, url=url)
    return len(people)
