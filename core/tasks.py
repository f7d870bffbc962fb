from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task()
def send_notification_email(*, to, subject, body):
    """Email copy of an in-app notification (runs in the django-tasks-db worker)."""
    from core.notifications import single_line

    subject = single_line(f"[{settings.PLATFORM_NAME}] {subject}", max_length=250)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
