"""Balances and totals, always aggregated in SQL (SUM … FILTER per status) and returned as Decimal to the fen.

- line_totals(queryset of BudgetLine) annotates budget lines with confirmed / submitted sums;
- totals_by(queryset of BudgetLine, *fields) groups budget lines by fields (studio, source, category) with budget,
  confirmed and submitted sums: the overview's tables, one statement each whatever the number of rows.
The expenditure sums are correlated subqueries on the line, so a line with many expenditures never multiplies the
budget (a JOIN + SUM would count the budget once per expenditure).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .enums import ExpenditureStatus
from .models import Expenditure

ZERO = Decimal("0.00")
SUM_FIELD = DecimalField(max_digits=20, decimal_places=2)


def fen(value):
    """A Decimal rounded to the fen (SQLite returns sums as float-backed values; PostgreSQL as exact numeric)."""
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _spent(status, line_ref="pk"):
    rows = (
        Expenditure.objects.filter(budget_line_id=OuterRef(line_ref), status=status)
        .order_by()
        .values("budget_line_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=SUM_FIELD), Value(ZERO), output_field=SUM_FIELD)


def line_totals(queryset):
    """Budget lines with `confirmed` and `submitted` (Decimal) annotated."""
    return queryset.annotate(
        confirmed=_spent(ExpenditureStatus.CONFIRMED), submitted=_spent(ExpenditureStatus.SUBMITTED)
    )


def totals_by(lines, *fields):
    """[{field…, budget, confirmed, submitted}] of the budget lines `lines` grouped by `fields` (BudgetLine paths such
    as "studio", "studio__official_name", "source", "category__name"), ordered by them. Two statements whatever the
    number of rows: the budgets grouped, and the confirmed/submitted expenditures of those lines grouped the same way
    (separately, so a line with many expenditures never counts its budget more than once)."""
    budgets = lines.order_by().values(*fields).annotate(budget_sum=Sum("amount"))
    paths = [f"budget_line__{f}" for f in fields]
    spent = (
        Expenditure.objects.filter(
            budget_line__in=lines.order_by().values("pk"),
            status__in=(ExpenditureStatus.CONFIRMED, ExpenditureStatus.SUBMITTED),
        )
        .order_by()
        .values(*paths)
        .annotate(
            confirmed_sum=Sum("amount", filter=Q(status=ExpenditureStatus.CONFIRMED)),
            submitted_sum=Sum("amount", filter=Q(status=ExpenditureStatus.SUBMITTED)),
        )
    )
    result = {}
    for row in budgets:
        key = tuple(row[f] for f in fields)
        result[key] = {**{f: row[f] for f in fields}, "budget": fen(row["budget_sum"]), "confirmed": ZERO,
                       "submitted": ZERO}  # fmt: skip
    for row in spent:
        key = tuple(row[p] for p in paths)
        entry = result.get(key)
        if entry is not None:
            entry["confirmed"] = fen(row["confirmed_sum"])
            entry["submitted"] = fen(row["submitted_sum"])
    return [result[k] for k in sorted(result, key=lambda k: tuple("" if v is None else v for v in k))]


def rate(confirmed, budget):
    """Execution rate in % to 0.01 (None without a budget)."""
    if not budget:
        return None
    return (Decimal(confirmed) * 100 / Decimal(budget)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def with_derived(row):
    """Add balance (budget − confirmed), available (budget − confirmed − submitted) and rate to a totals dict."""
    row["balance"] = row["budget"] - row["confirmed"]
    row["available"] = row["budget"] - row["confirmed"] - row["submitted"]
    row["rate"] = rate(row["confirmed"], row["budget"])
    return row


def grand_total(rows):
    total = {"budget": ZERO, "confirmed": ZERO, "submitted": ZERO}
    for row in rows:
        for key in total:
            total[key] += row[key]
    return with_derived(total)
