"""8 processes × 50 rounds of the same transition: in every round exactly one wins, one history row, one audit event,
and the others get a clear refusal (never an unexpected exception). SQLite (file DB) and PostgreSQL alike.

Add a transition to race: one RaceCase in RACES.
"""

import pytest

from core.models import AuditEvent, StatusChange

from . import application_cases, plan_cases
from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 50


# --- Ticket (tests/workflowapp): the dept head's approval -------------------------------------------------------


def _ticket_prepare(n):
    from accounts.enums import Role
    from tests.factories import DepartmentFactory, UserFactory
    from tests.workflowapp.models import Ticket, TicketStatus

    department = DepartmentFactory(code="RACE", name="并发测试系")
    owner = UserFactory(department=department)
    heads = [UserFactory(department=department, roles=[Role.DEPT_HEAD]) for _ in range(2)]
    tickets = Ticket.objects.bulk_create(
        Ticket(title=f"并发{i}", owner=owner, department=department, status=TicketStatus.SUBMITTED) for i in range(n)
    )
    return [(t.pk, [h.pk for h in heads]) for t in tickets]


def _ticket_act(ticket_pk, user_pk):
    from accounts.models import User
    from core.workflow import transition
    from tests.workflowapp.models import Ticket, TicketStatus

    transition(Ticket.objects.get(pk=ticket_pk), TicketStatus.APPROVED, by=User.objects.get(pk=user_pk), note="并发")


def _ticket_check(ticket_pk):
    from tests.workflowapp.models import Ticket, TicketStatus

    problems = []
    if Ticket.objects.get(pk=ticket_pk).status != TicketStatus.APPROVED:
        problems.append("状态不是已认定")
    history = StatusChange.objects.filter(machine="ticket", object_id=str(ticket_pk)).count()
    audit = AuditEvent.objects.filter(action="workflowapp.ticket.approved", object_id=str(ticket_pk)).count()
    if history != 1 or audit != 1:
        problems.append(f"history={history} audit={audit}")
    return problems


RACES = [
    RaceCase("ticket.approve", _ticket_prepare, _ticket_act, _ticket_check),
    *application_cases.CASES,
    *plan_cases.CASES,
]


@pytest.mark.parametrize("case", RACES, ids=lambda c: c.name)
def test_same_transition_raced_wins_once_per_round(case):
    rounds, outcomes = run_race(case, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (obj_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        errors = [r for r in results if r.startswith("error:")]
        if results.count("ok") != 1 or errors:
            problems.append(f"round {round_no}: {results}")
        problems += [f"round {round_no}: {p}" for p in case.check(obj_pk)]
    assert not problems, "\n".join(problems[:20])
