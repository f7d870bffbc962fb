"""历史登记 from a form, the API or an Excel sheet (one studio per row): every row is checked first; with any error
nothing is imported and each error names its row (第N行：…). The writes go through services.register_studio."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook

from accounts.enums import Role
from accounts.models import Department, User
from accounts.permissions import may_write_as
from people.enums import StudioMode
from people.models import Enterprise
from reports.xlsx import cell_text, header_mismatch, import_template, read_import

from .enums import MembershipRole
from .services import MemberInput, Registration, register_studio, registration_problems

SHEET = "历史工作室"
# (header, key, required)
COLUMNS = [
    ("工作室名称", "official_name", True),
    ("认定文号", "document_number", True),
    ("认定日期", "approved_on", True),
    ("技能大师工号", "master", True),
    ("所在系部", "department", True),
    ("设立方式", "mode", True),
    ("校内主场地", "venue_school", False),
    ("合作企业", "partner_enterprise", False),
    ("合作企业场地说明", "venue_partner", False),
    ("骨干教师工号", "core_members", True),
    ("其他成员工号", "other_members", False),
]
MAX_ROWS = 500
_SPLIT = re.compile(r"[、,，;；\s]+")


def from_form(data):
    """A Registration from RegistrationForm.cleaned_data."""
    members = [MemberInput(u, MembershipRole.CORE) for u in data["core_members"]]
    members += [MemberInput(u, MembershipRole.MEMBER) for u in data.get("other_members") or []]
    return Registration(
        official_name=data["official_name"],
        document_number=data["document_number"],
        approved_on=data["approved_on"],
        master=data["master"],
        department=data["department"],
        mode=data["mode"],
        venue_school=data.get("venue_school") or "",
        venue_partner=data.get("venue_partner") or "",
        partner_enterprise=data.get("partner_enterprise"),
        members=members,
    )


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    studios: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook() -> bytes:
    help_text = {
        "工作室名称": "以“技能大师工作室”结尾，如 数控加工技能大师工作室",
        "认定文号": "学校认定发文的文号",
        "认定日期": "如 2022-06-01，不晚于今天",
        "技能大师工号": "校内教职工的工号",
        "所在系部": "系部名称或代码",
        "设立方式": "学校单独创办 / 校企联办",
        "合作企业": "校企联办时必填：合作企业名录中的企业名称",
        "骨干教师工号": "不少于3人，用顿号或逗号分隔；校企联办须含合作企业的校外人员账号",
        "其他成员工号": "用顿号或逗号分隔",
    }
    return import_template(SHEET, COLUMNS, help_text, width=20)


def _date(value, errors):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        errors.append(f"认定日期「{cell_text(value)}」不是有效日期（应为 YYYY-MM-DD）")
        return None


class _Lookups:
    def __init__(self, rows):
        names = set()
        for values in rows:
            for key in ("master", "core_members", "other_members"):
                names.update(n for n in _SPLIT.split(values.get(key, "")) if n)
        self.users = {
            u.username.lower(): u for u in User.objects.filter(username__in=names).select_related("department")
        }
        self.departments = {}
        for dept in Department.objects.filter(is_active=True):
            self.departments[dept.name] = dept
            self.departments[dept.code.upper()] = dept
        wanted = {values.get("partner_enterprise") for values in rows} - {""}
        self.enterprises = {e.name: e for e in Enterprise.objects.filter(name__in=wanted)}


def _users(text, lookups, label, errors):
    found = []
    for name in (n for n in _SPLIT.split(text) if n):
        user = lookups.users.get(name.lower())
        if user is None:
            errors.append(f"{label}「{name}」不存在")
        else:
            found.append(user)
    return found


def _parse(values, lookups, errors):
    for header, key, required in COLUMNS:
        if required and not values[key]:
            errors.append(f"缺少{header}")
    if errors:
        return None
    approved_on = _date(values["approved_on_raw"], errors)
    masters = _users(values["master"], lookups, "技能大师工号", errors)
    if len(masters) > 1:
        errors.append("技能大师只能填写1人")
    department = lookups.departments.get(values["department"]) or lookups.departments.get(values["department"].upper())
    if department is None:
        errors.append(f"所在系部「{values['department']}」不存在")
    modes = {label: value for value, label in StudioMode.choices}
    mode = modes.get(values["mode"], values["mode"] if values["mode"] in StudioMode.values else None)
    if mode is None:
        errors.append(f"设立方式「{values['mode']}」无效，应为 学校单独创办 或 校企联办")
    enterprise = None
    if values["partner_enterprise"]:
        enterprise = lookups.enterprises.get(values["partner_enterprise"])
        if enterprise is None:
            errors.append(f"合作企业「{values['partner_enterprise']}」未在合作企业名录中登记")
    cores = _users(values["core_members"], lookups, "骨干教师工号", errors)
    others = _users(values["other_members"], lookups, "其他成员工号", errors)
    if errors:
        return None
    return Registration(
        official_name=values["official_name"],
        document_number=values["document_number"],
        approved_on=approved_on,
        master=masters[0],
        department=department,
        mode=mode,
        venue_school=values["venue_school"],
        venue_partner=values["venue_partner"],
        partner_enterprise=enterprise,
        members=[MemberInput(u, MembershipRole.CORE) for u in cores]
        + [MemberInput(u, MembershipRole.MEMBER) for u in others],
    )


def _limit(values, errors):
    from .models import Studio

    for key, model_field in (
        ("official_name", "official_name"),
        ("document_number", "document_number"),
        ("venue_school", "venue_school"),
        ("venue_partner", "venue_partner"),
    ):
        limit = Studio._meta.get_field(model_field).max_length
        if len(values[key]) > limit:
            header = next(h for h, k, _ in COLUMNS if k == key)
            errors.append(f"{header}超过{limit}个字")


def read_sheet(fileobj):
    """Parse and check every row: (registrations, errors) where each error starts with 第N行."""
    return read_import(_read, fileobj)


def _read(fileobj):
    wb = load_workbook(fileobj, read_only=True, data_only=True)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows_iter = ws.iter_rows(values_only=True)
    mismatch = header_mismatch(next(rows_iter, ()), COLUMNS)
    if mismatch:
        wb.close()
        return [], [mismatch]
    raw = []
    for number, values in enumerate(rows_iter, start=2):
        if not any(cell_text(v) for v in values):
            continue
        if len(raw) >= MAX_ROWS:
            wb.close()
            return [], [f"表格超过{MAX_ROWS}行，请分批导入。"]
        cells = {key: cell_text(values[i]) if i < len(values) else "" for i, (_, key, _) in enumerate(COLUMNS)}
        cells["approved_on_raw"] = values[2] if len(values) > 2 else None
        raw.append((number, cells))
    wb.close()
    if not raw:
        return [], ["表格中没有数据行。"]
    lookups = _Lookups([cells for _, cells in raw])
    regs, errors, names = [], [], {}
    for number, cells in raw:
        row_errors = []
        _limit(cells, row_errors)
        reg = None if row_errors else _parse(cells, lookups, row_errors)
        if reg is not None:
            row_errors.extend(registration_problems(reg))
            if reg.official_name in names:
                row_errors.append(f"工作室名称与第{names[reg.official_name]}行重复")
            names.setdefault(reg.official_name, number)
        errors.extend(f"第{number}行：{message}" for message in row_errors)
        regs.append((number, reg))
    return regs, errors


def import_studios(fileobj, *, by) -> ImportResult:
    """Check the whole sheet, then register every studio in one transaction; with any error nothing is written."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部可以登记历史工作室。")
    regs, errors = read_sheet(fileobj)
    result = ImportResult(errors=errors)
    if errors:
        return result
    try:
        with transaction.atomic():
            for number, reg in regs:
                try:
                    result.studios.append(register_studio(reg, by=by, note=f"Excel 导入第{number}行"))
                except ValidationError as exc:
                    raise _RowRefused(f"第{number}行：{'；'.join(exc.messages)}") from None
    except _RowRefused as refused:
        result.errors.append(refused.message)
        result.studios = []
    return result


class _RowRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message
