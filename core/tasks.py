from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task()
def send_notification_email(*, to, subject, body):
    """Email copy of an in-app notification (runs in the django-tasks-db worker)."""
    send_mail(subject=f"[{settings.PLATFORM_NAME}] {subject}", message=body, from_email=None, recipient_list=[to])
