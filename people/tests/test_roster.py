"""Roster import: template, all-or-nothing, row-by-row Chinese errors."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from accounts.enums import Role
from accounts.models import User
from core.models import AuditEvent
from people.models import StaffProfile
from people.roster import COLUMNS, SHEET, import_roster, template_workbook
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

from .factories import make_id_number

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def hr(db):
    return UserFactory(username="R9001", department=None, roles=[Role.HR])


@pytest.fixture
def setup_lookups(db):
    dept = DepartmentFactory(code="JX", name="机械工程系")
    MajorFactory(code="JX01", name="数控技术应用", department=dept)
    MajorFactory(code="JX02", name="机械加工技术", department=dept)
    return dept


def _row(i):
    birth = date(1970, 1, 1) + timedelta(days=13 * i)
    return [
        f"S{i:04d}",
        f"教师{i}",
        "男" if i % 2 else "女",
        birth,
        make_id_number(birth, f"{i % 1000:03d}"),
        "机械工程系",
        "数控技术应用、JX02",
        "讲师",
        "数控车工",
        "二级/技师",
        date(2010, 9, 1),
        "13800138000",
    ]


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _, _ in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_template_has_the_headers():
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb[SHEET][1]] == [h for h, _, _ in COLUMNS]
    assert "填写说明" in wb.sheetnames


def test_500_rows_import(hr, setup_lookups):
    result = import_roster(_workbook([_row(i) for i in range(500)]), by=hr)
    assert result.ok, result.errors[:3]
    assert (result.created, result.rows) == (500, 500)
    assert StaffProfile.objects.count() == 500
    profile = StaffProfile.objects.prefetch_related("majors").get(user__username="S0007")
    assert profile.id_number_masked.startswith("500") and "*" in profile.id_number_masked
    assert sorted(m.code for m in profile.majors.all()) == ["JX01", "JX02"]
    assert AuditEvent.objects.filter(action="people.roster.imported").count() == 1


def test_500_rows_with_one_bad_row_imports_nothing_and_names_it(hr, setup_lookups):
    rows = [_row(i) for i in range(500)]
    rows[336][4] = rows[336][4][:-1] + ("0" if rows[336][4][-1] != "0" else "1")  # spreadsheet row 338
    users_before = User.objects.count()
    result = import_roster(_workbook(rows), by=hr)
    assert result.errors == ["第338行：身份证号码校验位不正确，请核对。"]
    assert User.objects.count() == users_before
    assert not StaffProfile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        (0, "", "缺少工号"),
        (3, "1985-13-01", "出生日期「1985-13-01」不是有效日期"),
        (3, date(1990, 1, 1), "不一致"),
        (2, "未知", "性别「未知」无效"),
        (5, "不存在系", "所属系部「不存在系」不存在"),
        (6, "航天专业", "任教专业「航天专业」不存在"),
        (9, "大师", "技能等级「大师」无效"),
        (11, "12345", "联系电话「12345」无效"),
    ],
)
def test_row_errors_are_chinese_and_name_the_row(hr, setup_lookups, column, value, fragment):
    rows = [_row(1), _row(2)]
    rows[1][column] = value
    result = import_roster(_workbook(rows), by=hr)
    assert any(e.startswith("第3行：") and fragment in e for e in result.errors), result.errors
    assert not StaffProfile.objects.exists()


def test_duplicates_inside_the_file(hr, setup_lookups):
    rows = [_row(1), _row(1)]
    result = import_roster(_workbook(rows), by=hr)
    assert "第3行：工号「S0001」与第2行重复" in result.errors
    assert "第3行：身份证号码与第2行重复" in result.errors


def test_id_number_already_registered_to_someone_else(hr, setup_lookups):
    assert import_roster(_workbook([_row(1)]), by=hr).ok
    row = _row(1)
    row[0] = "S9999"
    result = import_roster(_workbook([row]), by=hr)
    assert result.errors == ["第2行：身份证号码已登记在工号「S0001」的档案中"]
    assert not User.objects.filter(username="S9999").exists()


def test_reimport_updates(hr, setup_lookups):
    assert import_roster(_workbook([_row(1)]), by=hr).ok
    row = _row(1)
    row[7] = "高级讲师"
    result = import_roster(_workbook([row]), by=hr)
    assert (result.created, result.updated) == (0, 1)
    assert StaffProfile.objects.get(user__username="S0001").title == "高级讲师"


def test_wrong_headers_and_garbage(hr, setup_lookups):
    wb = Workbook()
    wb.active.append(["姓名", "工号"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    assert "表头与模板不一致" in import_roster(buffer, by=hr).errors[0]
    assert "无法读取" in import_roster(io.BytesIO(b"not a workbook"), by=hr).errors[0]


def test_only_hr_imports(applicant, setup_lookups):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_roster(_workbook([_row(1)]), by=applicant)
    assert not StaffProfile.objects.exists()


# --- the screens ----------------------------------------------------------------------------------------------------


def test_hr_downloads_template_and_imports_via_the_page(hr, setup_lookups, login):
    client = login(hr)
    response = client.get("/people/roster/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(response.content))[SHEET].max_row == 1
    upload = SimpleUploadedFile("名册.xlsx", _workbook([_row(1), _row(2)]).getvalue(), content_type=XLSX)
    response = client.post("/people/roster/import/", {"file": upload})
    assert response.status_code == 302
    assert StaffProfile.objects.count() == 2


def test_page_shows_row_errors_and_imports_nothing(hr, setup_lookups, login):
    rows = [_row(1), _row(2)]
    rows[1][4] = "123"
    upload = SimpleUploadedFile("名册.xlsx", _workbook(rows).getvalue(), content_type=XLSX)
    response = login(hr).post("/people/roster/import/", {"file": upload})
    assert response.status_code == 200
    assert "第3行：身份证号码应为18位" in response.content.decode()
    assert not StaffProfile.objects.exists()


def test_page_refuses_a_disguised_file(hr, setup_lookups, login):
    upload = SimpleUploadedFile("名册.xlsx", b"MZ\x90\x00" + b"\x00" * 100, content_type=XLSX)
    response = login(hr).post("/people/roster/import/", {"file": upload})
    assert "内容与扩展名" in response.content.decode()
    assert not StaffProfile.objects.exists()


def test_staff_cannot_open_import(applicant, login):
    assert login(applicant).get("/people/roster/import/").status_code == 403
    assert login(applicant).get("/people/roster/template.xlsx").status_code == 403


def test_reimport_with_blank_optional_cells_keeps_stored_values(hr, setup_lookups):
    """Issue 8, defect 15 (roster part): a blank optional cell means "no change", not "erase"."""
    assert import_roster(_workbook([_row(1)]), by=hr).ok
    sparse = _row(1)
    for index, (_, _key, required) in enumerate(COLUMNS):
        if not required:
            sparse[index] = None
    result = import_roster(_workbook([sparse]), by=hr)
    assert result.ok, result.errors
    profile = StaffProfile.objects.prefetch_related("majors").get(user__username="S0001")
    assert (profile.gender, profile.title, profile.skill_certificate, profile.phone) == (
        "male",
        "讲师",
        "数控车工",
        "13800138000",
    )
    assert profile.hire_date == date(2010, 9, 1) and profile.skill_level
    assert sorted(m.code for m in profile.majors.all()) == ["JX01", "JX02"]


def test_reimport_logs_each_changed_user_field_with_before_and_after(hr, setup_lookups):
    """Issue 8, defect 4 (roster part): a re-import that changes a teacher's 姓名 and 系部 says so in the audit log."""
    other = DepartmentFactory(code="DQ", name="电气工程系")
    assert import_roster(_workbook([_row(2)]), by=hr).ok
    user = User.objects.get(username="S0002")
    changed = _row(2)
    changed[1], changed[5], changed[6] = "改名后", "电气工程系", ""
    assert import_roster(_workbook([changed]), by=hr).ok
    event = AuditEvent.objects.get(action="accounts.user.changed", object_id=str(user.pk))
    assert event.actor_id == hr.pk
    assert event.before == {"display_name": "教师2", "department": setup_lookups.pk}
    assert event.after == {"display_name": "改名后", "department": other.pk}
    # A third, identical import changes nothing and logs no user change.
    assert import_roster(_workbook([changed]), by=hr).ok
    assert AuditEvent.objects.filter(action="accounts.user.changed").count() == 1


