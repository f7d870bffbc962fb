"""Builders for funds tests: a studio with master and 执行负责人, a finance officer, budget lines."""

from decimal import Decimal

from accounts.enums import Role
from funds import services
from funds.models import SpendingCategory
from ledger.tests.helpers import make_studio
from tests.factories import UserFactory


def categories():
    services.ensure_default_categories()
    return {c.code: c for c in SpendingCategory.objects.all()}


def finance_user(**kwargs):
    return UserFactory(department=None, display_name="财务甲", roles=[Role.FINANCE], **kwargs)


def funded_studio(department, *, budget="1000.00", year=None, source="school", category="equipment", name=None):
    """A studio with a budget line; returns (studio, master, finance, line)."""
    from django.utils import timezone

    studio, master, _team = make_studio(department, name=name or "数控技能大师工作室")
    finance = finance_user()
    cats = categories()
    line = services.create_budget_line(
        by=finance, studio=studio, year=year or timezone.localdate().year, source=source,
        category=cats[category], amount=Decimal(budget),
    )  # fmt: skip
    return studio, master, finance, line
