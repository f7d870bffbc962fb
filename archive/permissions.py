"""Who sees and does what in the archive: one policy (ArchivePolicy) for every archive object type, registered in
apps.ready() for StudioYear (a studio's archive of one year, not a table), ArchiveDocument, Addendum, YearArchive
and ArchivePackage. Each object answers `.studio`.

- view / download / export: whoever sees the studio's ledger (members past and present, its master, the head of its
  department, the school offices, 纪检办, 校领导, admin);
- "upload" (a document into the archive), "addendum" (补充说明): the master or a current member, or teaching affairs;
- "archive" (归档, with or without an override of the checklist): teaching affairs;
- "package" (start building the zip): teaching affairs or the studio's master.
A revoked studio's archive stays readable; teaching affairs may still archive and package it.
"""

from dataclasses import dataclass

from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, can, headed_department_ids, may_write_as
from ledger.permissions import visible_records_q
from studios.enums import StudioStatus
from studios.models import Membership, Studio
from studios.permissions import is_current_member


@dataclass(frozen=True)
class StudioYear:
    studio: Studio
    year: int

    @property
    def pk(self):
        return f"{self.studio.pk}-{self.year}"


def visible_studios(user):
    """The studios whose archive `user` may read (the ledger's visibility rule, over studios)."""
    if visible_records_q(user) is None:
        return Studio.objects.all()
    return Studio.objects.filter(
        Q(department_id__in=headed_department_ids(user))
        | Q(master_id=user.pk)
        | Q(pk__in=Membership.objects.filter(user_id=user.pk).values("studio_id"))
    )


def may_archive(user):
    """归档 of any studio-year (the school-wide 批量归档 too): teaching affairs."""
    return can(user, "archive", StudioYear(Studio(), 0))


class ArchivePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = visible_records_q(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return (
                visible_studios(user)
                .filter(pk=obj.studio.pk if isinstance(obj, StudioYear) else obj.studio_id)
                .exists()
            )
        studio = obj.studio
        if action == "archive":
            return may_write_as(user, Role.TEACHING_AFFAIRS)
        if action == "package":
            return may_write_as(user, Role.TEACHING_AFFAIRS) or studio.master_id == user.pk
        if action in ("upload", "addendum"):
            if may_write_as(user, Role.TEACHING_AFFAIRS):
                return True
            return studio.status != StudioStatus.REVOKED and is_current_member(user, studio)
        return False
