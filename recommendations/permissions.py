"""Who sees and does what in 推荐申报 (registered in apps.ready()). The ONE place for this app's permission questions.

- 发改室 (dev_office) writes: creates, edits the draft, submits, withdraws, records the outcome.
- 发改室, 教学工作部, 校领导, 纪检办 and the administrator read every recommendation (纪检办 and 校领导 read-only).
- A studio's master and current members, and the head of its department, read their own studio's recommendations.
- Everybody else is refused.
"""

from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import READ_ACTIONS, ObjectPolicy, has_role, headed_department_ids, may_write_as
from studios.models import Membership

from .enums import RecommendationStatus as S

SEE_ALL = (Role.DEV_OFFICE, Role.TEACHING_AFFAIRS, Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN)
READER_ROLES = frozenset(SEE_ALL)


def is_organiser(user):
    return user.is_authenticated and may_write_as(user, Role.DEV_OFFICE)


def sees_all(user):
    return user.is_authenticated and has_role(user, *SEE_ALL)


def recommendation_q(user):
    """Q over Recommendation visible to `user`; None: every one."""
    if sees_all(user):
        return None
    return (
        Q(studio__master_id=user.pk)
        | Q(studio_id__in=Membership.objects.filter(user_id=user.pk, left_on__isnull=True).values("studio_id"))
        | Q(studio__department_id__in=headed_department_ids(user))
    )


def reads_any(user):
    """The list page and the catalogue: the readers above and anyone with a studio of his own to read."""
    if not user.is_authenticated:
        return False
    if sees_all(user):
        return True
    return (
        bool(headed_department_ids(user))
        or Membership.objects.filter(Q(user_id=user.pk, left_on__isnull=True) | Q(studio__master_id=user.pk)).exists()
    )


WRITES = {
    "change": (S.DRAFT,),
    "submit": (S.DRAFT,),
    "withdraw": (S.DRAFT, S.SUBMITTED),
    "outcome": (S.SUBMITTED,),
}


class RecommendationPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if not user.is_authenticated:
            return queryset.none()
        q = recommendation_q(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action in WRITES:
            return is_organiser(user) and obj.status in WRITES[action]
        return False


class RequirementPolicy(ObjectPolicy):
    """The catalogue is read by the readers of 推荐申报; it is edited in the admin only."""

    def visible(self, user, queryset):
        return queryset if reads_any(user) else queryset.none()

    def can(self, user, action, obj):
        return action in READ_ACTIONS and reads_any(user)
