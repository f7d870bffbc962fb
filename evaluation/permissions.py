"""Who sees and does what in 年度考核 (registered in apps.ready()). The ONE place for the evaluation app's permission
questions.

- 发改室 (dev_office) organises rounds: creates them, assigns evaluators, records a 弄虚作假 veto, recomputes, submits
  the proposed grades. It sees every round and scorecard.
- Evaluators (any user assigned to a scorecard) see the round and their scorecards and adjust them while the round is
  评分中; 发改室 may adjust too.
- 学术委员会 (committee) sees submitted and confirmed rounds, records the meeting, votes (members present at it; the
  service checks presence), confirms or returns.
- 教学工作部, 校领导, 纪检办, admin see everything (纪检办 and 校领导 read-only, as everywhere).
- A studio's master and members, and the head of its department, see the studio's scorecard once the round is
  confirmed (the result), never the work in progress.
"""

from django.db.models import Q

from accounts.enums import Role
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    is_read_only,
    may_write_as,
)
from studios.models import Membership

from .enums import RoundStatus
from .models import Scorecard

SEE_ALL = (Role.DEV_OFFICE, Role.TEACHING_AFFAIRS, Role.INSPECTOR, Role.LEADERSHIP, Role.ADMIN)


def is_organiser(user):
    return may_write_as(user, Role.DEV_OFFICE)


def is_committee(user):
    return may_write_as(user, Role.COMMITTEE)


def sees_all(user):
    return user.is_authenticated and has_role(user, *SEE_ALL)


def _studio_q(user, prefix):
    return (
        Q(**{f"{prefix}master_id": user.pk})
        | Q(**{f"{prefix}pk__in": Membership.objects.filter(user_id=user.pk).values("studio_id")})
        | Q(**{f"{prefix}department_id__in": headed_department_ids(user)})
    )


def round_q(user):
    """Q over EvaluationRound visible to `user`; None: every round."""
    if sees_all(user):
        return None
    q = Q(scorecards__assignments__evaluator_id=user.pk)
    if has_role(user, Role.COMMITTEE):
        q |= Q(status__in=(RoundStatus.SUBMITTED, RoundStatus.CONFIRMED))
    q |= Q(status=RoundStatus.CONFIRMED) & Q(pk__in=_scorecards_of_own_studios(user).values("round_id"))
    return q


def _scorecards_of_own_studios(user):
    return Scorecard.objects.filter(_studio_q(user, "studio__"))


def scorecard_q(user):
    """Q over Scorecard visible to `user`; None: every scorecard."""
    if sees_all(user):
        return None
    q = Q(assignments__evaluator_id=user.pk)
    if has_role(user, Role.COMMITTEE):
        q |= Q(round__status__in=(RoundStatus.SUBMITTED, RoundStatus.CONFIRMED))
    q |= Q(round__status=RoundStatus.CONFIRMED) & _studio_q(user, "studio__")
    return q


def is_evaluator(user, scorecard):
    return (
        user.is_authenticated and not is_read_only(user) and scorecard.assignments.filter(evaluator_id=user.pk).exists()
    )


class RoundPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = round_q(user)
        return queryset if q is None else queryset.filter(q).distinct()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action in ("manage", "start", "submit", "recompute", "assign", "veto"):
            return is_organiser(user) and obj.status in (RoundStatus.DRAFT, RoundStatus.EVALUATING)
        if action in ("confirm", "meeting", "return", "vote"):
            return is_committee(user) and obj.status == RoundStatus.SUBMITTED
        return False


class ScorecardPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = scorecard_q(user)
        return queryset if q is None else queryset.filter(q).distinct()

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        status = obj.round.status
        if action == "adjust":
            return status == RoundStatus.EVALUATING and (is_organiser(user) or is_evaluator(user, obj))
        if action in ("assign", "veto"):
            return is_organiser(user) and status in (RoundStatus.DRAFT, RoundStatus.EVALUATING)
        return False
