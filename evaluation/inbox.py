"""我的工作台: scorecards waiting for their evaluator (评分中 rounds), rounds waiting for the committee, and the
votes waiting for a committee member recorded present at a round's latest meeting. Querysets, counted by
core.navigation.inbox_for together with the other apps' in one statement."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from core.navigation import InboxEntry

from .enums import RoundStatus
from .models import EvaluationMeeting, EvaluationRound, EvaluationVote, Scorecard
from .permissions import is_committee


def evaluator_inbox(user):
    if not user.is_authenticated:
        return []
    count = Scorecard.objects.filter(assignments__evaluator_id=user.pk, round__status=RoundStatus.EVALUATING)
    return [InboxEntry("待评分的考核评分表", count, reverse("evaluation:my_scorecards"), icon="pencil-square")]


def committee_inbox(user):
    if not is_committee(user):
        return []
    count = EvaluationRound.objects.filter(status=RoundStatus.SUBMITTED)
    return [
        InboxEntry(
            "待认定的年度考核", count, reverse("evaluation:rounds") + "?status=submitted", icon="clipboard-check"
        )
    ]


def vote_inbox(user):
    """Rounds awaiting the committee whose latest meeting lists `user` present and has no vote of his yet."""
    if not is_committee(user):
        return []
    latest = EvaluationMeeting.objects.filter(round_id=OuterRef("round_id")).order_by("-held_on", "-pk").values("pk")
    meetings = (
        EvaluationMeeting.objects.filter(round__status=RoundStatus.SUBMITTED, members_present=user)
        .filter(pk=Subquery(latest[:1]))
        .exclude(pk__in=EvaluationVote.objects.filter(member_id=user.pk).values("meeting_id"))
    )
    return [
        InboxEntry(
            "待表决的年度考核等级", meetings, reverse("evaluation:rounds") + "?status=submitted", icon="clipboard-check"
        )
    ]
