"""The list pages (core.lists.ListPage): filter, whitelisted sort, bounded page size, 导出 Excel of exactly the filtered
rows, SQL per request independent of the number of rows, and issue 9 item 10's draft and 申报-button rules."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from applications.models import Application, Call, Rubric
from core.audit import log_action
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def people(db):
    dept_a = DepartmentFactory(code="LA", name="机械工程系")
    dept_b = DepartmentFactory(code="LB", name="电气工程系")
    return {
        "dept_a": dept_a,
        "dept_b": dept_b,
        "ta": UserFactory(username="J0001", display_name="教工部", department=None, roles=[Role.TEACHING_AFFAIRS]),
        "hr": UserFactory(username="R0001", display_name="人事部", department=None, roles=[Role.HR]),
        "admin": UserFactory(username="A0001", display_name="管理员", department=None, roles=[Role.ADMIN]),
        "inspector": UserFactory(username="K0001", display_name="纪检", department=None, roles=[Role.INSPECTOR]),
        "staff": UserFactory(username="T0001", display_name="教师", department=dept_a),
    }


def _call(people, year, status="closed"):
    rubric = Rubric.objects.get_or_create(name="列表评分标准")[0]
    now = timezone.now()
    return Call.objects.create(
        year=year,
        title=f"{year}年技能大师工作室申报",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        policy_year=year,
        rubric=rubric,
        status=status,
        created_by=people["ta"],
    )


def add_rows(people, start, count):
    """`count` more rows of every list: users (with their own application and studio), calls and audit events.
    Even rows are in department A, odd in B; names carry the number so filters can pick a known subset."""
    base_call = Call.objects.filter(title="列表基础批次").first()
    if base_call is None:
        base_call = _call(people, 2000)
        base_call.title = "列表基础批次"
        base_call.save(update_fields=["title"])
    for i in range(start, start + count):
        dept = people["dept_a"] if i % 2 == 0 else people["dept_b"]
        user = UserFactory(username=f"L{i:04d}", display_name=f"列表教师{i:04d}", department=dept)
        app = Application.objects.create(
            call=base_call,
            applicant=user,
            department=dept,
            status="approved" if i % 3 == 0 else "submitted",
            studio_name=f"列表{i:04d}技能大师工作室",
        )
        if i % 3 == 0:
            Studio.objects.create(
                application=app,
                official_name=app.studio_name,
                plaque_name="重庆市工业学校技能大师工作室",
                master=user,
                mode="school",
                department=dept,
                status="active",
                document_number=f"渝工校〔2026〕{i}号",
                approved_on=timezone.localdate() - dt.timedelta(days=i),
            )
        _call(people, 2001 + i)
        log_action(actor=user, action="tests.lists.row", obj=app, note=f"第{i}条")


# list → (url name, persona, a filter that selects the rows of department A or an equivalent subset)
LISTS = {
    "applications": ("applications:list", "ta", {"department": "dept_a"}),
    "calls": ("applications:call_list", "ta", {"year": "2005"}),
    "studios": ("studios:list", "staff", {"department": "dept_a"}),
    "staff": ("people:staff_list", "hr", {"department": "dept_a"}),
    "users": ("accounts:user_list", "admin", {"department": "dept_a"}),
    "audit": ("workspace:audit_list", "inspector", {"action": "tests.lists"}),
}


# a sortable column of each list, sorted by in the query-count test (a sort must not add queries either)
LIST_SORT = {
    "applications": "name",
    "calls": "year",
    "studios": "approved",
    "staff": "birth",
    "users": "name",
    "audit": "at",
}


def _params(people, filters):
    return {k: (people[v].pk if v in people else v) for k, v in filters.items()}


def _count(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    data = [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    return len(data), response


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
def test_sql_per_request_does_not_grow_with_the_rows(people, client, name, export):
    url_name, persona, filters = LISTS[name]
    url = reverse(f"{url_name}_export" if export else url_name)
    filters = {"status": "closed"} if name == "calls" else filters  # a year that exists at both sizes
    params = {**_params(people, filters), "page_size": "100", "sort": "-" + LIST_SORT[name]}
    client.force_login(people[persona])
    add_rows(people, 0, 1)
    small, _ = _count(client, url, params)
    add_rows(people, 1, 30)
    many, response = _count(client, url, params)
    assert small == many, f"{name}: {small} queries at 1 row, {many} at 31"
    assert many <= 12
    if export:
        assert response["Content-Type"] == XLSX


def _sheet_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[1], [list(r) for r in rows[2:]]  # row 1 is the title, row 2 the header


@pytest.mark.parametrize("name", list(LISTS))
def test_export_has_exactly_the_filtered_rows_of_the_page(people, client, name):
    url_name, persona, filters = LISTS[name]
    add_rows(people, 0, 12)
    client.force_login(people[persona])
    params = {**_params(people, filters), "sort": "", "page_size": "100"}
    page = client.get(reverse(url_name), params)
    view = page.context["view"]
    shown = page.context["page"].object_list
    header, exported = view.export_rows(shown)
    unfiltered = client.get(reverse(url_name), {"page_size": "100"}).context["page"].object_list
    assert 0 < len(shown) < len(unfiltered), "the filter must select a proper subset"
    response = client.get(reverse(f"{url_name}_export"), params)
    assert response["Content-Type"] == XLSX
    sheet_header, sheet_rows = _sheet_rows(response)
    assert list(sheet_header) == header
    assert sheet_rows == [[(None if v == "" else v) for v in row] for row in exported]  # openpyxl reads "" as None


def test_export_over_the_cap_is_refused_with_a_message(people, client, settings):
    settings.LIST_EXPORT_MAX_ROWS = 5
    add_rows(people, 0, 9)  # 6 of them 已提交
    client.force_login(people["ta"])
    response = client.get(reverse("applications:list_export"), {"status": "submitted"}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "超过 5 条，无法导出" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?status=submitted")
    narrow = client.get(reverse("applications:list_export"), {"q": "列表0001"})
    assert narrow["Content-Type"] == XLSX


def test_sort_is_whitelisted_and_toggles(people, client):
    add_rows(people, 0, 6)
    client.force_login(people["ta"])
    url = reverse("applications:list")
    names = [a.studio_name for a in client.get(url, {"sort": "-name"}).context["page"].object_list]
    assert names == sorted(names, reverse=True) and len(names) == 6
    response = client.get(url, {"sort": "name"})
    assert [a.studio_name for a in response.context["page"].object_list] == sorted(names)
    header = next(h for h in response.context["list"]["headers"] if h.column.key == "name")
    assert header.direction == "asc" and "sort=-name" in header.url
    for hostile in ("applicant__password", "-password", "id;drop", "?" * 300):
        response = client.get(url, {"sort": hostile})
        assert response.status_code == 200
        assert "排序方式无效" in response.content.decode()
        default = [a.pk for a in response.context["page"].object_list]
        assert default == sorted(default, reverse=True)  # the default order, newest first


def test_page_size_is_bounded(people, client):
    add_rows(people, 0, 25)
    client.force_login(people["admin"])
    url = reverse("accounts:user_list")
    assert len(client.get(url, {"page_size": "20"}).context["page"].object_list) == 20
    for hostile in ("1000000", "0", "-20", "２０", "5"):
        response = client.get(url, {"page_size": hostile})
        assert response.status_code == 200 and "每页条数只能是 20、50、100" in response.content.decode()
        assert len(response.context["page"].object_list) == 30  # all rows (fewer than the default 50)


def test_invalid_filter_is_named_and_ignored(people, client):
    add_rows(people, 0, 4)
    client.force_login(people["ta"])
    url = reverse("applications:list")
    for value in ("abc", "99999999999999999999999999", "-1", "²"):
        response = client.get(url, {"department": value})
        assert response.status_code == 200
        assert "以下筛选条件无效，已忽略：系部" in response.content.decode()
        assert len(response.context["page"].object_list) == 4
    # An export with an invalid filter goes back to the list (which names it) instead of exporting other rows.
    response = client.get(reverse("applications:list_export"), {"department": "abc"})
    assert response.status_code == 302 and response.url.startswith(reverse("applications:list"))


def test_officers_do_not_see_other_peoples_empty_drafts(people, client):
    call = _call(people, 2026, status="open")
    empty = Application.objects.create(call=call, applicant=people["staff"], department=people["dept_a"])
    other = UserFactory(username="T0002", display_name="另一教师", department=people["dept_a"])
    named = Application.objects.create(
        call=call, applicant=other, department=people["dept_a"], studio_name="钳工技能大师工作室"
    )
    client.force_login(people["ta"])
    shown = {a.pk for a in client.get(reverse("applications:list")).context["page"].object_list}
    assert empty.pk not in shown and named.pk in shown
    exported = client.get(reverse("applications:list_export"))
    assert "（未命名草稿）" not in str(_sheet_rows(exported)[1])
    client.force_login(people["staff"])
    mine = {a.pk for a in client.get(reverse("applications:list")).context["page"].object_list}
    assert empty.pk in mine  # the applicant still sees his own draft


def test_apply_button_only_while_the_person_can_still_apply(people, client):
    call = _call(people, 2026, status="open")
    url = reverse("applications:list")
    client.force_login(people["staff"])
    response = client.get(url)
    assert [c.pk for c in response.context["open_calls"]] == [call.pk]
    assert "申报：2026年技能大师工作室申报" in response.content.decode()
    Application.objects.create(call=call, applicant=people["staff"], department=people["dept_a"])
    response = client.get(url)
    assert response.context["open_calls"] == [] and "申报：" not in response.content.decode()
    # no 系部 (create_application refuses), a read-only role, a call not yet accepting: no button either
    for user in (
        UserFactory(username="T0003", display_name="无系部", department=None),
        people["inspector"],
    ):
        client.force_login(user)
        assert client.get(url).context["open_calls"] == []
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.opens_at = call.closes_at - dt.timedelta(days=1)
    call.save(update_fields=["opens_at", "closes_at"])
    client.force_login(UserFactory(username="T0004", display_name="新教师", department=people["dept_a"]))
    assert client.get(url).context["open_calls"] == []


def test_staff_export_carries_only_the_masked_id_number(people, client):
    from people import services as people_services

    add_rows(people, 0, 2)
    person = UserFactory(username="P0001", display_name="档案教师", department=people["dept_a"])
    people_services.save_profile(by=people["hr"], user=person, data={"gender": "male"}, id_number="11010519491231002X")
    client.force_login(people["hr"])
    response = client.get(reverse("people:staff_list_export"), {"q": "P0001"})
    header, rows = _sheet_rows(response)
    assert len(rows) == 1 and rows[0][0] == "P0001"
    assert "11010519491231002X" not in str(rows) and rows[0][5].endswith("002X")


def test_lists_render_as_cards_on_phones_with_labelled_cells(people, client):
    add_rows(people, 0, 2)
    client.force_login(people["ta"])
    page = client.get(reverse("applications:call_list")).content.decode()
    assert 'class="table align-middle table-cards"' in page
    assert 'data-label="操作"' in page and "批量指派专家" in page  # row actions inside the card


def test_audit_dates_at_the_ends_of_the_calendar_bound_nothing(people, client):
    """until=9999-12-31 answered 500 (the next day overflows); since=0001-01-01 could overflow in UTC."""
    add_rows(people, 0, 3)
    client.force_login(people["inspector"])
    url = reverse("workspace:audit_list")
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "0001-01-01", "until": "9999-12-31"}):
        response = client.get(url, {**params, "action": "tests.lists"})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 3
    today = timezone.localdate()
    response = client.get(url, {"action": "tests.lists", "until": str(today - dt.timedelta(days=1))})
    assert len(response.context["page"].object_list) == 0
