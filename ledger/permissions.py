"""Who sees and does what with ledger records (registered for each record model in apps.ready()).

Visible: the studio's members past and present and its master, the head of the studio's department, and the roles
that see every row (school offices, 纪检办, 校领导, admin). Actions on a record (the studio must be active):
- "edit" / "upload" / "submit": the master or a current member, while the record is a draft or returned;
- "progress" (带徒进展, 项目阶段): the master or a current member, in any state;
- "confirm" / "return": the head of the studio's department, while submitted;
- "spot_check" (抽查): teaching affairs.
"""

from django.db.models import Q

from accounts.enums import ALL_SCOPE_ROLES, Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, headed_department_ids, may_write_as
from studios.enums import StudioStatus
from studios.models import Membership
from studios.permissions import is_current_member

from .enums import RecordStatus

EDIT_ACTIONS = frozenset({"edit", "upload", "submit"})
REVIEW_ACTIONS = frozenset({"confirm", "return"})


def visible_records_q(user, prefix=""):
    """Q over records (or over studios with prefix="") that `user` may see; None means everything."""
    if has_role(user, *ALL_SCOPE_ROLES):
        return None
    studio = f"{prefix}studio" if prefix != "" else "studio"
    return (
        Q(**{f"{studio}__department_id__in": headed_department_ids(user)})
        | Q(**{f"{studio}__master_id": user.pk})
        | Q(**{f"{studio}_id__in": Membership.objects.filter(user_id=user.pk).values("studio_id")})
    )


def is_reviewer(user, studio):
    return may_write_as(user, Role.DEPT_HEAD) and studio.department_id in headed_department_ids(user)


class LedgerRecordPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = visible_records_q(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        studio = obj.studio
        if studio.status == StudioStatus.REVOKED:
            return False  # a revoked studio is read-only (studios.services.ensure_writable)
        if action in EDIT_ACTIONS:
            return obj.is_editable and is_current_member(user, studio)
        if action == "progress":
            return is_current_member(user, studio)
        if action in REVIEW_ACTIONS:
            return obj.status == RecordStatus.SUBMITTED and is_reviewer(user, studio)
        if action == "spot_check":
            return may_write_as(user, Role.TEACHING_AFFAIRS) and obj.status == RecordStatus.CONFIRMED
        return False
