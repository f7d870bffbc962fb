"""Writes on funds. Each takes `by=`, runs in one transaction, locks and re-reads the studio and calls
studios.services.ensure_writable (a revoked studio is read-only) and studios.freeze.ensure_year_open (an archived
year is frozen), checks the permission (funds.permissions) and leaves an audit event. Status changes of an
expenditure go through core.workflow.transition (funds/workflow.py).

Overspending (R16, issue 11): an expenditure is committed when it is submitted. Submitting locks its budget line
(SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE serialises writers) and re-reads the line's confirmed and submitted
sums: when budget − confirmed − submitted < amount it is refused in Chinese, unless 财务部 approved an overrun of at
least that amount on that line (approve_overrun). So concurrent expenditures cannot overspend a line together.
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.permissions import can, require_write_access
from core.audit import log_action
from core.uploads import detect_kind, validate_upload
from core.workflow import transition
from studios.freeze import ensure_year_open
from studios.models import Studio
from studios.services import ensure_writable

from .balances import ZERO, fen
from .enums import DEFAULT_CATEGORIES, ExpenditureStatus, FundingSource
from .models import FEN, MAX_AMOUNT, BudgetLine, Expenditure, OverrunApproval, SpendingCategory
from .permissions import budget_sources, can_manage_categories, is_spender

EARLIEST = dt.date(2000, 1, 1)
EXPENDITURE_FIELDS = ("date", "amount", "source", "category", "payee", "description")


def _lock_studio(studio_id):
    return ensure_writable(Studio.objects.select_for_update().get(pk=studio_id))


def _refuse_control_characters(data):
    for name, value in data.items():
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})


def money(value, field="amount", *, allow_zero=False):
    """Parse an amount in yuan: Decimal with at most 2 decimals, > 0 (or ≥ 0), ≤ MAX_AMOUNT. Floats are refused
    (a float cannot hold 0.10 exactly)."""
    if isinstance(value, float):
        raise ValidationError({field: '金额须以文本或十进制数表示（例如 "1234.50"）。'})
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: "请填写金额（元），例如 1234.50。"})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: "金额须大于 0。" if not allow_zero else "金额不能为负数。"})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: "金额过大。"})
    if amount != amount.quantize(FEN):
        raise ValidationError({field: "金额最多精确到分（两位小数）。"})
    return amount.quantize(FEN)


def _category(value):
    pk = getattr(value, "pk", value)
    category = SpendingCategory.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if category is None or not category.active:
        raise ValidationError({"category": "请选择有效的支出类别。"})
    return category


def _source(value):
    if value not in FundingSource.values:
        raise ValidationError({"source": "请选择经费来源。"})
    return value


def line_room(line_id):
    """(budget, confirmed, submitted) of a budget line, read now (call with the line locked)."""
    budget = BudgetLine.objects.filter(pk=line_id).values_list("amount", flat=True).get()
    sums = Expenditure.objects.filter(budget_line_id=line_id).aggregate(
        confirmed=Sum("amount", filter=Q(status=ExpenditureStatus.CONFIRMED)),
        submitted=Sum("amount", filter=Q(status=ExpenditureStatus.SUBMITTED)),
    )
    return fen(budget), fen(sums["confirmed"]), fen(sums["submitted"])


def ensure_default_categories():
    """The seeded dictionary (设备…其他), for tests and the demo after a flush; existing rows are kept as they are."""
    for order, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1):
        SpendingCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


# --- spending categories (财务部 / 系统管理员) -----------------------------------------------------------------------


@transaction.atomic
def save_category(*, by, name, order=0, active=True, code="", category=None):
    require_write_access(by)
    if not can_manage_categories(by):
        raise PermissionDenied("只有财务部或系统管理员可以维护支出类别。")
    name = (name or "").strip()
    _refuse_control_characters({"name": name})
    if category is None:
        row = SpendingCategory(code=(code or "").strip() or f"c{SpendingCategory.objects.count() + 1}")
        before = None
    else:
        row = SpendingCategory.objects.select_for_update().get(pk=category.pk)
        before = {"name": row.name, "order": row.order, "active": row.active}
    row.name, row.order, row.active = name, order, bool(active)
    row.full_clean()
    row.save()
    log_action(
        actor=by,
        action="funds.spendingcategory.created" if before is None else "funds.spendingcategory.updated",
        obj=row,
        before=before,
        after={"code": row.code, "name": row.name, "order": row.order, "active": row.active},
    )
    return row


# --- budget lines ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_budget_line(*, by, studio, year, source, category, amount, note=""):
    """财务部 (any source) or the studio's department head (系部配套) enters a studio's budget for a year."""
    require_write_access(by)
    studio = _lock_studio(getattr(studio, "pk", studio))
    source = _source(source)
    if source not in budget_sources(by, studio):
        raise PermissionDenied("只有财务部可以录入经费预算；系部主任只能录入本系工作室的「系部配套」预算。")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写年度。"}) from None
    ensure_year_open(studio, year)
    category = _category(category)
    note = (note or "").strip()
    _refuse_control_characters({"note": note})
    line = BudgetLine(
        studio=studio, year=year, source=source, category=category, amount=money(amount, allow_zero=True),
        note=note, created_by=by,
    )  # fmt: skip
    line.full_clean(exclude=["studio", "category", "created_by"], validate_unique=False)
    if BudgetLine.objects.filter(studio=studio, year=year, source=source, category=category).exists():
        raise ValidationError(
            {"category": f"{year} 年「{FundingSource(source).label} · {category.name}」的预算已存在，请修改原预算。"}
        )
    line.save()
    log_action(
        actor=by,
        action="funds.budgetline.created",
        obj=line,
        after={"studio": studio.pk, "year": year, "source": source, "category": category.pk,
               "amount": str(line.amount), "note": note},
    )  # fmt: skip
    return line


@transaction.atomic
def update_budget_line(line, *, by, amount, note=None):
    """Change a line's amount (and note). It may not drop below what is already confirmed or submitted on it."""
    require_write_access(by)
    studio = _lock_studio(line.studio_id)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    line.studio = studio
    if line.source not in budget_sources(by, studio):
        raise PermissionDenied("您不能修改这条经费预算。")
    ensure_year_open(studio, line.year)
    new_amount = money(amount, allow_zero=True)
    _budget, confirmed, submitted = line_room(line.pk)
    if new_amount < confirmed + submitted:
        raise ValidationError({"amount": f"预算不能低于已确认和待确认支出的合计 {confirmed + submitted} 元。"})
    before = {"amount": str(line.amount), "note": line.note}
    line.amount = new_amount
    if note is not None:
        line.note = note.strip()
        _refuse_control_characters({"note": line.note})
    line.full_clean(exclude=["studio", "category", "created_by"], validate_unique=False)
    line.save(update_fields=["amount", "note", "updated_at"])
    log_action(
        actor=by, action="funds.budgetline.updated", obj=line, before=before,
        after={"amount": str(line.amount), "note": line.note},
    )  # fmt: skip
    return line


