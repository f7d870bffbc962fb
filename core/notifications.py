"""Notify people: an in-app Notification row each, and an email through a background task."""

from core.models import Notification
from core.tasks import send_notification_email


def single_line(text, max_length=200):
    """A notification title / e-mail subject on one line: CR, LF, other line breaks and control characters (a studio
    name pasted with a newline) become one space; bidi overrides are dropped. Django refuses a subject with a
    newline (BadHeaderError), so without this the e-mail was lost."""
    cleaned = []
    for ch in str(text or ""):
        if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            continue
        cleaned.append(ch if ch.isprintable() else " ")
    return " ".join("".join(cleaned).split())[:max_length]


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
    return rows
