"""REST API of funds, mounted at /api/v1/funds/: budget lines (list, create, update), expenditures (list, detail,
create, update, voucher upload, submit, confirm, return, overrun approval) and the year's totals. Amounts are
strings to the fen ("1234.50") both ways — never JSON floats. Writes go through funds.services: the permission
checks, ensure_writable, the year freeze, the budget check (422 with a Chinese message), the workflow (409) and the
audit are those of the pages."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, model_text, text
from core.pagination import BoundedPagination
from studios.models import Studio

from . import services
from .balances import fen, grand_total, line_totals, totals_by, with_derived
from .enums import FundingSource
from .models import BudgetLine, Expenditure, OverrunApproval, SpendingCategory
from .permissions import funds_studios

router = Router(tags=["funds"])
PREFIX = "funds"

Year = Annotated[int, Field(ge=2000, le=2100)]
# An amount in yuan as a string ("1234.50"): a JSON float cannot hold 0.10 exactly. funds.services.money() parses it.
Amount = text(20, min_length=1)


def _yuan(value):
    return f"{fen(value):.2f}"


class BudgetOut(Schema):
    id: int
    studio_id: int
    year: int
    source: str
    category_id: int
    category: str
    amount: str
    confirmed: str
    submitted: str
    balance: str
    note: str


class BudgetIn(Schema):
    studio_id: Id
    year: Year
    source: Code
    category_id: Id
    amount: Amount = Field(..., description='金额（元），字符串，最多两位小数，例如 "1234.50"')
    note: model_text(BudgetLine, "note") = ""


class BudgetPatch(Schema):
    amount: Amount
    note: model_text(BudgetLine, "note") | None = None


class ExpenditureOut(Schema):
    id: int
    studio_id: int
    year: int
    date: dt.date
    amount: str
    source: str
    category_id: int
    payee: str
    description: str
    status: str
    return_reason: str
    voucher_url: str | None


class ExpenditureIn(Schema):
    studio_id: Id | None = Field(None, description="新增时必填")
    date: dt.date | None = None
    amount: Amount | None = None
    source: Code | None = None
    category_id: Id | None = None
    payee: model_text(Expenditure, "payee") | None = None
    description: model_text(Expenditure, "description") | None = None
    submit: bool = Field(False, description="新增时同时提交财务确认")


class ReasonIn(Schema):
    reason: model_text(Expenditure, "return_reason", min_length=1)


class OverrunIn(Schema):
    reason: model_text(OverrunApproval, "reason", min_length=1)


class OverrunOut(Schema):
    id: int
    expenditure_id: int
    amount: str
    reason: str


class TotalRow(Schema):
    key: str
    label: str
    budget: str
    confirmed: str
    submitted: str
    balance: str
    rate: str | None


class SummaryOut(Schema):
    year: int
    by_studio: list[TotalRow]
    by_source: list[TotalRow]
    by_category: list[TotalRow]
    total: TotalRow


def _budget_out(line):
    return {
        "id": line.pk, "studio_id": line.studio_id, "year": line.year, "source": line.source,
        "category_id": line.category_id, "category": line.category.name, "amount": _yuan(line.amount),
        "confirmed": _yuan(line.confirmed), "submitted": _yuan(line.submitted),
        "balance": _yuan(line.amount - line.confirmed), "note": line.note,
    }  # fmt: skip


def _expenditure_out(e):
    return {
        "id": e.pk, "studio_id": e.studio_id, "year": e.budget_line.year, "date": e.date, "amount": _yuan(e.amount),
        "source": e.budget_line.source, "category_id": e.budget_line.category_id, "payee": e.payee,
        "description": e.description, "status": e.status, "return_reason": e.return_reason,
        "voucher_url": reverse("funds:voucher", args=[e.pk]) if e.voucher else None,
    }  # fmt: skip


def _lines(request):
    return line_totals(visible_to(request.auth, BudgetLine).select_related("category")).order_by("-year", "id")


def _expenditures(request):
    return visible_to(request.auth, Expenditure).select_related("budget_line").order_by("-date", "-id")


def _line(request, pk):
    return get_object_or_404(_lines(request), pk=pk)


def _expenditure(request, pk, action="view"):
    return get_object_for_user(request, Expenditure.objects.select_related("studio", "budget_line"), pk, action=action)


def _fresh(request, pk):
    return _expenditure_out(get_object_or_404(_expenditures(request), pk=pk))


@router.get(
    "/budgets/",
    url_name="funds_budget_list",
    response=list[BudgetOut],
    summary="经费预算列表（含已确认、待确认与余额）",
)
@paginate(BoundedPagination)
def list_budgets(request, studio_id: Id | None = None, year: Year | None = None):
    rows = _lines(request)
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    if year:
        rows = rows.filter(year=year)
    return _Mapped(rows, _budget_out)


class _Mapped:
    """A queryset that the paginator counts and slices, each row mapped to its output dict."""

    def __init__(self, rows, fn):
        self.rows = rows
        self.fn = fn

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, item):
        return [self.fn(r) for r in self.rows[item]]


@router.post(
    "/budgets/",
    url_name="funds_budget_create",
    response={201: BudgetOut},
    summary="录入经费预算（财务部；系部主任录入系部配套）",
)
def create_budget(request, payload: BudgetIn):
    studio = get_object_for_user(request, Studio, payload.studio_id)
    line = services.create_budget_line(
        by=request.auth, studio=studio, year=payload.year, source=payload.source, category=payload.category_id,
        amount=payload.amount, note=payload.note,
    )  # fmt: skip
    return Status(201, _budget_out(_line(request, line.pk)))


@router.patch("/budgets/{int:pk}", url_name="funds_budget_update", response=BudgetOut, summary="修改经费预算金额")
def update_budget(request, pk: Id, payload: BudgetPatch):
    line = get_object_for_user(request, BudgetLine.objects.select_related("studio"), pk, action="edit")
    services.update_budget_line(line, by=request.auth, amount=payload.amount, note=payload.note)
    return _budget_out(_line(request, pk))


@router.get("/expenditures/", url_name="funds_expenditure_list", response=list[ExpenditureOut], summary="经费支出列表")
@paginate(BoundedPagination)
def list_expenditures(
    request, status: Code | None = None, studio_id: Id | None = None,
    year: Year | None = None,
):  # fmt: skip
    rows = _expenditures(request)
    if status:
        rows = rows.filter(status=status)
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    if year:
        rows = rows.filter(budget_line__year=year)
    return _Mapped(rows, _expenditure_out)


@router.get("/expenditures/{int:pk}", url_name="funds_expenditure_get", response=ExpenditureOut, summary="经费支出详情")
def get_expenditure(request, pk: Id):
    _expenditure(request, pk)
    return _fresh(request, pk)


def _data(payload, *, partial):
    values = payload.dict(exclude_unset=partial)
    data = {}
    for name in ("date", "amount", "source", "payee", "description"):
        if name in values and (values[name] is not None or not partial):
            data[name] = values[name]
    if values.get("category_id") is not None:
        data["category"] = values["category_id"]
    return data


@router.post(
    "/expenditures/",
    url_name="funds_expenditure_create",
    response={201: ExpenditureOut},
    summary="登记经费支出（技能大师或执行负责人；可同时提交）",
)
def create_expenditure(request, payload: ExpenditureIn):
    if payload.studio_id is None:
        raise ValidationError("请指定工作室（studio_id）。")
    studio = get_object_for_user(request, Studio, payload.studio_id)
    expenditure = services.create_expenditure(
        by=request.auth, studio=studio, data=_data(payload, partial=False), submit=payload.submit
    )
    return Status(201, _fresh(request, expenditure.pk))


@router.patch(
    "/expenditures/{int:pk}",
    url_name="funds_expenditure_update",
    response=ExpenditureOut,
    summary="修改草稿或被退回的经费支出",
)
def update_expenditure(request, pk: Id, payload: ExpenditureIn):
    expenditure = _expenditure(request, pk, action="edit")
    services.update_expenditure(expenditure, by=request.auth, data=_data(payload, partial=True))
    return _fresh(request, pk)


@router.post(
    "/expenditures/{int:pk}/voucher",
    url_name="funds_voucher_upload",
    response=ExpenditureOut,
    summary="上传凭证扫描件（multipart：file）",
)
def upload_voucher(request, pk: Id, file: File[UploadedFile]):
    expenditure = _expenditure(request, pk, action="upload")
    services.attach_voucher(expenditure, by=request.auth, upload=file)
    return _fresh(request, pk)


@router.post(
    "/expenditures/{int:pk}/submit",
    url_name="funds_expenditure_submit",
    response=ExpenditureOut,
    summary="提交财务确认（超出预算时拒绝，除非已批准超支）",
)
def submit_expenditure(request, pk: Id):
    services.submit_expenditure(_expenditure(request, pk), by=request.auth)
    return _fresh(request, pk)


@router.post(
    "/expenditures/{int:pk}/confirm",
    url_name="funds_expenditure_confirm",
    response=ExpenditureOut,
    summary="财务部确认支出",
)
def confirm_expenditure(request, pk: Id):
    services.confirm_expenditure(_expenditure(request, pk), by=request.auth)
    return _fresh(request, pk)


@router.post(
    "/expenditures/{int:pk}/return",
    url_name="funds_expenditure_return",
    response=ExpenditureOut,
    summary="财务部退回支出（须写原因）",
)
def return_expenditure(request, pk: Id, payload: ReasonIn):
    services.return_expenditure(_expenditure(request, pk), by=request.auth, reason=payload.reason)
    return _fresh(request, pk)


@router.post(
    "/expenditures/{int:pk}/overrun",
    url_name="funds_expenditure_overrun",
    response={201: OverrunOut},
    summary="财务部批准超支（须写理由）",
)
def approve_overrun(request, pk: Id, payload: OverrunIn):
    approval = services.approve_overrun(_expenditure(request, pk), by=request.auth, reason=payload.reason)
    return Status(
        201, {"id": approval.pk, "expenditure_id": pk, "amount": _yuan(approval.amount), "reason": approval.reason}
    )


def _row(key, label, r):
    r = with_derived(dict(r))
    return {
        "key": str(key), "label": label, "budget": _yuan(r["budget"]), "confirmed": _yuan(r["confirmed"]),
        "submitted": _yuan(r["submitted"]), "balance": _yuan(r["balance"]),
        "rate": None if r["rate"] is None else f"{r['rate']:.2f}",
    }  # fmt: skip


@router.get(
    "/summary",
    url_name="funds_summary",
    response=SummaryOut,
    summary="年度经费汇总（按工作室、来源、类别；与页面和导出一致到分）",
)
def summary(request, year: Year | None = None):
    year = year or timezone.localdate().year
    lines = BudgetLine.objects.filter(
        year=year, studio__in=funds_studios(request.auth, Studio.objects.all()).values("pk")
    )
    by_studio = totals_by(lines, "studio", "studio__official_name")
    by_source = totals_by(lines, "source")
    by_category = totals_by(lines, "category", "category__name")
    return {
        "year": year,
        "by_studio": [_row(r["studio"], r["studio__official_name"], r) for r in by_studio],
        "by_source": [_row(r["source"], FundingSource(r["source"]).label, r) for r in by_source],
        "by_category": [_row(r["category"], r["category__name"], r) for r in by_category],
        "total": _row("total", "合计", grand_total(by_source)),
    }


class CategoryIn(Schema):
    name: model_text(SpendingCategory, "name", min_length=1)
    order: int = Field(0, ge=0, le=32767)
    active: bool = True


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    order: int
    active: bool


@router.get("/categories/", url_name="funds_category_list", response=list[CategoryOut], summary="支出类别")
def list_categories(request):
    return list(SpendingCategory.objects.order_by("order", "id"))


@router.post(
    "/categories/", url_name="funds_category_create", response={201: CategoryOut}, summary="新增支出类别（财务部）"
)
def create_category(request, payload: CategoryIn):
    return Status(201, services.save_category(by=request.auth, **payload.dict()))


@router.patch("/categories/{int:pk}", url_name="funds_category_update", response=CategoryOut, summary="修改支出类别")
def update_category(request, pk: Id, payload: CategoryIn):
    category = get_object_or_404(SpendingCategory, pk=pk)
    return services.save_category(by=request.auth, category=category, **payload.dict())
