"""Expenditure vouchers (凭证扫描件) as an archive source (archive.sources, registered in apps.ready()): every
voucher of a studio-year's expenditures that are not drafts, one statement. The archive search (q) runs in SQL over
the same title and description the entry shows (archive.sources.search_filter)."""

from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Cast, Concat, Substr
from django.urls import reverse

from archive.sources import ArchiveEntry, search_filter

from .enums import ExpenditureStatus
from .models import Expenditure

DESCRIPTION_CHARS = 80


class MoneyText(Func):
    """An amount as text the way Python prints the Decimal of two places the ORM returns ("12.30", "1000.00"):
    PostgreSQL's numeric(14,2)::text keeps the two places; SQLite stores a decimal as INTEGER or REAL, printf puts
    them back (exact to the fen: amounts below 10^12 have at most 14 significant digits, a double holds 15)."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # '%%%%' → '%%' in the template → '%' once Django's SQLite cursor turns the %s placeholders into ?
        return super().as_sql(compiler, connection, template="printf('%%%%.2f', %(expressions)s)", **extra_context)

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(Cast(self.source_expressions[0], TextField()))


def voucher_title_text():
    return Concat(Value("经费支出凭证："), F("payee"), output_field=TextField())


def voucher_description_text():
    """SQL of the entry's description: f"{amount} 元 · {description[:80]}"."""
    return Concat(
        MoneyText(F("amount")), Value(" 元 · "), Substr("description", 1, DESCRIPTION_CHARS), output_field=TextField()
    )


def vouchers(studio_id, year, q=None):
    rows = (
        Expenditure.objects.filter(studio_id=studio_id, budget_line__year=year)
        .exclude(voucher="")
        .exclude(status=ExpenditureStatus.DRAFT)
        .order_by("date", "id")
        .only("pk", "date", "amount", "payee", "description", "voucher", "voucher_name")
    )
    for e in search_filter(rows, q, voucher_title_text(), voucher_description_text()):
        yield ArchiveEntry(
            title=f"经费支出凭证：{e.payee}",
            date=e.date,
            category="other",
            file=e.voucher,
            description=f"{e.amount} 元 · {e.description[:DESCRIPTION_CHARS]}",
            url=reverse("funds:expenditure", args=[e.pk]),
            key=f"voucher-{e.pk}",
        )
