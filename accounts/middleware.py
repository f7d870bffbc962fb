import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_AUTH_TIME_KEY = "_auth_time"
SESSION_REFRESHED_KEY = "_refreshed"


class SessionLifetimeMiddleware:
    """Absolute session lifetime (12 h by default). The idle timeout is SESSION_COOKIE_AGE with a sliding expiry: the
    session is saved again (its expiry moved on) when it was last saved more than SESSION_REFRESH_SECONDS ago — not on
    every request, which cost every page an UPDATE (a write lock on SQLite) for nothing."""

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
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = time.time()
            if now - session.get(SESSION_REFRESHED_KEY, 0) > settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an officer reset the password (accounts.services.reset_password) the owner may do nothing but change it:
    every page redirects to 修改密码 (API calls are refused) until he has."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            path = request.path_info
            if path not in allowed and not path.startswith(settings.STATIC_URL):
                if path.startswith("/api/"):
                    return JsonResponse({"detail": "请先修改管理员设置的临时密码。"}, status=403)
                messages.info(request, "您的密码已由管理员重置为临时密码，请先设置您自己的新密码。")
                return redirect("accounts:password_change")
        return self.get_response(request)