# --- expenditures ------------------------------------------------------------------------------------------------


def _snapshot(expenditure):
    return {
        "date": expenditure.date.isoformat(),
        "amount": str(expenditure.amount),
        "budget_line": expenditure.budget_line_id,
        "payee": expenditure.payee,
        "description": expenditure.description,
    }


def _line_for(studio, on, source, category):
    """The (locked) budget line of the studio for the year of `on`, the source and the category."""
    line = (
        BudgetLine.objects.select_for_update()
        .filter(studio=studio, year=on.year, source=source, category=category)
        .first()
    )
    if line is None:
        raise ValidationError(
            {"category": f"{on.year} 年「{FundingSource(source).label} · {category.name}」尚无预算，"
                         "请先请财务部（系部配套请系部）录入预算。"}
        )  # fmt: skip
    return line


def _apply(expenditure, studio, data):
    unknown = set(data) - set(EXPENDITURE_FIELDS)
    if unknown:  # a programming error in a caller, not user input
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _refuse_control_characters(data)
    on = data.get("date", expenditure.date if expenditure.pk else None)
    if not isinstance(on, dt.date):
        raise ValidationError({"date": "请填写支出日期。"})
    if on > timezone.localdate():
        raise ValidationError({"date": "支出日期不能晚于今天。"})
    if on < EARLIEST:
        raise ValidationError({"date": f"支出日期不能早于 {EARLIEST:%Y-%m-%d}。"})
    old_line = expenditure.budget_line if expenditure.pk else None
    source = _source(data.get("source", old_line.source if old_line else None))
    category = _category(data.get("category", old_line.category_id if old_line else None))
    if old_line is not None and old_line.year != on.year:
        ensure_year_open(studio, old_line.year)
    ensure_year_open(studio, on.year)
    line = _line_for(studio, on, source, category)
    expenditure.date = on
    expenditure.budget_line = line
    if "amount" in data or not expenditure.pk:
        expenditure.amount = money(data.get("amount"))
    for name in ("payee", "description"):
        if name in data or not expenditure.pk:
            setattr(expenditure, name, (data.get(name) or "").strip())
    if not expenditure.payee:
        raise ValidationError({"payee": "请填写收款单位或个人。"})
    if not expenditure.description:
        raise ValidationError({"description": "请填写用途说明。"})
    expenditure.full_clean(exclude=["studio", "budget_line", "created_by", "voucher"])
    return line


