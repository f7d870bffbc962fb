"""年度考核 (issue 12 item 3): two (eight) committee confirmations of one submitted round at the same instant
produce ONE result — one confirmation, one StatusChange, one audit event, the 不合格 studio revoked once, one
results notice — the others are refused (the round has moved on). And a confirmation racing an adjustment: the
adjustment is refused once the round is no longer 评分中, or lands before the submission that freezes the proposal —
never a changed score inside a confirmed scorecard. The committee's vote (brief E): one member voting eight times at
once leaves one vote; a vote racing the confirmation is either counted by it or refused after it — the confirmation's
audit records exactly the votes stored. The round row is the lock (evaluation.services / core.workflow).
SQLite and PostgreSQL."""

import pytest

from core.models import AuditEvent, StatusChange

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 3


def _world(n, *, submit, votes=0):
    import datetime as dt

    from django.utils import timezone

    from accounts.enums import Role
    from evaluation import services
    from ledger.tests.helpers import make_studio
    from plans.services import ensure_indicator_set
    from tests.factories import DepartmentFactory, UserFactory

    dev = UserFactory(department=None, roles=[Role.DEV_OFFICE])
    committee = [UserFactory(department=None, roles=[Role.COMMITTEE]) for _ in range(3)]
    department = DepartmentFactory(code="RACEV", name="考核并发测试系")
    rounds = []
    this = timezone.localdate().year
    for i in range(n):
        # years going back: each studio is approved on 31 December of its round's year, so the round created right
        # after it holds it alone (earlier studios were approved later; later ones do not exist yet)
        year = this - 2 - i
        ensure_indicator_set(year)
        make_studio(department, name=f"考核并发{i}技能大师工作室", since=dt.date(year, 12, 31))
        round_ = services.start_round(services.create_round(by=dev, year=year, due_on=dt.date(year + 1, 3, 1)), by=dev)
        if submit:
            services.submit_round(round_, by=dev)
            services.record_meeting(round_, by=committee[0], held_on=dt.date(year + 1, 3, 5), members=committee)
            if votes:
                for member in committee[:votes]:
                    services.cast_vote(round_, by=member, decision="agree")
        rounds.append((round_.pk, [c.pk for c in committee] if submit else [dev.pk, committee[0].pk]))
    return rounds


def _confirm(round_pk, member_pk):
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from evaluation import services
    from evaluation.models import EvaluationRound

    try:
        services.confirm_round(EvaluationRound.objects.get(pk=round_pk), by=User.objects.get(pk=member_pk))
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="invalid") from None


def _check(round_pk):
    from evaluation.models import EvaluationRound, Scorecard
    from news.models import Notice

    problems = []
    round_ = EvaluationRound.objects.get(pk=round_pk)
    if round_.status != "confirmed":
        problems.append(f"round {round_pk}: {round_.status}")
    moves = StatusChange.objects.filter(machine="evaluation.round", object_id=str(round_pk), to_state="confirmed")
    if moves.count() != 1:
        problems.append(f"round {round_pk}: {moves.count()} confirmations")
    studio_ids = list(Scorecard.objects.filter(round_id=round_pk).values_list("studio_id", flat=True))
    revoked = StatusChange.objects.filter(machine="studio", object_id__in=[str(s) for s in studio_ids])
    if revoked.count() != 1:
        problems.append(f"round {round_pk}: {revoked.count()} revocations")
    if Notice.objects.filter(source=f"evaluation.round:{round_pk}").count() != 1:
        problems.append(f"round {round_pk}: results notice not posted exactly once")
    return problems


CONFIRM = RaceCase("evaluation.confirm", lambda n: _world(n, submit=True, votes=3), _confirm, _check)


def test_concurrent_confirmations_one_result():
    rounds, outcomes = run_race(CONFIRM, ROUNDS)
    problems = []
    for round_no, (round_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check(round_pk)
    assert AuditEvent.objects.filter(action="evaluation.round.grades_confirmed").count() == ROUNDS
    assert not problems, "\n".join(problems[:20])


def _submit_or_adjust(round_pk, actor_pk):
    """Half the workers submit the round (发改室), half adjust its scorecard (发改室 too, as an evaluator may)."""
    import os

    from django.core.exceptions import ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from evaluation import services
    from evaluation.models import EvaluationRound, Scorecard

    by = User.objects.get(pk=actor_pk)
    round_ = EvaluationRound.objects.get(pk=round_pk)
    try:
        if os.getpid() % 2:
            services.submit_round(round_, by=by)
        else:
            card = Scorecard.objects.get(round_id=round_pk)
            services.adjust(card, by=by, indicator_key="mentorships", score="1", basis="并发调整")
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="invalid") from None


