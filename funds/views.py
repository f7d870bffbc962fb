"""Funds pages (经费管理): budgets and expenditures lists (core.lists.ListPage, 导出 Excel — the expenditures export is
the 经费台账), a studio's funds page, the expenditure form with its voucher, 财务部's decision box, 超支审批, the
overview across studios (预算执行情况) and the spending-category dictionary. Views parse, check permission through
funds.permissions / accounts.permissions, call one service and redirect."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Department
from accounts.permissions import can, get_object_for_user, visible_to
from core.forms import form_errors, refusal_text, run_service
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.search import id_param
from core.uploads import serve_file
from core.workflow import WorkflowError, history_for
from studios.models import Studio

from . import services
from .balances import ZERO, fen, grand_total, line_totals, rate, totals_by, with_derived
from .enums import ExpenditureStatus, FundingSource
from .forms import (
    BudgetEditForm,
    BudgetForm,
    CategoryForm,
    ExpenditureForm,
    OverrunForm,
    VoucherForm,
    decision_form,
)
from .models import BudgetLine, Expenditure, SpendingCategory
from .permissions import (
    budget_sources,
    can_manage_categories,
    funds_studios,
    is_finance,
    is_spender,
    overview_studio_q,
    sees_overview,
)

MONEY = DecimalField(max_digits=20, decimal_places=2)


def _add_errors(form, exc):
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _year_choices():
    this = timezone.localdate().year
    return [(str(y), f"{y} 年") for y in range(this + 1, this - 10, -1)]


def _year(request):
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def yuan(value):
    """Amount as text to the fen ("1234.50"): the same string in the page, the xlsx and the API."""
    return f"{fen(value):.2f}"


# --- lists --------------------------------------------------------------------------------------------------------


def _category_filter():
    return IdChoiceFilter(
        field_name="budget_line__category", queryset=SpendingCategory.objects.order_by("order", "id"),
        empty_label="全部类别", label="支出类别",
    )  # fmt: skip


def _studio_filter(field_name="studio"):
    return IdChoiceFilter(
        field_name=field_name, queryset=Studio.objects.order_by("official_name"), empty_label="全部工作室",
        label="工作室", label_field="official_name",
    )  # fmt: skip


class ExpenditureFilter(ListFilterSet):
    q = SearchFilter("payee", "description", "studio__official_name", label="收款方、用途或工作室")
    status = ChoiceFilter(choices=ExpenditureStatus.choices, empty_label="全部状态", label="状态")
    studio = _studio_filter()
    year = ChoiceFilter(field_name="budget_line__year", choices=_year_choices, empty_label="全部年度", label="年度")
    source = ChoiceFilter(
        field_name="budget_line__source", choices=FundingSource.choices, empty_label="全部来源", label="经费来源"
    )
    category = _category_filter()

    class Meta:
        model = Expenditure
        fields = []


class ExpenditureListPage(ListPage):
    """经费支出 (and its export, the 经费台账): the visible expenditures, filtered; the filtered total in SQL."""

    template_name = "funds/expenditures.html"
    filterset_class = ExpenditureFilter
    default_sort = "-date"
    list_url_name = "funds:expenditures"
    export_title = "经费台账"
    columns = (
        Column("date", "支出日期", ("date",), "date"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("year", "年度", ("budget_line__year",), "budget_line.year"),
        Column("source", "经费来源", ("budget_line__source",), "budget_line.get_source_display"),
        Column("category", "支出类别", ("budget_line__category__order",), "budget_line.category.name"),
        Column("payee", "收款单位/人", ("payee",), "payee"),
        Column("description", "用途说明", (), "description"),
        Column("amount", "金额（元）", ("amount",), lambda r: yuan(r.amount)),
        Column("status", "状态", ("status",), "get_status_display"),
    )

    def get_queryset(self):
        return visible_to(self.request.user, Expenditure).select_related(
            "studio", "budget_line", "budget_line__category"
        )

    def _total(self):
        rows = self.filterset_class(self.request.GET, queryset=self.get_queryset(), request=self.request).qs
        return fen(rows.order_by().aggregate(t=Sum("amount"))["t"])

    def extra_context(self):
        return {"total": yuan(self._total()), "is_finance": is_finance(self.request.user)}

    def export_rows(self, rows):
        header, data = super().export_rows(rows)
        total = sum((Decimal(row[7]) for row in data), ZERO)
        data.append(["合计", "", "", "", "", "", f"共 {len(data)} 笔", yuan(total), ""])
        return header, data


class BudgetFilter(ListFilterSet):
    q = SearchFilter("studio__official_name", "note", label="工作室或说明")
    studio = _studio_filter()
    year = ChoiceFilter(choices=_year_choices, empty_label="全部年度", label="年度")
    source = ChoiceFilter(choices=FundingSource.choices, empty_label="全部来源", label="经费来源")
    category = IdChoiceFilter(
        queryset=SpendingCategory.objects.order_by("order", "id"), empty_label="全部类别", label="支出类别"
    )

    class Meta:
        model = BudgetLine
        fields = []


class BudgetListPage(ListPage):
    """经费预算: the visible budget lines with their confirmed / submitted sums and balance (SQL subqueries)."""

    template_name = "funds/budgets.html"
    filterset_class = BudgetFilter
    default_sort = "-year"
    list_url_name = "funds:budgets"
    export_title = "经费预算"
    columns = (
        Column("year", "年度", ("year",), "year"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("source", "经费来源", ("source",), "get_source_display"),
        Column("category", "支出类别", ("category__order",), "category.name"),
        Column("amount", "预算（元）", ("amount",), lambda r: yuan(r.amount)),
        Column("confirmed", "已确认支出（元）", ("confirmed",), lambda r: yuan(r.confirmed)),
        Column("submitted", "待确认（元）", ("submitted",), lambda r: yuan(r.submitted)),
        Column("balance", "余额（元）", ("balance",), lambda r: yuan(r.balance)),
    )

    def get_queryset(self):
        rows = line_totals(visible_to(self.request.user, BudgetLine).select_related("studio", "category"))
        return rows.annotate(balance=ExpressionWrapper(F("amount") - F("confirmed"), output_field=MONEY))

    def _order_for(self, sort):
        # the sums are annotations, not model fields: order by them directly
        key = sort.lstrip("-")
        if key in ("confirmed", "submitted", "balance"):
            return [f"-{key}" if sort.startswith("-") else key, "-pk" if sort.startswith("-") else "pk"]
        return super()._order_for(sort)


# --- the overview across studios (预算执行情况) ----------------------------------------------------------------


def _studio_sum(year, status=None):
    if status is None:
        rows = BudgetLine.objects.filter(studio_id=OuterRef("pk"), year=year)
    else:
        rows = Expenditure.objects.filter(studio_id=OuterRef("pk"), budget_line__year=year, status=status)
    rows = rows.order_by().values("studio_id").annotate(t=Sum("amount")).values("t")
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


class OverviewFilter(ListFilterSet):
    q = SearchFilter("official_name", label="工作室")
    department = IdChoiceFilter(queryset=Department.objects.order_by("name"), empty_label="全部系部", label="系部")

    class Meta:
        model = Studio
        fields = []


class OverviewPage(ListPage):
    """预算执行情况 by studio for a year (budget, confirmed, committed, execution rate), plus the totals by source and
    by category: aggregates in SQL, the same statements whatever the number of studios or expenditures."""

    template_name = "funds/overview.html"
    filterset_class = OverviewFilter
    default_sort = "studio"
    list_url_name = "funds:overview"
    export_title = "预算执行情况"
    columns = (
        Column("studio", "工作室", ("official_name",), "official_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("budget", "预算（元）", ("budget",), lambda r: yuan(r.budget)),
        Column("confirmed", "已确认支出（元）", ("confirmed",), lambda r: yuan(r.confirmed)),
        Column("submitted", "待确认（元）", ("submitted",), lambda r: yuan(r.submitted)),
        Column("balance", "余额（元）", (), lambda r: yuan(r.budget - r.confirmed)),
        Column("rate", "执行率（%）", (), lambda r: _rate_text(r.confirmed, r.budget)),
    )

    def check_access(self, request):
        if not sees_overview(request.user):
            raise PermissionDenied("只有财务部、学校职能部门、校领导和系部主任可以查看预算执行情况。")

    def get_queryset(self):
        year = _year(self.request)
        q = overview_studio_q(self.request.user)
        studios = Studio.objects.all() if q is None else Studio.objects.filter(q)
        return studios.select_related("department").annotate(
            budget=_studio_sum(year),
            confirmed=_studio_sum(year, ExpenditureStatus.CONFIRMED),
            submitted=_studio_sum(year, ExpenditureStatus.SUBMITTED),
        )

    def _order_for(self, sort):
        key = sort.lstrip("-")
        if key in ("budget", "confirmed", "submitted"):
            return [f"-{key}" if sort.startswith("-") else key, "-pk" if sort.startswith("-") else "pk"]
        return super()._order_for(sort)

    def extra_context(self):
        for row in self.page:
            row.balance_text = yuan(row.budget - row.confirmed)
            row.rate_text = _rate_text(row.confirmed, row.budget)
        year = _year(self.request)
        lines = BudgetLine.objects.filter(year=year)
        q = overview_studio_q(self.request.user, prefix="studio__")
        if q is not None:
            lines = lines.filter(q)
        studios = self.filterset_class(self.request.GET, queryset=Studio.objects.all(), request=self.request).qs
        lines = lines.filter(studio__in=studios.values("pk"))
        by_source = [with_derived(r) for r in totals_by(lines, "source")]
        for row in by_source:
            row["label"] = FundingSource(row["source"]).label
        by_category = [with_derived(r) for r in totals_by(lines, "category__order", "category__name")]
        for row in by_category:
            row["label"] = row["category__name"]
        return {
            "year": year,
            "years": _year_choices(),
            "by_source": by_source,
            "by_category": by_category,
            "total": grand_total(by_source),
        }


def _rate_text(confirmed, budget):
    value = rate(fen(confirmed), fen(budget))
    return "—" if value is None else f"{value:.2f}"


# --- a studio's funds ---------------------------------------------------------------------------------------------

RECENT = 20


@login_required
def studio_funds(request, pk):
    studio_id = id_param(str(pk))
    studio = funds_studios(request.user, Studio.objects.select_related("department")).filter(pk=studio_id).first()
    if studio is None:
        raise Http404("工作室不存在或您无权查看其经费。")
    visible = BudgetLine.objects.filter(studio=studio)
    year = _year(request)
    lines = list(
        line_totals(visible.filter(year=year)).select_related("category").order_by("source", "category__order")
    )
    for line in lines:
        line.balance = line.amount - line.confirmed
        line.available = line.balance - line.submitted
    totals_lines = visible.filter(year=year)
    by_source = [with_derived(r) for r in totals_by(totals_lines, "source")]
    for row in by_source:
        row["label"] = FundingSource(row["source"]).label
    by_category = [with_derived(r) for r in totals_by(totals_lines, "category__order", "category__name")]
    expenditures = list(
        Expenditure.objects.filter(studio=studio, budget_line__year=year)
        .select_related("budget_line", "budget_line__category")
        .order_by("-date", "-id")[:RECENT]
    )
    return render(
        request,
        "funds/studio.html",
        {
            "studio": studio,
            "year": year,
            "years": _year_choices(),
            "lines": lines,
            "by_source": by_source,
            "by_category": by_category,
            "total": grand_total(by_source),
            "expenditures": expenditures,
            "can_spend": is_spender(request.user, studio),
            "can_budget": bool(budget_sources(request.user, studio)),
            "list_url": reverse("funds:expenditures") + f"?studio={studio.pk}&year={year}",
        },
    )


@login_required
def budget_new(request, pk):
    studio = get_object_for_user(request, Studio, pk)
    sources = budget_sources(request.user, studio)
    if not sources:
        raise PermissionDenied("只有财务部可以录入经费预算；系部主任只能录入本系工作室的「系部配套」预算。")
    form = BudgetForm(request.POST or None, sources=sources, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_budget_line(by=request.user, studio=studio, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "预算已保存。")
            return redirect(reverse("funds:studio", args=[studio.pk]) + f"?year={form.cleaned_data['year']}")
    return render(request, "funds/budget_form.html", {"form": form, "studio": studio, "line": None})


@login_required
def budget_edit(request, pk):
    line = get_object_for_user(request, BudgetLine.objects.select_related("studio", "category"), pk, action="edit")
    form = BudgetEditForm(request.POST or None, initial={"amount": line.amount, "note": line.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_budget_line(line, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "预算已修改。")
            return redirect(reverse("funds:studio", args=[line.studio_id]) + f"?year={line.year}")
    return render(request, "funds/budget_form.html", {"form": form, "studio": line.studio, "line": line})


# --- expenditures -------------------------------------------------------------------------------------------------


def _expenditure(request, pk, action="view"):
    queryset = Expenditure.objects.select_related("studio", "budget_line", "budget_line__category", "created_by")
    return get_object_for_user(request, queryset, pk, action=action)


@login_required
def expenditure_new(request, pk):
    studio = get_object_for_user(request, Studio, pk)
    if not is_spender(request.user, studio):
        raise PermissionDenied("只有本工作室的技能大师或执行负责人可以登记经费支出。")
    form = ExpenditureForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            expenditure = services.create_expenditure(
                by=request.user,
                studio=studio,
                data=form.data_for_service(),
                voucher=form.cleaned_data.get("voucher"),
                submit=request.POST.get("action") == "submit",
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "经费支出已保存。")
            return redirect("funds:expenditure", expenditure.pk)
    return render(request, "funds/expenditure_form.html", {"form": form, "studio": studio, "expenditure": None})


@login_required
def expenditure_edit(request, pk):
    expenditure = _expenditure(request, pk, action="edit")
    line = expenditure.budget_line
    initial = {
        "date": expenditure.date, "amount": expenditure.amount, "source": line.source,
        "category": line.category_id, "payee": expenditure.payee, "description": expenditure.description,
    }  # fmt: skip
    form = ExpenditureForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_expenditure(expenditure, by=request.user, data=form.data_for_service())
            if form.cleaned_data.get("voucher"):
                services.attach_voucher(expenditure, by=request.user, upload=form.cleaned_data["voucher"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "修改已保存。")
            return redirect("funds:expenditure", expenditure.pk)
    return render(
        request,
        "funds/expenditure_form.html",
        {"form": form, "studio": expenditure.studio, "expenditure": expenditure},
    )


def _history(obj):
    return list(history_for(obj))  # rows carry from_label / to_label (core.models.StatusChange)


@login_required
def expenditure_detail(request, pk):
    expenditure = _expenditure(request, pk)
    user = request.user
    budget, confirmed, submitted = services.line_room(expenditure.budget_line_id)
    can_decide = can(user, "confirm", expenditure)
    return render(
        request,
        "funds/expenditure.html",
        {
            "e": expenditure,
            "line": {
                "budget": budget,
                "confirmed": confirmed,
                "submitted": submitted,
                "available": budget - confirmed - submitted,
            },  # fmt: skip
            "approvals": list(expenditure.overrun_approvals.select_related("approved_by")),
            "history": _history(expenditure),
            "can_edit": can(user, "edit", expenditure),
            "can_decide": can_decide,
            "decision_form": decision_form() if can_decide else None,
            "can_overrun": can(user, "approve_overrun", expenditure),
            "overrun_form": OverrunForm(),
            "voucher_form": VoucherForm(),
        },
    )


def _post(request, pk, action, call):
    expenditure = _expenditure(request, pk, action=action)
    back = reverse("funds:expenditure", args=[expenditure.pk])
    return run_service(request, lambda: call(expenditure), None, back)  # the message is what call() returns


@login_required
@require_POST
def expenditure_submit(request, pk):
    def call(expenditure):
        services.submit_expenditure(expenditure, by=request.user)
        return "已提交财务部确认。"

    return _post(request, pk, "submit", call)


@login_required
@require_POST
def expenditure_decide(request, pk):
    """财务部's opinion box: 确认支出, or 退回 with a reason."""

    def call(expenditure):
        form = decision_form(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        if form.cleaned_data["target"] == ExpenditureStatus.CONFIRMED:
            services.confirm_expenditure(expenditure, by=request.user, note=form.cleaned_data["note"])
            return "已确认该笔支出。"
        services.return_expenditure(expenditure, by=request.user, reason=form.cleaned_data["note"])
        return "已退回该笔支出，工作室将收到通知。"

    return _post(request, pk, "confirm", call)


@login_required
@require_POST
def expenditure_overrun(request, pk):
    def call(expenditure):
        form = OverrunForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.approve_overrun(expenditure, by=request.user, reason=form.cleaned_data["reason"])
        return "已批准超支，工作室可以提交该笔支出。"

    return _post(request, pk, "approve_overrun", call)


@login_required
@require_POST
def voucher_upload(request, pk):
    def call(expenditure):
        form = VoucherForm(request.POST, request.FILES)
        if not form.is_valid():
            raise form_errors(form)
        services.attach_voucher(expenditure, by=request.user, upload=form.cleaned_data["voucher"])
        return "凭证已上传。"

    return _post(request, pk, "upload", call)


@login_required
def voucher(request, pk):
    expenditure = _expenditure(request, pk, action="download")
    if not expenditure.voucher:
        raise Http404("该笔支出没有凭证。")
    ext = expenditure.voucher.name.rsplit(".", 1)[-1]
    return serve_file(expenditure.voucher, expenditure.voucher_name or f"凭证.{ext}")


# --- the spending-category dictionary ----------------------------------------------------------------------------


@login_required
def categories(request):
    if not can_manage_categories(request.user):
        raise PermissionDenied("只有财务部或系统管理员可以维护支出类别。")
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "支出类别已添加。")
            return redirect("funds:categories")
    rows = list(SpendingCategory.objects.order_by("order", "id"))
    return render(request, "funds/categories.html", {"form": form, "rows": rows})


@login_required
@require_POST
def category_edit(request, pk):
    if not can_manage_categories(request.user):
        raise PermissionDenied("只有财务部或系统管理员可以维护支出类别。")
    category = SpendingCategory.objects.filter(pk=pk).first()
    if category is None:
        raise Http404("支出类别不存在。")
    form = CategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for es in form.errors.values() for e in es))
        return redirect("funds:categories")
    try:
        services.save_category(by=request.user, category=category, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "支出类别已修改。")
    return redirect("funds:categories")


@login_required
def index(request):
    return redirect("funds:expenditures")