def _save_voucher(expenditure, upload):
    if upload is None:
        raise ValidationError({"voucher": "请选择凭证扫描件（PDF 或图片）。"})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"voucher": exc.messages}) from None
    ext = detect_kind(getattr(upload, "file", upload))
    if ext not in ("pdf", "jpg", "png"):
        raise ValidationError({"voucher": "凭证扫描件须为 PDF、JPG 或 PNG 文件。"})
    name = os.path.basename(getattr(upload, "name", "") or "")[:200]
    old = expenditure.voucher.name if expenditure.voucher else ""
    expenditure.voucher.save(f"voucher.{ext}", upload, save=False)
    expenditure.voucher_name = name or f"凭证.{ext}"
    return old


@transaction.atomic
def _create(*, by, studio, data, voucher):
    require_write_access(by)
    studio = _lock_studio(getattr(studio, "pk", studio))
    if not is_spender(by, studio):
        raise PermissionDenied("只有本工作室的技能大师或执行负责人可以登记经费支出。")
    expenditure = Expenditure(studio=studio, created_by=by, status=ExpenditureStatus.DRAFT)
    _apply(expenditure, studio, data)
    if voucher is not None:
        _save_voucher(expenditure, voucher)
    expenditure.save()
    log_action(
        actor=by, action="funds.expenditure.created", obj=expenditure,
        after={**_snapshot(expenditure), "studio": studio.pk, "voucher": expenditure.voucher_name},
    )  # fmt: skip
    return expenditure


def create_expenditure(*, by, studio, data, voucher=None, submit=False):
    """A draft expenditure of `studio` (its master or 执行负责人), optionally with its voucher scan and submitted in
    the same transaction — all or nothing: a refused submission (no room on the line) leaves no row and no file."""
    saved = []
    try:
        with transaction.atomic():
            expenditure = _create(by=by, studio=studio, data=data, voucher=voucher)
            if expenditure.voucher:
                saved.append(expenditure.voucher.name)
            if submit:
                submit_expenditure(expenditure, by=by)
    except BaseException:
        for name in saved:
            Expenditure._meta.get_field("voucher").storage.delete(name)
        raise
    return expenditure


def _locked(expenditure, action, message, *, by):
    studio = _lock_studio(expenditure.studio_id)
    row = Expenditure.objects.select_for_update().select_related("budget_line").get(pk=expenditure.pk)
    row.studio = studio
    if not can(by, action, row):
        raise PermissionDenied(message)
    ensure_year_open(studio, row.budget_line.year)
    return row


@transaction.atomic
def update_expenditure(expenditure, *, by, data):
    require_write_access(by)
    row = _locked(expenditure, "edit", "只有本工作室的技能大师或执行负责人可以修改草稿或被退回的支出。", by=by)
    before = _snapshot(row)
    _apply(row, row.studio, data)
    row.save()
    log_action(actor=by, action="funds.expenditure.updated", obj=row, before=before, after=_snapshot(row))
    return row


