from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, headed_department_ids, may_write_as

from .enums import StudioStatus

# Writes the studio's own people make (its master and its current members): the ledger and plan apps ask
# can(user, "record", studio) before they let someone add a record to a studio.
MEMBER_ACTIONS = frozenset({"record"})


def is_current_member(user, studio):
    """Is `user` the master or a member who has not left (left_on empty)? Uses prefetched memberships if present."""
    if studio.master_id == user.pk:
        return True
    cache = getattr(studio, "_prefetched_objects_cache", {}).get("memberships")
    if cache is not None:
        return any(m.user_id == user.pk and m.left_on is None for m in cache)
    return studio.memberships.filter(user=user, left_on__isnull=True).exists()


class StudioPolicy(ObjectPolicy):
    """Approved studios are known school-wide (the plaque is public); revocation is teaching affairs' act.

    Actions: view/download/export (members past and present, the department, school offices and read-only roles);
    "record" (add ledger/plan records: the master and current members of an active studio); "manage_members"
    (the master, teaching affairs, admin — active studio only); "manage" (registration, exceptions, letters, revocation:
    teaching affairs and admin); "set_contacts" (the master, the department head, teaching affairs, admin);
    "sign_letter" (upload the signed 责任书: the master, teaching affairs, admin)."""

    def visible(self, user, queryset):
        if has_role(user, Role.STAFF) or may_write_as(user, Role.ADMIN):
            return queryset
        return queryset.filter(Q(memberships__user=user) | Q(department_id__in=headed_department_ids(user))).distinct()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if obj.status == StudioStatus.REVOKED:
            return False  # a revoked studio is read-only (studios.services.ensure_writable)
        if action in MEMBER_ACTIONS:
            return is_current_member(user, obj)
        office = may_write_as(user, Role.TEACHING_AFFAIRS, Role.ADMIN)
        if action == "manage_members":
            return office or obj.master_id == user.pk
        if action == "set_contacts":
            return office or obj.master_id == user.pk or obj.department_id in headed_department_ids(user)
        if action == "sign_letter":
            return office or obj.master_id == user.pk
        return office
