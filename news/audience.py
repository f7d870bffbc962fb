"""Who a notice reaches: the one definition used by publishing (notifications), the reader's list (visibility) and
the receipts (已读/未读). All staff = every active internal user; a department = its active users; a role = the active
holders of that role (教职工: every internal user; 系统管理员: superusers too)."""

from django.db.models import Exists, OuterRef, Q

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from accounts.permissions import roles_of

from .enums import Audience


def audience_users(notice):
    """A User queryset: the active people of the notice's audience (no duplicates, no join fan-out)."""
    people = User.objects.filter(is_active=True)
    if notice.audience == Audience.DEPARTMENT:
        return people.filter(department_id=notice.audience_department_id)
    if notice.audience == Audience.ROLE:
        if notice.audience_role == Role.STAFF:
            return people.filter(is_external=False)
        holds = Exists(RoleAssignment.objects.filter(user_id=OuterRef("pk"), role=notice.audience_role))
        if notice.audience_role == Role.ADMIN:
            return people.filter(holds | Q(is_superuser=True))
        return people.filter(holds)
    return people.filter(is_external=False)


def audience_q(user, prefix=""):
    """Q over notices whose audience includes `user` (roles from the per-request role cache: no extra query)."""
    roles = sorted(roles_of(user))
    q = Q(**{f"{prefix}audience": Audience.ROLE, f"{prefix}audience_role__in": roles})
    if user.department_id:
        q |= Q(**{f"{prefix}audience": Audience.DEPARTMENT, f"{prefix}audience_department_id": user.department_id})
    if not getattr(user, "is_external", False):
        q |= Q(**{f"{prefix}audience": Audience.ALL})
    return q


def in_audience(user, notice):
    if not user.is_authenticated or not user.is_active:
        return False
    if notice.audience == Audience.ALL:
        return not user.is_external
    if notice.audience == Audience.DEPARTMENT:
        return bool(user.department_id) and user.department_id == notice.audience_department_id
    return notice.audience_role in roles_of(user)
