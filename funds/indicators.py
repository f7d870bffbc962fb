"""The indicator `funds_execution` (经费执行, plans.indicators): confirmed spending ÷ budget of the year, in whole
percent (truncated: 79.99 % counts as 79), per studio. Computed in SQL as integer fen arithmetic —
(confirmed fen × 100) ÷ budget fen — so SQLite and PostgreSQL give the same integer; the waiting value is the
submitted (not yet confirmed) spending in the same unit. Joins compute()'s one UNION statement."""

from django.db.models import BigIntegerField, Case, CharField, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Round

from plans.indicators import provide_computation
from studios.models import Studio

from .enums import ExpenditureStatus
from .models import BudgetLine, Expenditure

KEY = "funds_execution"
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _fen(subquery):
    amount = Coalesce(Subquery(subquery, output_field=MONEY), Value(0, output_field=MONEY), output_field=MONEY)
    return Cast(Round(amount * Value(100)), BigIntegerField())


def _spent(year, status):
    return (
        Expenditure.objects.filter(studio_id=OuterRef("pk"), budget_line__year=year, status=status)
        .order_by()
        .values("studio_id")
        .annotate(t=Sum("amount"))
        .values("t")
    )


def _percent(spent_fen):
    return Case(
        When(budget_fen__gt=0, then=(spent_fen * Value(100)) / F("budget_fen")),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def parts(studio_ids, year):
    budget = (
        BudgetLine.objects.filter(studio_id=OuterRef("pk"), year=year)
        .order_by()
        .values("studio_id")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return [
        Studio.objects.filter(pk__in=studio_ids)
        .order_by()
        .annotate(
            budget_fen=_fen(budget),
            confirmed_fen=_fen(_spent(year, ExpenditureStatus.CONFIRMED)),
            submitted_fen=_fen(_spent(year, ExpenditureStatus.SUBMITTED)),
        )
        .annotate(
            c=_percent(F("confirmed_fen")),
            w=_percent(F("submitted_fen")),
            tag=Value(KEY, output_field=CharField()),
        )
        .values_list("pk", "tag", "c", "w")
    ]


def records(studio_ids, year, *, waiting=False):
    status = ExpenditureStatus.SUBMITTED if waiting else ExpenditureStatus.CONFIRMED
    return Expenditure.objects.filter(studio_id__in=studio_ids, budget_line__year=year, status=status)


def register():
    provide_computation(KEY, parts, label="经费执行率：年度已确认支出 ÷ 年度预算（%，取整）", records=records)
