from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.tasks import task

from reports.safetext import strip_bidi_controls


def single_line(text, max_length=200):
    """A notification title / e-mail subject on one line: CR, LF, other line breaks and control characters (a studio
    name pasted with a newline) become one space; bidi overrides are dropped. Django refuses a subject with a
    newline (BadHeaderError), so without this the e-mail was lost."""
    printable = "".join(ch if ch.isprintable() else " " for ch in strip_bidi_controls(str(text or "")))
    return " ".join(printable.split())[:max_length]


@task()
def send_notification_email(*, to, subject, body):
    """Email copy of an in-app notification (runs in the django-tasks-db worker)."""
    subject = single_line(f"[{settings.PLATFORM_NAME}] {subject}", max_length=250)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])


@task()
def send_bulk_notification_email(*, to, subject, body):
    """One e-mail per address of `to` (a chunk of at most EMAIL_CHUNK addresses, see core.notifications.notify_all)
    over a single SMTP connection: a notice to every staff member is a few tasks, not one per person."""
    subject = single_line(f"[{settings.PLATFORM_NAME}] {subject}", max_length=250)
    send_mass_mail((subject, body, None, [address]) for address in to)  # one connection for all (its purpose)