def attach_voucher(expenditure, *, by, upload):
    """Upload (or replace) the voucher scan of a draft or returned expenditure. A replaced scan stays on disk."""
    written = ""
    try:
        with transaction.atomic():
            require_write_access(by)
            row = _locked(expenditure, "upload", "只有本工作室的技能大师或执行负责人可以上传凭证。", by=by)
            old = _save_voucher(row, upload)
            written = row.voucher.name
            row.save(update_fields=["voucher", "voucher_name", "updated_at"])
            log_action(
                actor=by, action="funds.expenditure.voucher_uploaded", obj=row,
                before={"voucher": old}, after={"voucher": row.voucher_name, "size": upload.size},
            )  # fmt: skip
    except BaseException:
        if written:
            Expenditure._meta.get_field("voucher").storage.delete(written)
        raise
    return row


def _approved_overrun(row):
    return OverrunApproval.objects.filter(
        expenditure_id=row.pk, budget_line_id=row.budget_line_id, amount__gte=row.amount
    ).exists()


@transaction.atomic
def submit_expenditure(expenditure, *, by):
    """Submit to 财务部: refused when the line has no room for it (budget − confirmed − submitted < amount) unless an
    overrun was approved. The line is locked, so two submissions cannot both take the last room."""
    require_write_access(by)
    studio = _lock_studio(expenditure.studio_id)
    row = Expenditure.objects.select_related("budget_line").get(pk=expenditure.pk)
    ensure_year_open(studio, row.budget_line.year)
    BudgetLine.objects.select_for_update().filter(pk=row.budget_line_id).values_list("pk", flat=True).get()
    if row.status in (ExpenditureStatus.DRAFT, ExpenditureStatus.RETURNED):
        budget, confirmed, submitted = line_room(row.budget_line_id)
        available = budget - confirmed - submitted
        if available < row.amount and not _approved_overrun(row):
            line = row.budget_line
            raise ValidationError(
                {"amount": f"超出预算：{line.year} 年「{line.get_source_display()}」该类别预算 {budget} 元，"
                           f"已确认 {confirmed} 元、待确认 {submitted} 元，可用余额 {max(available, ZERO)} 元，"
                           f"本笔 {row.amount} 元。如确需超支，请财务部审批超支后再提交。"}
            )  # fmt: skip
    transition(row, ExpenditureStatus.SUBMITTED, by=by, changes={"submitted_at": timezone.now()})
    expenditure.status = row.status
    return row


@transaction.atomic
def confirm_expenditure(expenditure, *, by, note=""):
    require_write_access(by)
    studio = _lock_studio(expenditure.studio_id)
    row = Expenditure.objects.select_related("budget_line").get(pk=expenditure.pk)
    ensure_year_open(studio, row.budget_line.year)
    return transition(
        row, ExpenditureStatus.CONFIRMED, by=by, note=note,
        changes={"reviewed_by": by, "reviewed_at": timezone.now(), "return_reason": ""},
    )  # fmt: skip


@transaction.atomic
def return_expenditure(expenditure, *, by, reason):
    require_write_access(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因，以便工作室修改后重新提交。"})
    limit = Expenditure._meta.get_field("return_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"reason": f"退回原因最多 {limit} 个字。"})
    _refuse_control_characters({"reason": reason})
    studio = _lock_studio(expenditure.studio_id)
    row = Expenditure.objects.select_related("budget_line").get(pk=expenditure.pk)
    ensure_year_open(studio, row.budget_line.year)
    return transition(
        row, ExpenditureStatus.RETURNED, by=by, note=reason,
        changes={"reviewed_by": by, "reviewed_at": timezone.now(), "return_reason": reason},
    )  # fmt: skip


@transaction.atomic
def approve_overrun(expenditure, *, by, reason):
    """财务部 approves that this (draft or returned) expenditure may exceed its line's room, with a reason."""
    require_write_access(by)
    row = _locked(expenditure, "approve_overrun", "只有财务部可以审批超支（草稿或被退回的支出）。", by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写批准超支的理由。"})
    approval = OverrunApproval(
        expenditure=row, budget_line_id=row.budget_line_id, amount=row.amount, reason=reason, approved_by=by
    )
    _refuse_control_characters({"reason": reason})
    approval.full_clean(exclude=["expenditure", "budget_line", "approved_by"])
    approval.save()
    log_action(
        actor=by, action="funds.expenditure.overrun_approved", obj=row,
        after={"approval": approval.pk, "amount": str(approval.amount), "budget_line": row.budget_line_id},
        note=reason,
    )  # fmt: skip
    return approval
