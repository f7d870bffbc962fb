import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_AUTH_TIME_KEY = "_auth_time"


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h by default). The idle timeout is SESSION_COOKIE_AGE with a sliding expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_AUTH_TIME_KEY)
            if started is None:
                request.session[SESSION_AUTH_TIME_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, "登录已超过最长有效期，请重新登录。")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
