"""人事部's staff roster import from Excel: all rows are checked first, nothing is imported when any row is wrong,
and each error names its row (第N行) in Chinese."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook

from accounts.models import Department, Major, User, phone_validator, staff_no_validator
from accounts.permissions import may_write_as
from accounts.services import create_user
from core.audit import log_action
from reports.xlsx import cell_text, header_mismatch, import_template, read_import

from .enums import Gender, SkillLevel
from .idcard import hash_id_number, validate_id_number
from .models import StaffProfile
from .permissions import PERSONNEL_WRITERS
from .services import save_profile

SHEET = "教职工名册"
# (header, key, required)
COLUMNS = [
    ("工号", "username", True),
    ("姓名", "display_name", True),
    ("性别", "gender", False),
    ("出生日期", "birth_date", True),
    ("身份证号码", "id_number", True),
    ("所属系部", "department", True),
    ("任教专业", "majors", False),
    ("专业技术职务", "title", False),
    ("职业资格/技能等级证书", "skill_certificate", False),
    ("技能等级", "skill_level", False),
    ("入职日期", "hire_date", False),
    ("联系电话", "phone", False),
]
# A school has a few hundred staff; 500 rows import in ~5 s (SQLite) to ~9 s (PostgreSQL), all in one transaction.
MAX_ROWS = 2000
_SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass
class RosterResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook() -> bytes:
    """The downloadable template: the header row, and a second sheet explaining each column."""
    notes = {
        "工号": "登录账号，字母或数字；已有账号则更新其档案",
        "性别": "男 / 女",
        "出生日期": "如 1985-06-15，须与身份证号码一致",
        "身份证号码": "18位，校验位正确；系统加密保存，只显示掩码",
        "所属系部": "系部名称或代码，如 机械工程系 或 JX",
        "任教专业": "专业名称或代码，多个用顿号分隔",
        "技能等级": "、".join(label for _, label in SkillLevel.choices),
        "入职日期": "如 2010-09-01",
        "联系电话": "手机号或座机号",
    }
    example = ["示例", "", "T1001 | 张明 | 男 | 1985-06-15 | 500101198506151234 | 机械工程系 | 数控技术应用"]
    return import_template(SHEET, COLUMNS, notes, width=18, trailing_rows=[[], example])


def _date(value, label, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        errors.append(f"{label}「{cell_text(value)}」不是有效日期（应为 YYYY-MM-DD）")
        return None


def _skill_level(text, errors):
    if not text:
        return ""
    for value, label in SkillLevel.choices:
        if text == label or text in label.split("/"):
            return value
    errors.append(f"技能等级「{text}」无效，应为：{'、'.join(label for _, label in SkillLevel.choices)}")
    return ""


class _Lookups:
    def __init__(self):
        self.departments = {}
        for dept in Department.objects.filter(is_active=True):
            self.departments[dept.name] = dept
            self.departments[dept.code.upper()] = dept
        self.majors = {}
        for major in Major.objects.filter(is_active=True):
            self.majors[major.name] = major
            self.majors[major.code.upper()] = major


def _parse_row(values, lookups, errors):
    row = {key: values[i] if i < len(values) else None for i, (_, key, _) in enumerate(COLUMNS)}
    for header, key, required in COLUMNS:
        if required and cell_text(row[key]) == "":
            errors.append(f"缺少{header}")
    parsed = {
        "username": cell_text(row["username"]),
        "display_name": cell_text(row["display_name"])[:50],
        "title": cell_text(row["title"])[:50],
        "skill_certificate": cell_text(row["skill_certificate"])[:100],
        "phone": cell_text(row["phone"]),
        "gender": "",
        "majors": [],
    }
    if parsed["username"]:
        try:
            staff_no_validator(parsed["username"])
        except ValidationError as exc:
            errors.extend(exc.messages)
    gender = cell_text(row["gender"])
    if gender:
        labels = {label: value for value, label in Gender.choices}
        if gender not in labels:
            errors.append(f"性别「{gender}」无效，应为 男 或 女")
        parsed["gender"] = labels.get(gender, "")
    parsed["birth_date"] = _date(row["birth_date"], "出生日期", errors)
    parsed["hire_date"] = _date(row["hire_date"], "入职日期", errors)
    if parsed["birth_date"] and parsed["hire_date"] and parsed["hire_date"] < parsed["birth_date"]:
        errors.append("入职日期早于出生日期")
    parsed["skill_level"] = _skill_level(cell_text(row["skill_level"]), errors)
    if parsed["phone"]:
        try:
            phone_validator(parsed["phone"])
        except ValidationError:
            errors.append(f"联系电话「{parsed['phone']}」无效")
    department = cell_text(row["department"])
    if department:
        parsed["department"] = lookups.departments.get(department) or lookups.departments.get(department.upper())
        if parsed["department"] is None:
            errors.append(f"所属系部「{department}」不存在")
    for name in filter(None, _SPLIT.split(cell_text(row["majors"]))):
        major = lookups.majors.get(name) or lookups.majors.get(name.upper())
        if major is None:
            errors.append(f"任教专业「{name}」不存在")
        else:
            parsed["majors"].append(major)
    number = cell_text(row["id_number"])
    parsed["id_number"] = ""
    if number:
        try:
            parsed["id_number"] = validate_id_number(number, parsed["birth_date"])
        except ValidationError as exc:
            errors.extend(exc.messages)
    return parsed


# XML that is not plain spreadsheet data: a DTD with entities (refused by defusedxml, which openpyxl uses when it is
# installed: no entity expansion, no "billion laughs"), or XML the parser cannot read (issue 8, defect 14).


def read_roster(fileobj):
    """Parse and check every row. Returns (rows, errors) where rows are dicts and errors '第N行：…' strings."""
    return read_import(_read_roster, fileobj)


def _read_roster(fileobj):
    wb = load_workbook(fileobj, read_only=True, data_only=True)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows_iter = ws.iter_rows(values_only=True)
    mismatch = header_mismatch(next(rows_iter, ()), COLUMNS)
    if mismatch:
        return [], [mismatch]
    lookups = _Lookups()
    rows, errors = [], []
    seen_usernames, seen_ids = {}, {}
    for number, values in enumerate(rows_iter, start=2):
        if not any(cell_text(v) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(f"名册超过{MAX_ROWS}行，请分批导入。")
            break
        row_errors = []
        parsed = _parse_row(values, lookups, row_errors)
        parsed["row"] = number
        if parsed["username"]:
            if parsed["username"] in seen_usernames:
                row_errors.append(f"工号「{parsed['username']}」与第{seen_usernames[parsed['username']]}行重复")
            seen_usernames.setdefault(parsed["username"], number)
        if parsed["id_number"]:
            parsed["id_hash"] = hash_id_number(parsed["id_number"])
            if parsed["id_hash"] in seen_ids:
                row_errors.append(f"身份证号码与第{seen_ids[parsed['id_hash']]}行重复")
            seen_ids.setdefault(parsed["id_hash"], number)
        errors.extend(f"第{number}行：{message}" for message in row_errors)
        rows.append(parsed)
    wb.close()
    if not rows and not errors:
        errors.append("名册中没有数据行。")
    if not errors:
        errors.extend(_check_against_database(rows))
    return rows, errors


def _check_against_database(rows):
    errors = []
    users = {u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])}
    owners = dict(
        StaffProfile.objects.filter(id_number_hash__in=[r["id_hash"] for r in rows]).values_list(
            "id_number_hash", "user__username"
        )
    )
    for row in rows:
        user = users.get(row["username"])
        if user is not None and user.is_external:
            errors.append(f"第{row['row']}行：工号「{row['username']}」是校外人员账号，不能作为教职工导入")
        owner = owners.get(row["id_hash"])
        if owner is not None and owner != row["username"]:
            errors.append(f"第{row['row']}行：身份证号码已登记在工号「{owner}」的档案中")
    return errors


def import_roster(fileobj, *, by) -> RosterResult:
    """Check the whole file, then import every row in one transaction; with any error nothing is written."""
    if not may_write_as(by, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以导入教职工名册。")
    rows, errors = read_roster(fileobj)
    result = RosterResult(errors=errors, rows=len(rows))
    if errors:
        return result
    try:
        with transaction.atomic():
            _write_rows(rows, by=by, result=result)
    except _RowRefused as refused:
        result.errors.append(refused.message)
        result.created = result.updated = 0
    return result


class _RowRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


_PROFILE_FIELDS = ("gender", "birth_date", "hire_date", "title", "skill_certificate", "skill_level", "phone")
# Optional columns: on a re-import a blank cell keeps what is stored (it does not erase it; issue 8, defect 15).
_OPTIONAL = frozenset(key for _, key, required in COLUMNS if not required)


def _update_user(user, row, *, by):
    """The account's own fields from the roster (姓名, 所属系部): each changed field logged with before and after."""
    wanted = {"display_name": row["display_name"], "department": row["department"].pk}
    stored = {"display_name": user.display_name, "department": user.department_id}
    changed = sorted(name for name in wanted if wanted[name] != stored[name])
    if not changed:
        return
    user.display_name, user.department = row["display_name"], row["department"]
    user.save(update_fields=["display_name", "department"])
    log_action(
        actor=by,
        action="accounts.user.changed",
        obj=user,
        before={name: stored[name] for name in changed},
        after={name: wanted[name] for name in changed},
        note=f"名册导入第{row['row']}行",
    )


def _write_rows(rows, *, by, result):
    users = {u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])}
    for row in rows:
        try:
            user = users.get(row["username"])
            if user is None:
                user = create_user(
                    by=by, username=row["username"], display_name=row["display_name"], department=row["department"]
                )
                result.created += 1
                data, majors = {k: row[k] for k in _PROFILE_FIELDS}, row["majors"]
            else:
                _update_user(user, row, by=by)
                result.updated += 1
                data = {k: row[k] for k in _PROFILE_FIELDS if k not in _OPTIONAL or row[k] not in ("", None)}
                majors = row["majors"] or None  # None: leave the stored majors as they are
            save_profile(by=by, user=user, data=data, majors=majors, id_number=row["id_number"])
        except ValidationError as exc:
            # Rolls the whole import back: all or nothing.
            raise _RowRefused(f"第{row['row']}行：{'；'.join(exc.messages)}") from None
    log_action(
        actor=by,
        action="people.roster.imported",
        object_type="people.staffprofile",
        after={"rows": len(rows), "created": result.created, "updated": result.updated},
    )
