"""The one authentication backend: the sign-in throttle is checked inside authenticate(), before any password hash.

So every caller of django.contrib.auth.authenticate() — our login form, and any sign-on path added later — gets the
lockout and the delay; the refusal is counted on the throttle row (accounts.security), the failure signal that Django
then sends is not counted a second time (accounts.signals).
"""

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from core.middleware import client_ip
from core.models import Notification

from . import security
from .models import RoleAssignment

# Set while authenticate() unwinds from a refusal, so the user_login_failed receiver knows it was not a wrong password.
refused_attempt = ContextVar("refused_attempt", default=None)


def _role_assignments_text():
    """The user's role assignments as "role:department_id,…" (a subquery of get_user's one SELECT):
    accounts.permissions reads the roles from it instead of querying role_assignments on every request."""
    rows = (
        RoleAssignment.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(
            t=StringAgg(
                Concat("role", Value(":"), Coalesce(Cast("department_id", CharField()), Value(""))),
                delimiter=Value(","),
            )
        )
        .values("t")
    )
    return Subquery(rows, output_field=CharField())


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        refused_attempt.set(None)
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request)
        refused = security.refusal(username, ip)
        if refused is not None:
            security.record_blocked(username, ip, refused)
            refused_attempt.set(refused)
            if request is not None:
                request.login_refusal = refused
            raise PermissionDenied(refused.message())  # authenticate() stops here: no other backend, no hash
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of each request, with his unread notification count in the same SELECT (a subquery):
        the header's badge (core.context_processors) costs no query of its own."""
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(
                unread_notification_count=Coalesce(Subquery(unread), 0), role_assignments_text=_role_assignments_text()
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
