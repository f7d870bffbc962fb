"""Screens: 我的资历, eligibility pre-check, staff records (scope), enterprises; downloads; query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import Role
from people.models import Enterprise, Honor, WorkPeriod
from tests.factories import UserFactory

from .factories import (
    PDF_BYTES,
    EnterpriseFactory,
    HonorFactory,
    StaffProfileFactory,
    WorkPeriodFactory,
    honor_kind,
    make_credit_code,
    make_id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db):
    return UserFactory(username="R9001", department=None, roles=[Role.HR])


@pytest.fixture
def coop(db):
    return UserFactory(username="Q9001", department=None, roles=[Role.COOP_OFFICE])


def _with_id(user):
    from people.idcard import encrypt_id_number, hash_id_number, mask_id_number

    number = make_id_number(date(1985, 6, 15), f"{user.pk % 1000:03d}")
    return StaffProfileFactory(
        user=user,
        id_number_encrypted=encrypt_id_number(number),
        id_number_hash=hash_id_number(number),
        id_number_masked=mask_id_number(number),
    ), number


# --- 我的资历 --------------------------------------------------------------------------------------------------------


def test_my_record_shows_masked_id_never_plaintext(applicant, login):
    profile, number = _with_id(applicant)
    assert login(applicant).get("/people/")["Location"] == "/people/me/"
    body = login(applicant).get("/people/me/").content.decode()
    assert profile.id_number_masked in body and number not in body


def test_staff_adds_work_period_with_upload(applicant, login):
    response = login(applicant).post(
        "/people/work/new/",
        {
            "kind": "practice",
            "enterprise_name": "重庆机床",
            "position": "技术员",
            "start": "2024-07-01",
            "end": "2024-09-30",
            "proof": SimpleUploadedFile("证明.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    period = WorkPeriod.objects.get(user=applicant)
    assert period.proof_name == "证明.pdf" and period.proof.name.startswith("people/work/")


def test_bad_dates_refused_on_the_page(applicant, login):
    response = login(applicant).post(
        "/people/work/new/",
        {"kind": "work", "enterprise_name": "重庆机床", "start": "2024-07-01", "end": "2024-06-30"},
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not WorkPeriod.objects.exists()


def test_disguised_certificate_refused_on_the_page(applicant, login):
    response = login(applicant).post(
        "/people/honors/new/",
        {
            "kind": honor_kind("skill_master").pk,
            "title": "技术能手",
            "level": "city",
            "date": "2020-01-01",
            "issuer": "人社局",
            "certificate": SimpleUploadedFile("证书.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )
    assert "内容与扩展名" in response.content.decode()
    assert not Honor.objects.exists()


def test_owner_edits_and_deletes_own_honour(applicant, login):
    honor = HonorFactory(user=applicant)
    client = login(applicant)
    response = client.post(
        f"/people/honors/{honor.pk}/edit/",
        {
            "kind": honor.kind_id,
            "title": "重庆市技术能手",
            "level": "province",
            "date": "2021-01-01",
            "issuer": "人社局",
        },
    )
    assert response.status_code == 302
    honor.refresh_from_db()
    assert (honor.title, honor.level) == ("重庆市技术能手", "province") and honor.certificate
    assert client.post(f"/people/honors/{honor.pk}/delete/").status_code == 302
    assert not Honor.objects.exists()


def test_others_cannot_touch_my_records(applicant, outsider, login):
    honor = HonorFactory(user=applicant, title="原名称")
    client = login(outsider)
    assert client.get(f"/people/honors/{honor.pk}/edit/").status_code == 404
    assert client.post(f"/people/honors/{honor.pk}/delete/").status_code == 404
    assert client.get(f"/people/honors/{honor.pk}/certificate/").status_code == 404
    honor.refresh_from_db()
    assert honor.title == "原名称"


def test_inspector_reads_but_cannot_edit(applicant, inspector, login):
    honor = HonorFactory(user=applicant, title="原名称")
    client = login(inspector)
    assert client.get(f"/people/honors/{honor.pk}/certificate/").status_code == 200
    assert client.post(f"/people/honors/{honor.pk}/delete/").status_code == 403
    response = client.post(
        f"/people/honors/{honor.pk}/edit/",
        {"kind": honor.kind_id, "title": "改", "level": "city", "date": "2021-01-01", "issuer": "x"},
    )
    assert response.status_code == 403
    honor.refresh_from_db()
    assert honor.title == "原名称" and Honor.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("applicant", 200), ("dept_head", 200), ("other_dept_head", 404), ("outsider", 404), ("teaching_affairs", 200)],
)
def test_proof_download_scope(applicant, persona, status, login, request):
    period = WorkPeriodFactory(user=applicant, proof=SimpleUploadedFile("证明.pdf", PDF_BYTES), proof_name="证明.pdf")
    response = login(request.getfixturevalue(persona)).get(f"/people/work/{period.pk}/proof/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert "attachment" in response["Content-Disposition"]


def test_media_is_not_served_at_a_url(applicant, login):
    period = WorkPeriodFactory(user=applicant, proof=SimpleUploadedFile("证明.pdf", PDF_BYTES))
    assert login(applicant).get(f"/media/{period.proof.name}").status_code == 404


# --- eligibility pre-check ------------------------------------------------------------------------------------------


def test_self_precheck_shows_each_rule(applicant, login):
    StaffProfileFactory(user=applicant, birth_date=date(1980, 2, 28))
    body = login(applicant).get("/people/me/eligibility/?on=2026-03-01").content.decode()
    assert "年龄：截至2026-03-01为46周岁，超过《建设方案》三(1)5规定的45周岁。" in body
    for code in ("R4", "R5", "R6", "R7", "R8"):
        assert f">{code}</td>" in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teaching_affairs", 200),
        ("dept_head", 200),
        ("inspector", 200),
        ("outsider", 404),
        ("other_dept_head", 404),
        ("expert", 404),
    ],
)
def test_precheck_for_someone_else(applicant, persona, status, login, request):
    StaffProfileFactory(user=applicant)
    response = login(request.getfixturevalue(persona)).get(f"/people/staff/{applicant.pk}/eligibility/")
    assert response.status_code == status
    if status == 200:
        assert "技能大师资格预审" in response.content.decode()


# --- staff records --------------------------------------------------------------------------------------------------


def test_dept_head_sees_only_their_department(applicant, outsider, dept_head, login):
    StaffProfileFactory(user=applicant)
    StaffProfileFactory(user=outsider)
    body = login(dept_head).get("/people/staff/").content.decode()
    assert applicant.username in body and outsider.username not in body
    assert login(dept_head).get(f"/people/staff/{outsider.pk}/").status_code == 404


def test_plain_staff_cannot_list_staff(applicant, login):
    assert login(applicant).get("/people/staff/").status_code == 403


def test_staff_list_never_shows_plaintext_ids(applicant, hr, login):
    profile, number = _with_id(applicant)
    body = login(hr).get("/people/staff/").content.decode()
    assert profile.id_number_masked in body and number not in body


def _many_staff(n, department):
    from tests.factories import MajorFactory

    major = MajorFactory(department=department)
    for _ in range(n):
        profile = StaffProfileFactory(user=UserFactory(department=department))
        profile.majors.add(major)


@pytest.mark.parametrize("rows", [1, 30])
def test_staff_list_query_count(rows, hr, department, login, django_assert_max_num_queries):
    _many_staff(rows, department)
    client = login(hr)
    with django_assert_max_num_queries(12):
        response = client.get("/people/staff/")
    assert response.content.decode().count("资格预审") >= rows


def test_hr_edits_profile_with_id_number(applicant, hr, login):
    number = make_id_number(date(1985, 6, 15))
    response = login(hr).post(
        f"/people/staff/{applicant.pk}/edit/",
        {"gender": "male", "birth_date": "1985-06-15", "id_number": number, "title": "讲师"},
    )
    assert response.status_code == 302
    from people.models import StaffProfile

    assert StaffProfile.objects.get(user=applicant).reveal_id_number() == number


def test_hr_bad_id_number_refused_on_the_page(applicant, hr, login):
    response = login(hr).post(
        f"/people/staff/{applicant.pk}/edit/", {"birth_date": "1985-06-15", "id_number": "500101198506151230"}
    )
    assert "校验位不正确" in response.content.decode()
    from people.models import StaffProfile

    assert not StaffProfile.objects.exists()


def test_staff_cannot_open_hr_edit(applicant, login):
    assert login(applicant).get(f"/people/staff/{applicant.pk}/edit/").status_code == 403


# --- enterprises ----------------------------------------------------------------------------------------------------


def test_coop_office_registers_enterprise_with_agreement(coop, login):
    response = login(coop).post(
        "/people/enterprises/new/",
        {
            "name": "重庆新企业",
            "credit_code": make_credit_code(77),
            "is_partner": "on",
            "agreement_start": "2025-01-01",
            "agreement_end": "2028-12-31",
            "high_influence": "on",
            "influence_reason": "行业龙头",
            "agreement_file": SimpleUploadedFile("协议.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.agreement_file_name == "协议.pdf"
    assert login(coop).get(f"/people/enterprises/{enterprise.pk}/agreement/").status_code == 200


def test_bad_credit_code_refused_on_the_page(coop, login):
    response = login(coop).post("/people/enterprises/new/", {"name": "重庆新企业", "credit_code": "91500000MA00000770"})
    assert "统一社会信用代码" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_staff_reads_registry_but_cannot_edit(applicant, login):
    enterprise = EnterpriseFactory()
    client = login(applicant)
    assert enterprise.name in client.get("/people/enterprises/").content.decode()
    assert client.get("/people/enterprises/new/").status_code == 403
    assert client.post(f"/people/enterprises/{enterprise.pk}/edit/", {"name": "改"}).status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.name != "改"


@pytest.mark.parametrize("rows", [1, 30])
def test_enterprise_list_query_count(rows, coop, login, django_assert_max_num_queries):
    from tests.factories import MajorFactory

    major = MajorFactory()
    for _ in range(rows):
        EnterpriseFactory().majors.add(major)
    client = login(coop)
    with django_assert_max_num_queries(10):
        response = client.get("/people/enterprises/")
    assert response.content.decode().count("合作企业</span>") == rows


def test_nav_items(applicant, hr, login):
    assert "我的资历" in login(applicant).get("/").content.decode()
    body = login(hr).get("/").content.decode()
    assert "教职工档案" in body
