from django.conf import settings

from core.navigation import navigation_for


def platform(request):
    return {
        "SCHOOL_NAME": settings.SCHOOL_NAME,
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "nav_items": navigation_for(request),
    }
