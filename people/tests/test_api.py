"""API /api/v1/people/: eligibility, CRUD within permissions, masked ID numbers, OpenAPI."""

import json
from datetime import date

import pytest

from accounts.enums import Role
from people.models import Enterprise, Honor, WorkPeriod
from tests.factories import UserFactory

from .factories import (
    EnterpriseFactory,
    HonorFactory,
    StaffProfileFactory,
    WorkPeriodFactory,
    make_credit_code,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def _json(client, method, url, data=None):
    kwargs = {"content_type": "application/json"}
    if data is not None:
        kwargs["data"] = json.dumps(data, default=str)
    return getattr(client, method)(url, **kwargs)


def test_openapi_lists_people_paths(applicant, login):
    schema = login(applicant).get("/api/v1/openapi.json").json()
    assert "/api/v1/people/{user_id}/eligibility" in schema["paths"]
    assert "/api/v1/people/enterprises" in schema["paths"]


def test_eligibility_endpoint(applicant, login):
    StaffProfileFactory(user=applicant, birth_date=date(1980, 2, 28))
    response = login(applicant).get(f"/api/v1/people/{applicant.pk}/eligibility?on=2026-03-01")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is False and data["on"] == "2026-03-01" and data["policy_year"] == 2026
    r4 = next(r for r in data["results"] if r["code"] == "R4")
    assert r4["verdict"] == "fail" and "46周岁" in r4["message"]


@pytest.mark.parametrize(("persona", "status"), [("teaching_affairs", 200), ("dept_head", 200), ("outsider", 404)])
def test_eligibility_scope(applicant, persona, status, login, request):
    response = login(request.getfixturevalue(persona)).get(f"/api/v1/people/{applicant.pk}/eligibility")
    assert response.status_code == status


def test_eligibility_bad_date_is_422(applicant, login):
    assert login(applicant).get(f"/api/v1/people/{applicant.pk}/eligibility?on=2026-13-01").status_code == 422


def test_people_list_is_scoped_and_masked(applicant, outsider, dept_head, login):
    from people import services

    hr = UserFactory(roles=[Role.HR], department=None)
    birth = date(1985, 6, 15)
    services.save_profile(by=hr, user=applicant, data={"birth_date": birth}, id_number=make_id_number(birth))
    StaffProfileFactory(user=outsider)
    data = login(dept_head).get("/api/v1/people/").json()
    assert [p["username"] for p in data["items"]] == [applicant.username]
    assert data["items"][0]["id_number_masked"].startswith("500***")
    assert "id_number" not in data["items"][0]


def test_owner_patches_own_fields_but_not_identity(applicant, login):
    StaffProfileFactory(user=applicant, title="")
    client = login(applicant)
    assert _json(client, "patch", f"/api/v1/people/{applicant.pk}", {"title": "讲师"}).json()["title"] == "讲师"
    response = _json(client, "patch", f"/api/v1/people/{applicant.pk}", {"birth_date": "2000-01-01"})
    assert response.status_code == 403
    assert _json(client, "get", f"/api/v1/people/{applicant.pk}").json()["birth_date"] == "1985-06-15"


def test_work_period_crud(applicant, login):
    client = login(applicant)
    body = {"kind": "practice", "enterprise_name": "重庆机床", "start": "2024-07-01", "end": "2024-09-30"}
    response = _json(client, "post", "/api/v1/people/work-periods", body)
    assert response.status_code == 201
    pk = response.json()["id"]
    bad = _json(client, "put", f"/api/v1/people/work-periods/{pk}", {**body, "end": "2024-06-01"})
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.json()["detail"]
    assert WorkPeriod.objects.get(pk=pk).end == date(2024, 9, 30)
    assert _json(client, "delete", f"/api/v1/people/work-periods/{pk}").status_code == 204
    assert not WorkPeriod.objects.exists()


def test_bad_dates_refused_on_create(applicant, login):
    body = {"kind": "work", "enterprise_name": "重庆机床", "start": "2024-07-01", "end": "2024-06-30"}
    response = _json(login(applicant), "post", "/api/v1/people/work-periods", body)
    assert response.status_code == 422
    assert not WorkPeriod.objects.exists()


def test_cannot_write_someone_elses_records(applicant, outsider, login):
    period = WorkPeriodFactory(user=applicant)
    honor = HonorFactory(user=applicant)
    client = login(outsider)
    assert _json(client, "delete", f"/api/v1/people/work-periods/{period.pk}").status_code == 404
    body = {"kind": "practice", "enterprise_name": "x", "start": "2024-07-01", "end": "2024-09-30"}
    assert _json(client, "post", f"/api/v1/people/work-periods?user_id={applicant.pk}", body).status_code == 404
    assert _json(client, "delete", f"/api/v1/people/honors/{honor.pk}").status_code == 404
    assert WorkPeriod.objects.count() == 1 and Honor.objects.count() == 1


def test_inspector_reads_but_cannot_delete(applicant, inspector, login):
    honor = HonorFactory(user=applicant)
    client = login(inspector)
    assert client.get(f"/api/v1/people/honors/{honor.pk}").json()["kind"] == "skill_master"
    assert _json(client, "delete", f"/api/v1/people/honors/{honor.pk}").status_code == 403
    assert Honor.objects.count() == 1


def test_honor_create_by_kind_code(applicant, login):
    body = {
        "kind": "competition_guided",
        "title": "指导学生一等奖",
        "level": "city",
        "rank": "first",
        "date": "2023-04-01",
        "issuer": "市教委",
    }
    response = _json(login(applicant), "post", "/api/v1/people/honors", body)
    assert response.status_code == 201
    assert response.json()["has_certificate"] is False
    assert _json(login(applicant), "post", "/api/v1/people/honors", {**body, "kind": "nope"}).status_code == 404


def test_enterprise_api(login):
    coop = UserFactory(roles=[Role.COOP_OFFICE], department=None)
    staff = UserFactory()
    body = {
        "name": "重庆接口企业",
        "credit_code": make_credit_code(91),
        "is_partner": True,
        "agreement_start": "2025-01-01",
        "high_influence": True,
        "influence_reason": "龙头",
    }
    assert _json(login(staff), "post", "/api/v1/people/enterprises", body).status_code == 403
    assert not Enterprise.objects.exists()
    response = _json(login(coop), "post", "/api/v1/people/enterprises", body)
    assert response.status_code == 201 and response.json()["can_supply_members"] is True
    bad = _json(login(coop), "post", "/api/v1/people/enterprises", {**body, "name": "另一家", "credit_code": "123"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.json()["detail"]
    assert Enterprise.objects.count() == 1


def test_external_user_cannot_list_enterprises(login):
    EnterpriseFactory()
    external = UserFactory(is_external=True, department=None)
    assert login(external).get("/api/v1/people/enterprises").status_code == 403


def test_token_auth(applicant, client, settings):
    from accounts.services import issue_api_token

    settings.API_TOKENS_FOR_EVERYONE = True  # a plain teacher's token (officer roles only by default)
    StaffProfileFactory(user=applicant)
    _, key = issue_api_token(by=applicant, name="测试")
    response = client.get(f"/api/v1/people/{applicant.pk}/eligibility", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    assert client.get(f"/api/v1/people/{applicant.pk}/eligibility").status_code == 401


def test_certificate_upload_via_api(applicant, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF_BYTES

    honor = HonorFactory(user=applicant, certificate="")
    client = login(applicant)
    bad = client.post(
        f"/api/v1/people/honors/{honor.pk}/certificate",
        {"file": SimpleUploadedFile("证书.pdf", b"MZ\x90\x00" + b"\x00" * 50)},
    )
    assert bad.status_code == 422 and "伪装" in bad.json()["detail"]
    honor.refresh_from_db()
    assert not honor.certificate
    ok = client.post(
        f"/api/v1/people/honors/{honor.pk}/certificate", {"file": SimpleUploadedFile("证书.pdf", PDF_BYTES)}
    )
    assert ok.status_code == 200 and ok.json()["certificate_url"] == f"/people/honors/{honor.pk}/certificate/"
    assert b"".join(client.get(ok.json()["certificate_url"]).streaming_content) == PDF_BYTES


def test_proof_upload_refused_for_others(applicant, outsider, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF_BYTES

    period = WorkPeriodFactory(user=applicant)
    response = login(outsider).post(
        f"/api/v1/people/work-periods/{period.pk}/proof", {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 404
    period.refresh_from_db()
    assert not period.proof


@pytest.mark.parametrize("rows", [1, 25])
def test_api_lists_query_count(rows, django_assert_max_num_queries, login):
    from tests.factories import MajorFactory

    hr = UserFactory(roles=[Role.HR], department=None)
    major = MajorFactory()
    for _ in range(rows):
        StaffProfileFactory().majors.add(major)
        EnterpriseFactory().majors.add(major)
        HonorFactory()
    client = login(hr)
    for url in ("/api/v1/people/", "/api/v1/people/enterprises", "/api/v1/people/honors"):
        with django_assert_max_num_queries(10):  # session, user, roles, count, page, prefetches: not per row
            response = client.get(url)
        assert response.json()["count"] >= rows, url


def test_control_characters_refused_not_500(applicant, login):
    body = {"kind": "work", "enterprise_name": "重庆\x00机床", "start": "2020-01-01", "end": "2021-01-01"}
    response = _json(login(applicant), "post", "/api/v1/people/work-periods", body)
    assert response.status_code == 422 and "空字符" in response.json()["detail"]
    assert not WorkPeriod.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/work-periods?user_id=99999999999999999999999",
        "/api/v1/people/honors?user_id=99999999999999999999999",
    ],
)
def test_huge_ids_in_a_query_are_refused_in_chinese(url, applicant, client):
    """A query-string id beyond the database's range fails the schema's Id type (core.apitypes): 422, not 500."""
    client.force_login(applicant)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 422
    assert "user_id" in response.content.decode() or "编号" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/99999999999999999999999",
        "/api/v1/people/99999999999999999999999/eligibility",
        "/api/v1/people/honors/99999999999999999999999",
        "/people/staff/99999999999999999999999/",
        "/people/work/99999999999999999999999/edit/",
        "/people/enterprises/99999999999999999999999/",
    ],
)
def test_huge_ids_are_404_not_500(url, applicant, client):
    client.force_login(applicant)
    client.raise_request_exception = False
    assert client.get(url).status_code == 404
