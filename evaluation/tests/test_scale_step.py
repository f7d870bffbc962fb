"""ops.scale's evaluation step (bench data): the latest round stays 评分中 (bench/evaluation_round.py recomputes it);
the year before's round is with the committee, every scale committee member present and voting through the service,
so the round page shows a full tally at scale."""

import pytest
from django.utils import timezone

from evaluation import votes
from evaluation.models import EvaluationRound, EvaluationVote
from ops import scale

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_rounds_and_the_committees_votes():
    counts = scale.seed_scale(scale=0.002, seed=7)
    year = timezone.localdate().year - 1
    assert EvaluationRound.objects.order_by("-year").first().year == year
    assert EvaluationRound.objects.get(year=year).status == "evaluating"
    voted = EvaluationRound.objects.get(year=year - 1)
    assert voted.status == "submitted"
    meeting = votes.latest_meeting(voted.pk)
    result = votes.tally(meeting)
    assert EvaluationVote.objects.filter(meeting=meeting).count() == counts["evaluation_votes"] == result.present
    assert result.refusal is None  # a quorum voting, 同意 from more than half of those present
