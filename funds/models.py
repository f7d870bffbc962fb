"""Funds (经费, R16): budgets per studio × year × source × category, expenditures against them, finance's overrun
approvals. Money is Decimal(14,2) — yuan to the fen, never float.

An expenditure belongs to exactly one budget line (its studio, the year of its date, its source and category): the
line is the row the services lock (select_for_update) so concurrent expenditures cannot overspend it together.
Balance of a line = budget − confirmed; what is still available = budget − confirmed − submitted (committed).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.fields import BoundedTextField
from core.models import TimestampedModel
from core.uploads import protected_upload_to, validate_upload

from .enums import ExpenditureStatus, FundingSource

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_AMOUNT = Decimal("999999999999.99")
FEN = Decimal("0.01")


class SpendingCategory(TimestampedModel):
    """支出类别: a dictionary edited by finance (and the system administrator); seeded with 设备…其他."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "支出类别"
        verbose_name_plural = "支出类别"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class BudgetLine(TimestampedModel):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="budget_lines", verbose_name="工作室"
    )
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    source = models.CharField("经费来源", max_length=12, choices=FundingSource.choices)
    category = models.ForeignKey(
        SpendingCategory, on_delete=models.PROTECT, related_name="budget_lines", verbose_name="支出类别"
    )
    amount = models.DecimalField(
        "预算金额（元）", **MONEY, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT)]
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )

    class Meta:
        verbose_name = "经费预算"
        verbose_name_plural = "经费预算"
        constraints = [
            models.UniqueConstraint(fields=["studio", "year", "source", "category"], name="funds_budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_budget_not_negative"),
        ]
        # (year, id): the budget list's default order (年度 desc, then id) read from the index, so a page computes its
        # lines' balances for 20 rows, not for every line of the year before sorting (make bench, 60,000 lines).
        indexes = [
            models.Index(fields=["year", "studio"], name="funds_budget_year_studio"),
            models.Index(fields=["year", "id"], name="funds_budget_year_id"),
        ]

    def __str__(self):
        return f"{self.year} 年 {self.get_source_display()} 预算"


class Expenditure(TimestampedModel):
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="expenditures", verbose_name="工作室"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenditures", verbose_name="预算科目"
    )
    date = models.DateField("支出日期")
    amount = models.DecimalField(
        "金额（元）", **MONEY, validators=[MinValueValidator(FEN), MaxValueValidator(MAX_AMOUNT)]
    )
    payee = models.CharField("收款单位/人", max_length=100)
    description = BoundedTextField("用途说明", max_length=1000)
    voucher = models.FileField(
        "凭证扫描件", upload_to=protected_upload_to("funds"), validators=[validate_upload], max_length=200, blank=True
    )
    voucher_name = models.CharField("凭证原文件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=ExpenditureStatus.choices, default=ExpenditureStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="确认人",
    )  # fmt: skip
    reviewed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = BoundedTextField("退回原因", max_length=1000, blank=True)

    class Meta:
        verbose_name = "经费支出"
        verbose_name_plural = "经费支出"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_expenditure_positive")]
        indexes = [
            models.Index(fields=["date", "id"], name="funds_exp_date_id"),
            models.Index(fields=["budget_line", "status"], name="funds_exp_line_status"),
            models.Index(fields=["studio", "status", "date"], name="funds_exp_studio_st_date"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.payee} {self.amount} 元"

    @property
    def year(self):
        return self.date.year

    @property
    def is_editable(self):
        return self.status in (ExpenditureStatus.DRAFT, ExpenditureStatus.RETURNED)


class OverrunApproval(models.Model):
    """财务部批准超支: lets an expenditure of at most `amount` on `budget_line` be submitted although the line has
    no room left for it. Kept (never deleted) as the record of the decision."""

    expenditure = models.ForeignKey(
        Expenditure, on_delete=models.PROTECT, related_name="overrun_approvals", verbose_name="经费支出"
    )
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name="预算科目")
    amount = models.DecimalField("批准金额（元）", **MONEY, validators=[MinValueValidator(FEN)])
    reason = BoundedTextField("批准理由", max_length=1000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    approved_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "超支审批"
        verbose_name_plural = "超支审批"
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_overrun_positive")]

    def __str__(self):
        return f"超支审批 {self.amount} 元"
