"""ops.scale's funds step (bench data): budget lines and expenditures over the plan years, Decimal to the fen, every
line within its budget unless 财务部 approved the overrun, the split_spending pattern 纪检 flags, and the sequences
moved past the explicit keys."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from funds.models import BudgetLine, Expenditure, OverrunApproval
from ops import scale
from oversight.flags import all_flags

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_funds_within_budget_unless_approved():
    counts = scale.seed_scale(scale=0.002, seed=7)
    this_year = timezone.localdate().year
    lines = BudgetLine.objects.annotate(
        committed=Sum("expenditures__amount", filter=Q(expenditures__status__in=("confirmed", "submitted"))),
        approved=Exists(OverrunApproval.objects.filter(budget_line=OuterRef("pk"))),
    )
    assert lines.count() == counts["funds_budget_lines"] == 4 * 5 * scale.FUNDS_LINES
    assert set(lines.values_list("year", flat=True)) == set(range(this_year - 4, this_year + 1))
    over = [line for line in lines if (line.committed or 0) > line.amount]
    assert over and all(line.approved for line in over)  # the flagship overruns one line a year, with approval
    assert OverrunApproval.objects.count() == counts["funds_overruns"] >= 5
    for approval in OverrunApproval.objects.select_related("expenditure"):
        assert (
            approval.amount >= approval.expenditure.amount
            and approval.budget_line_id == approval.expenditure.budget_line_id
        )

    expenditures = Expenditure.objects.select_related("budget_line")
    assert expenditures.count() == counts["funds_expenditures"]
    assert all(e.date.year == e.budget_line.year and e.studio_id == e.budget_line.studio_id for e in expenditures)
    assert not Expenditure.objects.filter(date__gt=timezone.localdate()).exists()
    assert all(e.amount == e.amount.quantize(Decimal("0.01")) > 0 for e in expenditures)
    statuses = dict(Expenditure.objects.values_list("status").annotate(n=Count("pk")))
    assert {"confirmed", "submitted", "returned", "draft"} <= set(statuses)
    assert not Expenditure.objects.filter(status="draft").exclude(voucher="").exists()
    assert not Expenditure.objects.exclude(status="draft").filter(voucher="").exists()
    waiting = Expenditure.objects.filter(status="submitted", budget_line__year=this_year).count()
    assert waiting > Expenditure.objects.filter(status="submitted", budget_line__year=this_year - 2).count()
    assert {f.rule for f in all_flags("split_spending")} == {"split_spending"}  # the flagship's split, flagged

    # explicit keys, then sequences moved past them: the ORM still creates rows
    line = BudgetLine.objects.order_by("-pk").first()
    made = Expenditure.objects.create(
        studio_id=line.studio_id, budget_line=line, date=dt.date(line.year, 1, 2), amount=Decimal("1.00"),
        payee="新", description="新", created_by_id=line.created_by_id,
    )  # fmt: skip
    assert made.pk > Expenditure.objects.exclude(pk=made.pk).order_by("-pk").values_list("pk", flat=True).first()
