"""Issue 13: the office answers a supervision note while the inspector closes it, at the same instant. Half of the
processes answer (教学工作部), half close (the inspector who wrote it, with a remark). Whatever the order, the state is
consistent: exactly one close succeeds; an answer either lands before the close or is refused (已办结) — never an
answer entry after the close entry; the status equals the last StatusChange; every accepted write has its one audit
event. SQLite and PostgreSQL."""

import datetime as dt

import pytest

from core.models import AuditEvent, StatusChange

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 4


def _prepare(n):
    from django.utils import timezone

    from accounts.enums import Role
    from applications.models import Application, Call, Rubric
    from oversight import services
    from tests.factories import UserFactory

    inspector = UserFactory(department=None, roles=[Role.INSPECTOR])
    office = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    rubric = Rubric.objects.create(name="并发评分标准")
    now = timezone.now()
    call = Call.objects.create(year=now.year, title="并发批次", opens_at=now, closes_at=now + dt.timedelta(days=9),
                               policy_year=now.year, rubric=rubric, created_by=office)  # fmt: skip
    rounds = []
    for i in range(n):
        applicant = UserFactory()
        app = Application.objects.create(call=call, applicant=applicant, department=applicant.department,
                                         studio_name=f"并发申报{i}")  # fmt: skip
        note = services.create_note(by=inspector, type_key="applications.application", object_id=app.pk,
                                    office="teaching_affairs", subject=f"并发意见{i}", text="请答复")  # fmt: skip
        rounds.append((note.pk, [office.pk, inspector.pk]))
    return rounds


def _act(note_pk, actor_pk):
    from django.core.exceptions import PermissionDenied, ValidationError

    from accounts.models import User
    from core.workflow import WorkflowError
    from oversight import services
    from oversight.models import SupervisionNote

    by = User.objects.get(pk=actor_pk)
    note = SupervisionNote.objects.get(pk=note_pk)
    try:
        if note.created_by_id == by.pk:
            services.close_note(note, by=by, text="并发办结")
        else:
            services.answer_note(note, by=by, text="并发答复")
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="closed") from None
    except PermissionDenied as exc:
        raise WorkflowError(str(exc), code="denied") from None


def _check(note_pk):
    from oversight.models import NoteEntry, SupervisionNote

    problems = []
    note = SupervisionNote.objects.get(pk=note_pk)
    kinds = list(NoteEntry.objects.filter(note_id=note_pk).order_by("id").values_list("kind", flat=True))
    moves = list(
        StatusChange.objects.filter(machine="oversight.note", object_id=str(note_pk)).order_by("id")
        .values_list("to_state", flat=True)
    )  # fmt: skip
    if note.status != "closed" or not moves or moves[-1] != "closed":
        problems.append(f"note {note_pk}: status {note.status}, moves {moves}")
    late_answer = "close" in kinds and "answer" in kinds[kinds.index("close") :]
    if kinds.count("close") != 1 or late_answer:
        problems.append(f"note {note_pk}: entries {kinds}")
    if moves.count("closed") != 1 or moves.count("answered") > 1:
        problems.append(f"note {note_pk}: moves {moves}")
    answers = kinds.count("answer")
    if ("answered" in moves) != (answers > 0):
        problems.append(f"note {note_pk}: {answers} answers but moves {moves}")
    events = AuditEvent.objects.filter(object_type="oversight.supervisionnote", object_id=str(note_pk))
    if events.filter(action__in=["oversight.note.answered", "oversight.note.answer_added"]).count() != answers:
        problems.append(f"note {note_pk}: audit events of answers differ from {answers} answers")
    if events.filter(action="oversight.note.closed").count() != 1:
        problems.append(f"note {note_pk}: not exactly one close event")
    return problems, answers


CASE = RaceCase("oversight.answer_vs_close", _prepare, _act, lambda pk: _check(pk)[0])


def test_answer_and_close_at_once_leave_a_consistent_note():
    rounds, outcomes = run_race(CASE, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (note_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        errors = [r for r in results if r.startswith("error")]
        round_problems, answers = _check(note_pk)
        problems += errors + round_problems
        # slots alternate office / inspector: exactly one close accepted, the answers accepted are the ones stored
        if results.count("ok") != 1 + answers:
            problems.append(f"round {round_no}: {results} with {answers} answers stored")
    assert not problems, "\n".join(problems[:20])
