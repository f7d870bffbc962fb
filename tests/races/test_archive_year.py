"""Issue 11: year-end archiving (归档) under concurrency, SQLite (file DB) and PostgreSQL alike.

1. 8 processes archive the same studio-year at once: exactly one succeeds (one YearArchive row, one audit event);
   the others are refused ("已经归档").
2. Ledger edits racing the archiving of their year: the archiving succeeds once; every edit either committed before
   the freeze (its audit event precedes the archiving's) or was refused by studios.freeze — none lands after it.
   Both lock the studio row, so there is no third outcome."""

import datetime as dt

import pytest

from core.models import AuditEvent

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 4
YEAR = dt.date.today().year - 1


def _studio(tag, i):
    from accounts.enums import Role
    from ledger.models import Activity
    from ledger.tests.helpers import make_studio
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code=f"RACEA{tag}{i}", name=f"归档并发测试系{tag}{i}")
    archivist = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    studio, master, team = make_studio(department, name=f"归档并发{tag}{i}技能大师工作室", members=1)
    activity = Activity.objects.create(
        studio=studio, date=dt.date(YEAR, 5, 1), title="归档前的活动", kind="exchange", created_by=master
    )
    return studio, archivist, master, activity


def _prepare_twice(n):
    rounds = []
    for i in range(n):
        studio, archivist, _master, _activity = _studio("T", i)
        rounds.append((studio.pk, [("archive", archivist.pk)]))
    return rounds


def _prepare_mixed(n):
    rounds = []
    for i in range(n):
        studio, archivist, master, activity = _studio("M", i)
        rounds.append((studio.pk, [("archive", archivist.pk), ("edit", master.pk, activity.pk)]))
    return rounds


def _act(studio_pk, actor):
    from django.core.exceptions import PermissionDenied, ValidationError

    from accounts.models import User
    from archive import services
    from core.workflow import WorkflowError
    from ledger import services as ledger
    from ledger.models import Activity
    from studios.freeze import YearFrozen

    user = User.objects.get(pk=actor[1])
    try:
        if actor[0] == "archive":
            services.archive_year(studio_pk, YEAR, by=user, override_reason="并发归档测试")
        else:
            record = Activity.objects.get(pk=actor[2])
            ledger.update_record(record, by=user, data={"participants": record.participants + 1})
    except YearFrozen as exc:
        raise WorkflowError(str(exc), code="frozen") from None
    except (ValidationError, PermissionDenied) as exc:
        raise WorkflowError(str(exc), code="denied") from None


def _archived_once(studio_pk):
    from archive.models import YearArchive

    rows = list(YearArchive.objects.filter(studio_id=studio_pk, year=YEAR))
    problems = [] if len(rows) == 1 else [f"studio {studio_pk}: {len(rows)} archive rows"]
    events = AuditEvent.objects.filter(
        action__in=("archive.year.archived", "archive.year.overridden"), object_id__in=[str(r.pk) for r in rows]
    ).count()
    if events != len(rows):
        problems.append(f"studio {studio_pk}: {events} archive audit events for {len(rows)} rows")
    return problems


TWICE = RaceCase("archive.twice", _prepare_twice, _act, _archived_once)
MIXED = RaceCase("archive.vs_ledger_edit", _prepare_mixed, _act, _archived_once)


def test_two_archivings_of_one_studio_year_one_wins():
    rounds, outcomes = run_race(TWICE, ROUNDS)
    problems = []
    for round_no, (studio_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or any(r.startswith("error:") for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _archived_once(studio_pk)
    assert not problems, "\n".join(problems[:20])


def test_ledger_edit_racing_the_archiving_lands_before_the_freeze_or_is_refused():
    from archive.models import YearArchive

    rounds, outcomes = run_race(MIXED, ROUNDS)
    problems = []
    for round_no, (studio_pk, actors) in enumerate(rounds):
        results = outcomes[round_no]
        if any(r.startswith("error:") for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _archived_once(studio_pk)
        activity_pk = actors[1][2]
        archive = YearArchive.objects.get(studio_id=studio_pk, year=YEAR)
        freeze = AuditEvent.objects.get(
            action__in=("archive.year.archived", "archive.year.overridden"), object_id=str(archive.pk)
        )
        edits = AuditEvent.objects.filter(action="ledger.activity.updated", object_id=str(activity_pk))
        late = [e.pk for e in edits if e.pk > freeze.pk]
        if late:
            problems.append(f"round {round_no}: edits {late} landed after the freeze {freeze.pk}")
        # slots alternate archive / edit: PROCESSES // 2 edits, each saved before the freeze or refused by it
        saved, refused = edits.count(), results.count("refused:frozen")
        if saved + refused != PROCESSES // 2 or results.count("ok") != 1 + saved:
            problems.append(f"round {round_no}: {saved} edits saved, {refused} refused: {results}")
    assert not problems, "\n".join(problems[:20])
