"""Issue 10: concurrent member removals must not slip under R1's minimum together. A studio has 4 core teachers; 8
processes each remove one of them (two per teacher) at the same instant, for many rounds. The membership service locks
the studio row, so in every round exactly one removal succeeds (4 → 3 core teachers), the other seven are refused with
the rule's message, and exactly one audit event is written. SQLite (file DB) and PostgreSQL alike."""

import pytest

from core.models import AuditEvent

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 12


def _prepare(n):
    from accounts.enums import Role
    from studios.enums import MembershipRole
    from studios.models import Membership
    from studios.tests.factories import make_studio
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code="RACEM", name="成员并发测试系")
    office = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    rounds = []
    for i in range(n):
        studio = make_studio(
            office,
            master=UserFactory(department=department),
            department=department,
            cores=4,
            name=f"并发{i}技能大师工作室",
        )
        cores = list(
            Membership.objects.filter(studio=studio, role=MembershipRole.CORE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rounds.append((studio.pk, cores))
    return rounds


def _act(studio_pk, membership_pk):
    from django.core.exceptions import ValidationError

    from core.workflow import WorkflowError
    from studios.models import Studio
    from studios.services import remove_member

    studio = Studio.objects.select_related("master").get(pk=studio_pk)
    try:
        remove_member(studio, membership_pk, by=studio.master, reason="并发退出")
    except ValidationError as refused:
        raise WorkflowError("；".join(refused.messages), code="rule") from None


def _check(studio_pk):
    from studios.enums import MembershipRole
    from studios.models import Membership

    problems = []
    current = Membership.objects.filter(studio_id=studio_pk, role=MembershipRole.CORE, left_on__isnull=True).count()
    left = Membership.objects.filter(studio_id=studio_pk, left_on__isnull=False).count()
    if (current, left) != (3, 1):
        problems.append(f"core teachers now {current}, left {left}")
    audit = AuditEvent.objects.filter(action="studios.membership.removed", object_id=str(studio_pk)).count()
    if audit != 1:
        problems.append(f"audit={audit}")
    return problems


CASE = RaceCase("studio.remove_core_teacher", _prepare, _act, _check)


def test_concurrent_removals_from_four_core_teachers_leave_exactly_one():
    rounds, outcomes = run_race(CASE, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (studio_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or results.count("refused:rule") != PROCESSES - 1:
            problems.append(f"round {round_no}: {results}")
        problems += [f"round {round_no}: {p}" for p in _check(studio_pk)]
    assert not problems, "\n".join(problems[:20])
