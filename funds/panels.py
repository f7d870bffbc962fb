"""The funds panel of the studio page (studios.panels): this year's budget, confirmed and committed spending and the
balance, in ONE statement (the budget lines with their sums as correlated subqueries, summed in SQL), plus the open
task 被财务部退回的支出 from the same row. Shown to those who may see the studio's funds."""

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from studios.models import Studio
from studios.panels import register_panel

from .balances import ZERO, fen, rate
from .enums import ExpenditureStatus
from .models import BudgetLine, Expenditure
from .permissions import funds_studios

MONEY = DecimalField(max_digits=20, decimal_places=2)


def _sum_lines(year):
    rows = (
        BudgetLine.objects.filter(studio_id=OuterRef("pk"), year=year)
        .order_by()
        .values("studio_id")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _sum_spent(year, status):
    rows = (
        Expenditure.objects.filter(studio_id=OuterRef("pk"), budget_line__year=year, status=status)
        .order_by()
        .values("studio_id")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _returned():
    rows = (
        Expenditure.objects.filter(studio_id=OuterRef("pk"), status=ExpenditureStatus.RETURNED)
        .order_by()
        .values("studio_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), Value(0))


def studio_year_totals(studio_id, year, user=None):
    """{budget, confirmed, submitted, balance, available, rate, returned} of one studio-year, in one statement; None
    when `user` (if given) may not see the studio's funds."""
    studios = Studio.objects.filter(pk=studio_id)
    row = (
        (funds_studios(user, studios) if user is not None else studios)
        .annotate(
            budget=_sum_lines(year),
            confirmed=_sum_spent(year, ExpenditureStatus.CONFIRMED),
            submitted=_sum_spent(year, ExpenditureStatus.SUBMITTED),
            returned=_returned(),
        )
        .values("budget", "confirmed", "submitted", "returned")
        .first()
    )
    if row is None:
        return None
    totals = {k: fen(row[k]) for k in ("budget", "confirmed", "submitted")}
    totals["balance"] = totals["budget"] - totals["confirmed"]
    totals["available"] = totals["balance"] - totals["submitted"]
    totals["rate"] = rate(totals["confirmed"], totals["budget"])
    totals["returned"] = row["returned"] or 0
    return totals


def funds_panel(studio, user):
    year = timezone.localdate().year
    totals = studio_year_totals(studio.pk, year, user)
    if totals is None:
        return None
    return {
        "year": year,
        "totals": totals,
        "funds_url": reverse("funds:studio", args=[studio.pk]),
    }


def register():
    register_panel("funds", "经费", "funds/panel.html", funds_panel, order=60)
