"""Issue 10: 系部审核 of ledger records under concurrency. Two heads of the studio's department act on the same
submitted record at the same instant — one confirms, the other returns it (8 processes, alternating) — and exactly one
move wins: the record ends confirmed or returned, with one status change and one audit event; the other seven are
refused by the workflow. The same for a batch confirm racing returns of the records in the batch: each record ends
with exactly one review. SQLite (file DB) and PostgreSQL alike."""

import datetime as dt

import pytest

from core.models import AuditEvent, StatusChange

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 10
BATCH = 3
REVIEW_ACTIONS = ("ledger.activity.confirmed", "ledger.activity.returned")


def _heads_and_studio(tag):
    from accounts.enums import Role
    from ledger.tests.helpers import make_studio
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code=f"RACEL{tag}", name=f"审核并发测试系{tag}")
    heads = [UserFactory(department=department, roles=[Role.DEPT_HEAD]) for _ in range(2)]
    studio, master, _ = make_studio(department, name=f"审核并发{tag}技能大师工作室")
    return heads, studio, master


def _submitted(studio, master, i):
    from django.utils import timezone

    from ledger.models import Activity

    return Activity.objects.create(
        studio=studio,
        date=timezone.localdate() - dt.timedelta(days=1 + i),
        title=f"并发审核活动{i}",
        kind="exchange",
        status="submitted",
        created_by=master,
    )


def _prepare_single(n):
    heads, studio, master = _heads_and_studio("S")
    actors = [(heads[0].pk, "confirm"), (heads[1].pk, "return")]
    return [(_submitted(studio, master, i).pk, actors) for i in range(n)]


def _review(record_pk, actor):
    from django.core.exceptions import PermissionDenied, ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from ledger import services
    from ledger.models import Activity

    head_pk, action = actor
    head = User.objects.get(pk=head_pk)
    record = Activity.objects.get(pk=record_pk)
    try:
        if action == "confirm":
            services.confirm_record(record, by=head)
        else:
            services.return_record(record, by=head, reason="并发退回：请补充签到表")
    except (ValidationError, PermissionDenied) as exc:
        raise WorkflowError(str(exc), code="denied") from None


def _check_reviewed_once(record_pk):
    from ledger.models import Activity

    record = Activity.objects.get(pk=record_pk)
    problems = []
    if record.status not in ("confirmed", "returned"):
        problems.append(f"record {record_pk} is {record.status}")
    changes = StatusChange.objects.filter(object_id=str(record_pk), from_state="submitted").count()
    audit = AuditEvent.objects.filter(action__in=REVIEW_ACTIONS, object_id=str(record_pk)).count()
    if changes != 1 or audit != 1:
        problems.append(f"record {record_pk}: {changes} status changes, {audit} review audit events")
    if (record.status == "returned") != bool(record.return_reason):
        problems.append(f"record {record_pk}: status {record.status} with return reason {record.return_reason!r}")
    return problems


SINGLE = RaceCase("ledger.confirm_vs_return", _prepare_single, _review, _check_reviewed_once)


def _prepare_batch(n):
    heads, studio, master = _heads_and_studio("B")
    rounds = []
    for i in range(n):
        pks = [_submitted(studio, master, i * BATCH + j).pk for j in range(BATCH)]
        # even slots: head 0 batch-confirms all three; odd slots: head 1 returns one of them
        actors = [(heads[0].pk, "batch", tuple(pks))] + [(heads[1].pk, "return", (pk,)) for pk in pks]
        actors = [actors[0], actors[1], actors[0], actors[2], actors[0], actors[3], actors[0], actors[1]]
        rounds.append((pks[0], actors))
    return rounds


def _batch_or_return(_first_pk, actor):
    from accounts.models import User
    from core.workflow import WorkflowError
    from ledger import services
    from ledger.models import Activity

    head_pk, action, pks = actor
    head = User.objects.get(pk=head_pk)
    if action == "batch":
        confirmed, _refused = services.batch_confirm(Activity, list(pks), by=head)
        if not confirmed:
            raise WorkflowError("批量确认未确认任何记录。", code="none_confirmed")
        return
    _review(pks[0], (head_pk, "return"))


BATCH_CASE = RaceCase("ledger.batch_confirm_vs_return", _prepare_batch, _batch_or_return, lambda pk: [])


def test_two_heads_confirm_and_return_one_record_exactly_one_wins():
    rounds, outcomes = run_race(SINGLE, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (record_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        errors = [r for r in results if r.startswith("error:")]
        if results.count("ok") != 1 or errors:
            problems.append(f"round {round_no}: {results}")
        problems += [f"round {round_no}: {p}" for p in _check_reviewed_once(record_pk)]
    assert not problems, "\n".join(problems[:20])


def test_batch_confirm_racing_returns_reviews_each_record_once():
    from ledger.models import Activity

    rounds, outcomes = run_race(BATCH_CASE, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (_first, actors) in enumerate(rounds):
        results = outcomes[round_no]
        errors = [r for r in results if r.startswith("error:")]
        if errors:
            problems.append(f"round {round_no}: {errors[:2]}")
        pks = actors[0][2]
        for pk in pks:
            problems += [f"round {round_no}: {p}" for p in _check_reviewed_once(pk)]
        statuses = set(Activity.objects.filter(pk__in=pks).values_list("status", flat=True))
        if not statuses <= {"confirmed", "returned"}:
            problems.append(f"round {round_no}: statuses {statuses}")
    assert not problems, "\n".join(problems[:20])
