"""Forms of the funds pages. Amounts are parsed as Decimal (forms.DecimalField, two places); the services check
them again (money()) — the rule lives there."""

from decimal import Decimal

from django import forms

from core.forms import BootstrapMixin, DecisionForm, limited_char

from .enums import ExpenditureStatus, FundingSource
from .models import MAX_AMOUNT, BudgetLine, Expenditure, OverrunApproval, SpendingCategory


class DateInput(forms.DateInput):
    input_type = "date"


def _money_field(label, *, min_value):
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=min_value, max_value=MAX_AMOUNT,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "请填写金额（元），例如 1234.50。", "max_decimal_places": "金额最多精确到分（两位小数）。",
                        "max_digits": "金额过大。", "min_value": "金额须大于 0。" if min_value else "金额不能为负数。"},
    )  # fmt: skip


def _categories():
    return forms.ModelChoiceField(
        label="支出类别",
        queryset=SpendingCategory.objects.filter(active=True).order_by("order", "id"),
        empty_label="请选择",
        error_messages={"invalid_choice": "请选择有效的支出类别。", "required": "请选择支出类别。"},
    )


class BudgetForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.ChoiceField(label="经费来源", choices=[("", "请选择"), *FundingSource.choices])
    category = None  # set in __init__ (a fresh queryset per form)
    amount = _money_field("预算金额（元）", min_value=0)
    note = limited_char(BudgetLine, "note", label="说明", required=False)

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = _categories()
        self.fields["category"].widget.attrs["class"] = "form-select"
        self.order_fields(["year", "source", "category", "amount", "note"])
        if sources is not None:
            self.fields["source"].choices = [("", "请选择")] + [
                (v, label) for v, label in FundingSource.choices if v in sources
            ]


class BudgetEditForm(BootstrapMixin, forms.Form):
    amount = _money_field("预算金额（元）", min_value=0)
    note = limited_char(BudgetLine, "note", label="说明", required=False)


class ExpenditureForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label="支出日期", widget=DateInput(format="%Y-%m-%d"))
    amount = _money_field("金额（元）", min_value=Decimal("0.01"))
    source = forms.ChoiceField(label="经费来源", choices=[("", "请选择"), *FundingSource.choices])
    payee = limited_char(Expenditure, "payee", label="收款单位/人")
    description = limited_char(Expenditure, "description", label="用途说明")
    voucher = forms.FileField(label="凭证扫描件（PDF/JPG/PNG）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = _categories()
        self.fields["category"].widget.attrs["class"] = "form-select"
        self.order_fields(["date", "amount", "source", "category", "payee", "description", "voucher"])

    def data_for_service(self):
        return {k: self.cleaned_data[k] for k in ("date", "amount", "source", "category", "payee", "description")}


class VoucherForm(BootstrapMixin, forms.Form):
    voucher = forms.FileField(label="凭证扫描件（PDF/JPG/PNG）", error_messages={"required": "请选择要上传的文件。"})


class OverrunForm(BootstrapMixin, forms.Form):
    reason = limited_char(
        OverrunApproval, "reason", label="批准超支的理由", error_messages={"required": "请填写批准超支的理由。"}
    )


class CategoryForm(BootstrapMixin, forms.Form):
    name = limited_char(SpendingCategory, "name", label="名称")
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label="启用", required=False, initial=True)


def decision_form(data=None):
    """财务部's opinion box on a submitted expenditure: 确认支出 or 退回 (reason required)."""
    return DecisionForm(
        data,
        choices=[(ExpenditureStatus.CONFIRMED, "确认支出"), (ExpenditureStatus.RETURNED, "退回")],
        reason_required=[ExpenditureStatus.RETURNED],
        note_max_length=Expenditure._meta.get_field("return_reason").max_length,
    )
