"""推荐申报 (issue 12 item 5): eight submissions of one 草稿 at the same instant leave ONE submission — one
StatusChange, one audit event, one frozen snapshot — the others refused; an outcome (获批) racing a withdrawal
(撤回) of one 已推荐上报 recommendation: exactly one wins, and the studio's level is raised exactly when the approval
won (one level audit event), never after a withdrawal. The recommendation row is the lock (core.workflow).
SQLite and PostgreSQL."""

import pytest

from core.models import AuditEvent, StatusChange

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 3


def _world(n, *, submitted):
    import datetime as dt

    from django.utils import timezone

    from accounts.enums import Role
    from ledger.tests.helpers import make_studio
    from recommendations import services
    from recommendations.checking import check_studio
    from recommendations.defaults import ensure_default_requirements
    from tests.factories import DepartmentFactory, UserFactory

    ensure_default_requirements()
    dev = UserFactory(department=None, roles=[Role.DEV_OFFICE])
    department = DepartmentFactory(code="RACRC", name="推荐并发测试系")
    rows = []
    for i in range(n):
        studio, _, _ = make_studio(department, name=f"推荐并发{i}技能大师工作室", since=dt.date(2020, 1, 1))
        rec = services.create_recommendation(
            by=dev, studio=studio, level="city", year=timezone.localdate().year, reason="并发推荐"
        )
        if submitted:
            confirm = {line["requirement_id"]: "已核实" for line in check_studio(studio.pk, "city")}
            services.submit(rec, by=dev, confirmations=confirm, explanation="说明")
        rows.append((rec.pk, [dev.pk]))
    return rows


def _refusing(call):
    from django.core.exceptions import ValidationError

    from core.workflow import WorkflowError

    try:
        call()
    except ValidationError as exc:
        raise WorkflowError(str(exc), code="invalid") from None


def _submit(rec_pk, dev_pk):
    from accounts.models import User
    from recommendations import services
    from recommendations.checking import check_studio
    from recommendations.models import Recommendation

    rec = Recommendation.objects.get(pk=rec_pk)
    confirm = {line["requirement_id"]: "已核实" for line in check_studio(rec.studio_id, rec.level)}
    _refusing(lambda: services.submit(rec, by=User.objects.get(pk=dev_pk), confirmations=confirm, explanation="说明"))


def _check_submitted(rec_pk):
    from recommendations.models import Recommendation

    problems = []
    rec = Recommendation.objects.get(pk=rec_pk)
    if rec.status != "submitted" or not rec.snapshot.get("lines"):
        problems.append(f"recommendation {rec_pk}: {rec.status}, snapshot {bool(rec.snapshot)}")
    moves = StatusChange.objects.filter(machine="recommendations.recommendation", object_id=str(rec_pk))
    if moves.count() != 1:
        problems.append(f"recommendation {rec_pk}: {moves.count()} moves")
    audits = AuditEvent.objects.filter(action="recommendations.recommendation.submitted", object_id=str(rec_pk))
    if audits.count() != 1:
        problems.append(f"recommendation {rec_pk}: {audits.count()} submission audit events")
    return problems


SUBMIT = RaceCase("recommendations.submit", lambda n: _world(n, submitted=False), _submit, _check_submitted)


def test_concurrent_submissions_one_result():
    rows, outcomes = run_race(SUBMIT, ROUNDS)
    problems = []
    for round_no, (rec_pk, _) in enumerate(rows):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check_submitted(rec_pk)
    assert not problems, "\n".join(problems[:20])


def _outcome_or_withdraw(rec_pk, dev_pk):
    import datetime as dt
    import os

    from accounts.models import User
    from recommendations import services
    from recommendations.models import Recommendation

    by = User.objects.get(pk=dev_pk)
    rec = Recommendation.objects.get(pk=rec_pk)
    if os.getpid() % 2:
        _refusing(lambda: services.record_outcome(rec, by=by, approved=True, year=2026, document="并发文号",
                                                  on=dt.date(2026, 1, 5)))  # fmt: skip
    else:
        _refusing(lambda: services.withdraw(rec, by=by, reason="并发撤回"))


def _check_decided(rec_pk):
    from recommendations.models import Recommendation
    from studios.models import Studio

    problems = []
    rec = Recommendation.objects.get(pk=rec_pk)
    level = Studio.objects.get(pk=rec.studio_id).level
    decided = StatusChange.objects.filter(
        machine="recommendations.recommendation", object_id=str(rec_pk), from_state="submitted"
    )
    if decided.count() != 1:
        problems.append(f"recommendation {rec_pk}: {decided.count()} decisions")
    raised = AuditEvent.objects.filter(action="studios.studio.level_changed", object_id=str(rec.studio_id)).count()
    if rec.status == "approved" and (level != "city" or raised != 1):
        problems.append(f"recommendation {rec_pk}: approved but level {level}, {raised} level events")
    if rec.status == "withdrawn" and (level != "school" or raised):
        problems.append(f"recommendation {rec_pk}: withdrawn but level {level}, {raised} level events")
    if rec.status not in ("approved", "withdrawn"):
        problems.append(f"recommendation {rec_pk}: {rec.status}")
    return problems


DECIDE = RaceCase(
    "recommendations.outcome_withdraw", lambda n: _world(n, submitted=True), _outcome_or_withdraw, _check_decided
)


def test_outcome_racing_withdrawal_one_wins():
    rows, outcomes = run_race(DECIDE, ROUNDS)
    problems = []
    for round_no, (rec_pk, _) in enumerate(rows):
        results = outcomes[round_no]
        if results.count("ok") != 1 or any(not (r == "ok" or r.startswith("refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check_decided(rec_pk)
    assert not problems, "\n".join(problems[:20])