def _check_submitted(round_pk):
    from evaluation.models import Adjustment, EvaluationRound, Scorecard

    problems = []
    round_ = EvaluationRound.objects.get(pk=round_pk)
    card = Scorecard.objects.get(round_id=round_pk)
    if round_.status != "submitted":
        problems.append(f"round {round_pk}: {round_.status}")
    # the proposal equals the scorecard's stored computation, which includes every adjustment accepted
    adjusted = Adjustment.objects.filter(scorecard=card).exists()
    line = next(li for li in card.lines if li["key"] == "mentorships")
    if adjusted != (line["basis"] == "并发调整"):
        problems.append(f"round {round_pk}: adjustment stored={adjusted} but scorecard line {line}")
    if card.proposed_grade != card.suggested_grade:
        problems.append(f"round {round_pk}: proposed {card.proposed_grade} != suggested {card.suggested_grade}")
    return problems


def _dev_only(n):
    rounds = _world(n, submit=False)
    return [(pk, [actors[0]]) for pk, actors in rounds]


SUBMIT_ADJUST = RaceCase("evaluation.submit_adjust", _dev_only, _submit_or_adjust, _check_submitted)


def test_submission_racing_adjustments_never_leaves_an_adjustment_outside_the_proposal():
    rounds, outcomes = run_race(SUBMIT_ADJUST, ROUNDS)
    problems = []
    for round_no, (round_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        if any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check_submitted(round_pk)
    assert not problems, "\n".join(problems[:20])


# --- the committee's vote (brief E) --------------------------------------------------------------------------------


def _one_member(n):
    """Every worker is the same member present at the round's meeting."""
    return [(pk, actors[:1]) for pk, actors in _world(n, submit=True)]


def _vote(round_pk, member_pk):
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from evaluation import services
    from evaluation.models import EvaluationRound

    try:
        services.cast_vote(EvaluationRound.objects.get(pk=round_pk), by=User.objects.get(pk=member_pk),
                           decision="agree")  # fmt: skip
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="invalid") from None


def _check_one_vote(round_pk):
    from evaluation.models import EvaluationVote

    votes = EvaluationVote.objects.filter(meeting__round_id=round_pk)
    audit = AuditEvent.objects.filter(action="evaluation.round.vote_cast", object_id=str(round_pk))
    problems = []
    if votes.count() != 1 or audit.count() != 1:
        problems.append(f"round {round_pk}: {votes.count()} votes, {audit.count()} vote audit events")
    return problems


VOTE_TWICE = RaceCase("evaluation.vote_twice", _one_member, _vote, _check_one_vote)


def test_the_same_member_voting_twice_at_once_leaves_one_vote():
    rounds, outcomes = run_race(VOTE_TWICE, ROUNDS)
    problems = []
    for round_no, (round_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        if results.count("ok") != 1 or any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check_one_vote(round_pk)
    assert not problems, "\n".join(problems[:20])


def _two_agreed(n):
    """Members 0 and 1 of 3 (all present) have voted 同意 (a quorum, a majority): member 2's vote races their
    confirmations."""
    return _world(n, submit=True, votes=2)


def _vote_or_confirm(round_pk, member_pk):
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from evaluation import services
    from evaluation.models import EvaluationRound, EvaluationVote

    round_ = EvaluationRound.objects.get(pk=round_pk)
    by = User.objects.get(pk=member_pk)
    try:
        if EvaluationVote.objects.filter(meeting__round_id=round_pk, member=by).exists():
            services.confirm_round(round_, by=by)
        else:
            services.cast_vote(round_, by=by, decision="disagree", reason="并发表决：等级偏高")
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="invalid") from None


def _check_vote_confirm(round_pk):
    from evaluation.models import EvaluationRound, EvaluationVote

    problems = _check(round_pk)
    round_ = EvaluationRound.objects.get(pk=round_pk)
    votes = EvaluationVote.objects.filter(meeting__round_id=round_pk)
    recorded = AuditEvent.objects.get(action="evaluation.round.grades_confirmed", object_id=str(round_pk)).after
    counted = {"present": 3, "agree": 2, "disagree": votes.filter(decision="disagree").count()}
    if recorded["votes"] != counted:  # the confirmation counted exactly the votes that exist, no vote came after
        problems.append(f"round {round_pk}: confirmation counted {recorded['votes']}, votes stored {counted}")
    if votes.filter(cast_at__gt=round_.confirmed_at).exists():
        problems.append(f"round {round_pk}: a vote cast after the confirmation")
    if votes.count() > 3:
        problems.append(f"round {round_pk}: {votes.count()} votes")
    return problems


VOTE_CONFIRM = RaceCase("evaluation.vote_confirm", _two_agreed, _vote_or_confirm, _check_vote_confirm)


def test_a_vote_racing_the_confirmation_is_counted_or_refused_never_lost():
    rounds, outcomes = run_race(VOTE_CONFIRM, ROUNDS)
    problems = []
    for round_no, (round_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        if any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check_vote_confirm(round_pk)
    assert not problems, "\n".join(problems[:20])
