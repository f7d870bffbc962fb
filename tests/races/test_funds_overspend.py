"""Issue 11: concurrent expenditures cannot overspend a budget line together. 8 processes each add (and submit) an
expenditure of 60.00 against a line of 100.00 at the same instant — room for one: exactly one is accepted, the other
seven are refused with the Chinese 超出预算 message, and no refused row (or audit event) is left behind. The line is
locked (SELECT … FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite) by funds.services. SQLite and PostgreSQL."""

from decimal import Decimal

import pytest

from core.models import AuditEvent

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 5
AMOUNT = "60.00"


def _prepare(n):
    from django.utils import timezone

    from accounts.enums import Role
    from funds import services
    from funds.models import SpendingCategory
    from ledger.tests.helpers import make_studio
    from tests.factories import DepartmentFactory, UserFactory

    services.ensure_default_categories()
    category = SpendingCategory.objects.get(code="equipment")
    finance = UserFactory(department=None, roles=[Role.FINANCE])
    department = DepartmentFactory(code="RACEF", name="经费并发测试系")
    rounds = []
    for i in range(n):
        studio, master, _ = make_studio(department, name=f"经费并发{i}技能大师工作室")
        line = services.create_budget_line(
            by=finance, studio=studio, year=timezone.localdate().year,
            source="school", category=category, amount="100.00",
        )  # fmt: skip
        rounds.append((line.pk, [master.pk]))
    return rounds


def _add(line_pk, master_pk):
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from accounts.models import User
    from core.workflow import WorkflowError
    from funds import services
    from funds.models import BudgetLine

    line = BudgetLine.objects.select_related("studio", "category").get(pk=line_pk)
    try:
        services.create_expenditure(
            by=User.objects.get(pk=master_pk),
            studio=line.studio,
            data={
                "date": timezone.localdate(), "amount": AMOUNT, "source": line.source, "category": line.category,
                "payee": "并发供应商", "description": "并发采购",
            },
            submit=True,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        raise WorkflowError(str(exc), code="overspend" if "超出预算" in str(exc) else "denied") from None


def _check(line_pk):
    from funds.models import Expenditure

    rows = list(Expenditure.objects.filter(budget_line_id=line_pk).values_list("status", "amount"))
    problems = []
    if rows != [("submitted", Decimal(AMOUNT))]:
        problems.append(f"line {line_pk}: expenditures {rows}")
    created = AuditEvent.objects.filter(action="funds.expenditure.created").count()
    return problems, created


CASE = RaceCase("funds.overspend", _prepare, _add, lambda pk: _check(pk)[0])


def test_eight_concurrent_expenditures_against_room_for_one_exactly_one_accepted():
    rounds, outcomes = run_race(CASE, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (line_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or results.count("refused:overspend") != PROCESSES - 1:
            problems.append(f"round {round_no}: {results}")
        problems += _check(line_pk)[0]
    assert AuditEvent.objects.filter(action="funds.expenditure.created").count() == ROUNDS
    assert not problems, "\n".join(problems[:20])
