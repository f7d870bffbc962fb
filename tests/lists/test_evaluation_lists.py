"""年度考核's lists (brief E): the rounds list and 我的考核评分 are ListPage lists (filters, whitelisted sort, 导出 Excel of
exactly the filtered rows) whose SQL per request does not grow with the rows; the studios list shows the 优秀 badge
of the latest flagged year (registered by evaluation through studios.panels, studios never imports evaluation) and
exports it as a column, with the same SQL count for one flagged studio as for many."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from accounts.models import User
from evaluation.models import EvaluationRound, EvaluatorAssignment, Scorecard, SupportFlag
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR = timezone.localdate().year - 1


@pytest.fixture
def world():
    dept = DepartmentFactory(code="ELV", name="考核列表系")
    dev = UserFactory(username="D9001", department=None, roles=[Role.DEV_OFFICE])
    evaluator = UserFactory(username="E9001", display_name="评分人", department=None)
    return {"dept": dept, "dev": dev, "evaluator": evaluator, "studios": [], "rounds": []}


def _studios(world, n):
    start = len(world["studios"])
    masters = User.objects.bulk_create(
        User(username=f"M9{i:04d}", display_name=f"列表大师{i}", department=world["dept"])
        for i in range(start, start + n)
    )
    made = Studio.objects.bulk_create(
        Studio(source="registered", official_name=f"考核列表{i:04d}技能大师工作室", plaque_name=f"学校（大师{i}）技能大师工作室",
               master=m, mode="school", department=world["dept"], status="active", document_number=f"列{i}",
               approved_on=dt.date(2010, 9, 1))
        for i, m in zip(range(start, start + n), masters, strict=True)
    )  # fmt: skip
    world["studios"] += made
    return made


def _rounds(world, n):
    """`n` more rounds (even: confirmed, odd: 评分中), each with the next studio's scorecard assigned to the evaluator."""
    studios = _studios(world, n)
    for studio in studios:
        i = len(world["rounds"])
        round_ = EvaluationRound.objects.create(
            year=2000 + i, title=f"{2000 + i}年度考核", status="confirmed" if i % 2 == 0 else "evaluating",
            due_on=dt.date(2001 + i, 3, 1), created_by=world["dev"],
        )  # fmt: skip
        card = Scorecard.objects.create(round=round_, studio=studio, total=80, suggested_grade="good")
        EvaluatorAssignment.objects.create(scorecard=card, evaluator=world["evaluator"], assigned_by=world["dev"])
        world["rounds"].append(round_)


def _count(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    data = [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    return len(data), response


def _sheet(response):
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    return rows[1], rows[2:]  # row 1 is the title


LISTS = {
    "rounds": ("evaluation:rounds", "dev", {"status": "confirmed"}, "-year"),
    "mine": ("evaluation:my_scorecards", "evaluator", {"status": "confirmed"}, "-total"),
}


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
def test_sql_per_request_does_not_grow_with_the_rows(world, client, name, export):
    url_name, persona, filters, sort = LISTS[name]
    url = reverse(f"{url_name}_export" if export else url_name)
    params = {**filters, "page_size": "100", "sort": sort}
    client.force_login(world[persona])
    _rounds(world, 1)
    small, _ = _count(client, url, params)
    _rounds(world, 30)
    many, response = _count(client, url, params)
    assert small == many, f"{name}: {small} queries at 1 row, {many} at 31"
    assert many <= 12
    if export:
        assert response["Content-Type"] == XLSX
        _header, rows = _sheet(response)
        assert len(rows) == 16  # the confirmed ones of 31
    else:
        assert response.content.decode().count('data-testid="list-row"') == 16


@pytest.mark.parametrize("name", list(LISTS))
def test_export_has_exactly_the_filtered_rows_of_the_page(world, client, name):
    url_name, persona, filters, _sort = LISTS[name]
    _rounds(world, 7)
    client.force_login(world[persona])
    params = {**filters, "page_size": "100"}
    page = client.get(reverse(url_name), params)
    shown = page.context["page"].object_list
    header, exported = page.context["view"].export_rows(shown)
    assert len(shown) == 4
    response = client.get(reverse(f"{url_name}_export"), params)
    sheet_header, sheet_rows = _sheet(response)
    assert sheet_header == header
    assert sheet_rows == [[(None if v == "" else v) for v in row] for row in exported]
    if name == "rounds":
        assert sheet_header[:5] == ["考核年度", "名称", "状态", "评分截止", "参加工作室"]
        assert {row[2] for row in sheet_rows} == {"已认定"} and {row[4] for row in sheet_rows} == {1}


def test_my_scorecards_lists_only_the_users_assignments(world, client):
    _rounds(world, 3)
    other = UserFactory(username="E9002", department=None)
    client.force_login(other)
    assert list(client.get(reverse("evaluation:my_scorecards")).context["page"].object_list) == []
    client.force_login(world["evaluator"])
    page = client.get(reverse("evaluation:my_scorecards"), {"q": "考核列表0001"})
    assert [c.studio.official_name for c in page.context["page"].object_list] == ["考核列表0001技能大师工作室"]


def _flag(world, studio, year):
    round_ = EvaluationRound.objects.get_or_create(
        year=year, defaults={"title": f"{year}年度考核", "status": "confirmed", "due_on": dt.date(year + 1, 3, 1),
                             "created_by": world["dev"]},
    )[0]  # fmt: skip
    SupportFlag.objects.create(studio=studio, year=year, round=round_)


def test_studios_list_shows_the_latest_years_support_badge_and_exports_it(world, client):
    old, latest, plain = _studios(world, 3)
    _flag(world, old, YEAR - 1)
    _flag(world, latest, YEAR)
    client.force_login(world["dev"])
    params = {"department": world["dept"].pk, "page_size": "100", "sort": "name"}
    small, response = _count(client, reverse("studios:list"), params)
    page = response.content.decode()
    badge = f"{YEAR}年度优秀·重点扶持"
    assert page.count('data-testid="list-badge"') == 1 and badge in page
    assert f"{YEAR - 1}年度优秀" not in page  # only the latest flagged year is shown
    for studio in _studios(world, 20):
        _flag(world, studio, YEAR)
    many, response = _count(client, reverse("studios:list"), params)
    assert small == many and response.content.decode().count('data-testid="list-badge"') == 21
    export = client.get(reverse("studios:list_export"), params)
    header, rows = _sheet(export)
    column = header.index("重点扶持")
    by_name = {row[0]: row[column] for row in rows}
    assert by_name[latest.official_name] == badge
    assert by_name[old.official_name] is None and by_name[plain.official_name] is None
