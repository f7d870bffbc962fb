"""Expenditure vouchers (凭证扫描件) as an archive source (archive.sources, registered in apps.ready()): every
voucher of a studio-year's expenditures that are not drafts, one statement."""

from django.urls import reverse

from archive.sources import ArchiveEntry

from .enums import ExpenditureStatus
from .models import Expenditure


def vouchers(studio_id, year):
    rows = (
        Expenditure.objects.filter(studio_id=studio_id, budget_line__year=year)
        .exclude(voucher="")
        .exclude(status=ExpenditureStatus.DRAFT)
        .order_by("date", "id")
        .only("pk", "date", "amount", "payee", "description", "voucher", "voucher_name")
    )
    for e in rows:
        yield ArchiveEntry(
            title=f"经费支出凭证：{e.payee}",
            date=e.date,
            category="other",
            file=e.voucher,
            description=f"{e.amount} 元 · {e.description[:80]}",
            url=reverse("funds:expenditure", args=[e.pk]),
            key=f"voucher-{e.pk}",
        )
