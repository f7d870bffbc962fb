"""推荐申报 pages and API: the whole path through the pages (new → detail with the check → submit with the manual
confirmations → 获批 → the studio page's panel and level), confirmations before irreversible moves, refusals, the
list's and detail's statement counts (1 and 20 rows the same), the API's parity and the readers' scope."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from recommendations import services
from recommendations.checking import check_studio
from recommendations.enums import RecommendationStatus
from recommendations.models import Recommendation
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import TODAY, city_ready_studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(code="RCP", name="推荐页面测试系")


@pytest.fixture
def dev():
    return UserFactory(department=None, display_name="发改室丙", roles=[Role.DEV_OFFICE])


def test_pages_new_submit_approve_raises_level(client, dept, dev):
    studio, master, _ = city_ready_studio(dept)
    client.force_login(dev)
    page = client.get(reverse("recommendations:new")).content.decode()
    assert studio.official_name in page and "data-studio-picker" in page
    response = client.post(
        reverse("recommendations:new"), {"studio": studio.pk, "level": "city", "year": TODAY.year, "reason": "成效显著"}
    )
    rec = Recommendation.objects.get(studio=studio)
    assert response.url == reverse("recommendations:detail", args=[rec.pk])
    page = client.get(response.url).content.decode()
    assert "满足" in page and "需人工核实" in page and 'name="confirm_' in page
    manual = [line for line in check_studio(studio.pk, "city") if line["verdict"] == "manual"]
    post = {f"confirm_{line['requirement_id']}": "已取得推荐函" for line in manual}
    client.post(reverse("recommendations:submit", args=[rec.pk]), post)  # not confirmed yet: nothing happens
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.DRAFT
    client.post(reverse("recommendations:submit", args=[rec.pk]), {**post, "confirmed": "1"})
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.SUBMITTED
    response = client.post(
        reverse("recommendations:outcome", args=[rec.pk]),
        {"result": "approved", "outcome_level": "city", "outcome_year": TODAY.year, "outcome_document": "渝人社〔2026〕9号",
         "outcome_on": TODAY.isoformat(), "confirmed": "1"},
    )  # fmt: skip
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.APPROVED
    assert Studio.objects.get(pk=studio.pk).level == "city"
    page = client.get(reverse("recommendations:detail", args=[rec.pk])).content.decode()
    assert "已取得推荐函" in page and "渝人社〔2026〕9号" in page and "办理记录" in page
    client.force_login(master)
    studio_page = client.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert "市级" in studio_page and reverse("recommendations:studio_rows", args=[studio.pk]) in studio_page
    rows = client.get(reverse("recommendations:studio_rows", args=[studio.pk]), HTTP_HX_REQUEST="true")
    assert "渝人社〔2026〕9号" in rows.content.decode()


def test_submit_without_confirmation_notes_is_refused_in_chinese(client, dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    client.force_login(dev)
    response = client.post(reverse("recommendations:submit", args=[rec.pk]), {"confirmed": "1"}, follow=True)
    assert "核实说明" in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.DRAFT


def test_readers_and_refusals(client, dept, dev, teaching_affairs, inspector, outsider, dept_head):
    studio, master, team = city_ready_studio(dept)
    other_dept = DepartmentFactory(code="RCX", name="他系")
    other, _om, _ = city_ready_studio(other_dept, name="他系工作室")
    mine = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    theirs = services.create_recommendation(by=dev, studio=other, level="city", year=TODAY.year, reason="理由")
    for user in (teaching_affairs, inspector):
        client.force_login(user)
        assert client.get(reverse("recommendations:detail", args=[theirs.pk])).status_code == 200
    client.force_login(inspector)
    response = client.post(reverse("recommendations:withdraw", args=[mine.pk]), {"reason": "x", "confirmed": "1"})
    assert response.status_code == 403
    for user in (master, team[0]):
        client.force_login(user)
        assert client.get(reverse("recommendations:detail", args=[mine.pk])).status_code == 200
        assert client.get(reverse("recommendations:detail", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("recommendations:withdraw", args=[mine.pk]), {"reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("recommendations:list")).status_code == 403
    assert client.get(reverse("recommendations:detail", args=[mine.pk])).status_code == 404
    assert Recommendation.objects.filter(status=RecommendationStatus.DRAFT).count() == 2


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("recommendations:list"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_list_and_detail_statement_counts_do_not_grow(client, dept, dev):
    first, _m, _ = city_ready_studio(dept, name="工作室0")
    services.create_recommendation(by=dev, studio=first, level="city", year=TODAY.year, reason="理由")
    client.force_login(dev)
    client.get(reverse("recommendations:list"))
    one, page = _list_queries(client)
    assert page.count('data-testid="list-row"') == 1 and "满足 " in page
    for i in range(1, 20):
        studio, _m, _ = city_ready_studio(dept, name=f"工作室{i}", apprentices=i % 7)
        rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
        if i % 3 == 0:
            confirm = {line["requirement_id"]: "已核实" for line in check_studio(studio.pk, "city")}
            services.submit(rec, by=dev, confirmations=confirm, explanation="说明")
    many, page = _list_queries(client)
    assert page.count('data-testid="list-row"') == 20
    assert one == many
    counts = []
    for rec in Recommendation.objects.order_by("pk")[:2]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("recommendations:detail", args=[rec.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    export = client.get(reverse("recommendations:list_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_requirements_page_and_api(client, dept, dev, outsider):
    client.force_login(dev)
    page = client.get(reverse("recommendations:requirements")).content.decode()
    assert "累计带徒不少于 5 人" in page and "已获省级技能大师工作室认定" in page
    data = client.get("/api/v1/recommendations/requirements/").json()
    assert {row["level"] for row in data} == {"city", "province", "national"}
    client.force_login(outsider)
    assert client.get(reverse("recommendations:requirements")).status_code == 403
    assert client.get("/api/v1/recommendations/requirements/").status_code == 403


def test_api_path(client, dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    client.force_login(dev)
    response = client.post(
        "/api/v1/recommendations/",
        json.dumps({"studio_id": studio.pk, "level": "city", "year": TODAY.year, "reason": "理由"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and not body["frozen"] and body["checks"]
    pk = body["id"]
    again = client.post(
        "/api/v1/recommendations/",
        json.dumps({"studio_id": studio.pk, "level": "city", "year": TODAY.year, "reason": "理由"}),
        content_type="application/json",
    )
    assert again.status_code == 422 and "不能重复推荐" in again.json()["detail"]
    manual = [c for c in body["checks"] if c["verdict"] == "manual"]
    response = client.post(f"/api/v1/recommendations/{pk}/submit", json.dumps({"confirmations": []}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    confirmations = [{"requirement_id": c["requirement_id"], "note": "已核实"} for c in manual]
    response = client.post(f"/api/v1/recommendations/{pk}/submit", json.dumps({"confirmations": confirmations}),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["frozen"]
    response = client.post(
        f"/api/v1/recommendations/{pk}/outcome",
        json.dumps({"result": "approved", "year": TODAY.year, "document": "文号1", "on": TODAY.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert Studio.objects.get(pk=studio.pk).level == "city"
    listed = client.get("/api/v1/recommendations/").json()
    assert [row["id"] for row in listed["items"]] == [pk]
    pdf = client.get(f"/api/v1/recommendations/{pk}/dossier.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_export_holds_exactly_the_filtered_rows_in_the_page_order(client, dept, dev):
    import io

    from openpyxl import load_workbook

    recs = []
    for i in range(3):
        studio, _m, _ = city_ready_studio(dept, name=f"导出工作室{i}")
        recs.append(services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year - i,
                                                   reason="理由"))  # fmt: skip
    confirm = {line["requirement_id"]: "已核实" for line in check_studio(recs[1].studio_id, "city")}
    services.submit(recs[1], by=dev, confirmations=confirm, explanation="说明")
    client.force_login(dev)
    query = "?status=draft&sort=-year"
    page = client.get(reverse("recommendations:list") + query).content.decode()
    assert page.index("导出工作室0") < page.index("导出工作室2") and "导出工作室1" not in page
    export = client.get(reverse("recommendations:list_export") + query)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    names = [r[0] for r in rows if r[0] and str(r[0]).startswith("导出工作室")]
    assert names == ["导出工作室0", "导出工作室2"]
