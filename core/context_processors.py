import functools

from django.conf import settings

from core.models import Notification
from core.navigation import navigation_for


def platform(request):
    context = {
        "SCHOOL_NAME": settings.SCHOOL_NAME,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "nav_groups": navigation_for(request),
        "unread_notifications": 0,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The header badge. The session's user arrives with the count (accounts.backends.get_user annotates it);
        # otherwise one COUNT, run only when a template shows it and at most once per request.
        @functools.cache
        def unread_notifications():
            count = getattr(user, "unread_notification_count", None)
            if count is None:
                count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
            return count

        context["unread_notifications"] = unread_notifications
    return context
