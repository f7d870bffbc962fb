"""Every authentication is audited here, once, whatever path it took (issue 8, defect 1).

Django sends user_logged_in from login() (our login view, force_login, any future sign-on), user_login_failed from
authenticate() when no backend accepted the credentials, and user_logged_out from logout() (ours and the admin's).
"""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.middleware import client_ip

from . import services
from .backends import refused_attempt
from .middleware import SESSION_AUTH_TIME_KEY, SESSION_REFRESHED_KEY


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_AUTH_TIME_KEY] = now  # the absolute session lifetime starts here
        request.session[SESSION_REFRESHED_KEY] = now  # and the sliding expiry was just set by this save
    services.record_login(user=user, ip=client_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    if refused_attempt.get() is not None:
        refused_attempt.set(None)  # refused while locked/delayed: counted on the throttle row by the backend
        return
    from django.contrib.auth import get_user_model

    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    failure = services.record_failed_login(username=username, ip=client_ip(request))
    if request is not None:
        request.login_failure = failure


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None and user.is_authenticated:
        services.record_logout(user=user)
