"""我的工作台: scorecards waiting for their evaluator (评分中 rounds) and rounds waiting for the committee; one COUNT each."""

from django.urls import reverse

from core.navigation import InboxEntry

from .enums import RoundStatus
from .models import EvaluationRound, Scorecard
from .permissions import is_committee


def evaluator_inbox(user):
    if not user.is_authenticated:
        return []
    count = Scorecard.objects.filter(assignments__evaluator_id=user.pk, round__status=RoundStatus.EVALUATING).count()
    if not count:
        return []
    return [InboxEntry("待评分的考核评分表", count, reverse("evaluation:my_scorecards"), icon="pencil-square")]


def committee_inbox(user):
    if not is_committee(user):
        return []
    count = EvaluationRound.objects.filter(status=RoundStatus.SUBMITTED).count()
    return [
        InboxEntry(
            "待认定的年度考核", count, reverse("evaluation:rounds") + "?status=submitted", icon="clipboard-check"
        )
    ]