def _with_dtd(buffer, entity_value="张三"):
    """The same workbook with a DTD declaring an entity, used in a cell of the sheet (as a hostile file would)."""
    import zipfile

    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, _, body = text.partition("?>")
                text = f'{head}?><!DOCTYPE worksheet [<!ENTITY x "{entity_value}">]>{body}'
                text = text.replace(
                    "</sheetData>", '<row r="99"><c r="A99" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
                )
                data = text.encode()
            target.writestr(item, data)
    out.seek(0)
    return out


@pytest.mark.parametrize("entity_value", ["张三", "&#x41;"])
def test_roster_with_a_dtd_entity_is_refused_in_chinese_and_nothing_is_stored(hr, setup_lookups, entity_value):
    """Issue 8, defect 14 (roster part): an xlsx whose XML declares entities is refused, not a 500."""
    users_before = User.objects.count()
    result = import_roster(_with_dtd(_workbook([_row(3)]), entity_value), by=hr)
    assert not result.ok
    assert result.errors == [
        "该 Excel 文件含有不允许的 XML 内容（如 DTD 或实体声明），已拒绝导入。请使用下载的模板重新填写后上传。"
    ]
    assert User.objects.count() == users_before and not StaffProfile.objects.exists()


def test_roster_with_an_undefined_entity_is_refused(hr, setup_lookups):
    buffer = _with_dtd(_workbook([_row(4)]))
    import zipfile

    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.decode().replace("&x;", "&undefined;").encode()
            target.writestr(item, data)
    out.seek(0)
    result = import_roster(out, by=hr)
    assert not result.ok and "不允许的 XML 内容" in result.errors[0]
    assert not StaffProfile.objects.exists()
