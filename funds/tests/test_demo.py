import pytest
from django.core.management import call_command

from core.models import AuditEvent
from funds.models import BudgetLine, Expenditure

pytestmark = pytest.mark.django_db


def test_demo_studio_has_budgets_and_expenditures_and_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    lines = BudgetLine.objects.filter(studio__master__username="T2001")
    assert set(lines.values_list("source", flat=True)) == {"school", "department"}
    statuses = sorted(Expenditure.objects.filter(studio__master__username="T2001").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "draft", "submitted"]
    assert all(e.voucher for e in Expenditure.objects.all())
    events = AuditEvent.objects.count()
    call_command("seed_demo", quiet=True)
    assert AuditEvent.objects.count() == events and Expenditure.objects.count() == 4
