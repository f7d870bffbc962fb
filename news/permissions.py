"""Who sees and does what in news (registered in apps.ready()). The ONE place for news' permission questions.

Notices: 教学工作部 and 发改室 (publishers) see and manage every notice; a person sees the published (and withdrawn)
notices whose audience includes them; 纪检办 and 校领导 read every published notice, write nothing.
Posts: the studio's master and current members write drafts and submit (draft or returned); the head of the studio's
department publishes or returns submitted posts; they, the all-row roles (read-only for the offices) and the authors
see a studio's posts. Published posts are also public (showcase).
"""

from django.db.models import Exists, OuterRef, Q

from accounts.enums import ALL_SCOPE_ROLES, Role
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    is_read_only,
    may_write_as,
)
from studios.enums import StudioStatus
from studios.models import Membership

from .audience import audience_q, in_audience
from .enums import NoticeStatus, PostStatus

PUBLISHER_ROLES = frozenset({Role.TEACHING_AFFAIRS, Role.DEV_OFFICE})
SUPERVISOR_ROLES = frozenset({Role.INSPECTOR, Role.LEADERSHIP})


def is_publisher(user):
    return may_write_as(user, *PUBLISHER_ROLES)


def sees_receipts(user):
    """已读/未读 of a notice: the publishers, the system administrator and the supervisors (read-only)."""
    return has_role(user, *PUBLISHER_ROLES, *SUPERVISOR_ROLES, Role.ADMIN)


def sees_all_notices(user):
    return has_role(user, *PUBLISHER_ROLES, *SUPERVISOR_ROLES, Role.ADMIN)


class NoticePolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if has_role(user, *PUBLISHER_ROLES, Role.ADMIN):
            return queryset
        shown = Q(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN])
        if has_role(user, *SUPERVISOR_ROLES):
            return queryset.filter(shown)
        return queryset.filter(shown & audience_q(user))

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return sees_all_notices(user) or (obj.status != NoticeStatus.DRAFT and in_audience(user, obj))
        if not is_publisher(user):
            return False
        if action in ("edit", "upload", "publish"):
            return obj.status == NoticeStatus.DRAFT
        if action == "withdraw":
            return obj.status == NoticeStatus.PUBLISHED
        return False


def current_member_studio_ids(user):
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, left_on__isnull=True, studio__status=StudioStatus.ACTIVE)
        .values_list("studio_id", flat=True)
        .distinct()
    )


def is_writer(user, studio):
    """The studio's master or a current member (the studio active; not a read-only role)."""
    if not user.is_authenticated or is_read_only(user) or studio.status != StudioStatus.ACTIVE:
        return False
    if studio.master_id == user.pk:
        return True
    return Membership.objects.filter(studio_id=studio.pk, user_id=user.pk, left_on__isnull=True).exists()


def is_reviewer(user, studio):
    return may_write_as(user, Role.DEPT_HEAD) and studio.department_id in headed_department_ids(user)


class PostPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if has_role(user, *ALL_SCOPE_ROLES):
            return queryset
        member = Exists(
            Membership.objects.filter(studio_id=OuterRef("studio_id"), user_id=user.pk, left_on__isnull=True)
        )
        return queryset.filter(
            Q(status=PostStatus.PUBLISHED)
            | Q(created_by_id=user.pk)
            | Q(studio__master_id=user.pk)
            | Q(studio__department_id__in=headed_department_ids(user))
            | member
        )

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return True  # whoever sees it (visible() decides)
        studio = obj.studio
        if action in ("edit", "upload", "delete", "submit"):
            return obj.is_editable and is_writer(user, studio)
        if action in ("publish", "return"):
            return (
                obj.status == PostStatus.SUBMITTED
                and studio.status == StudioStatus.ACTIVE
                and is_reviewer(user, studio)
            )
        return False
