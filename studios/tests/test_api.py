import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from core.models import AuditEvent
from people.tests.factories import PDF_BYTES
from studios.models import Membership, ResponsibilityLetter, Studio, StudioException
from studios.registration import COLUMNS
from studios.services import generate_letter, revoke_studio, save_letter_template
from studios.tests.factories import make_studio
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/studios"


@pytest.fixture
def studio(teaching_affairs, applicant, department):
    return make_studio(teaching_affairs, master=applicant, department=department, cores=3)


def _core_ids(studio):
    return list(
        Membership.objects.filter(studio=studio, role="core", left_on__isnull=True).values_list("pk", flat=True)
    )


def test_list_and_detail(login, studio, inspector, outsider):
    body = login(inspector).get(f"{BASE}/").json()
    assert [s["id"] for s in body["items"]] == [studio.pk]
    detail = login(inspector).get(f"{BASE}/{studio.pk}").json()
    assert detail["source"] == "registered" and len(detail["members"]) == 4


def test_member_add_and_leave_with_the_rule(login, studio, applicant, department, teaching_affairs):
    client = login(applicant)
    newcomer = UserFactory(department=department)
    response = client.post(
        f"{BASE}/{studio.pk}/members", {"user_id": newcomer.pk, "role": "core"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["left_on"] is None
    first, second = _core_ids(studio)[:2]
    assert (
        client.post(
            f"{BASE}/{studio.pk}/members/{first}/leave", {"reason": "调离"}, content_type="application/json"
        ).status_code
        == 200
    )
    refused = client.post(
        f"{BASE}/{studio.pk}/members/{second}/leave", {"reason": "调离"}, content_type="application/json"
    )
    assert refused.status_code == 422 and "少于规定的3人" in refused.json()["detail"]
    assert Membership.objects.get(pk=second).left_on is None
    # with an exception recorded by teaching affairs it goes through
    office = login(teaching_affairs)
    deadline = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    assert (
        office.post(
            f"{BASE}/{studio.pk}/exceptions",
            {"reason": "补充中", "deadline": deadline},
            content_type="application/json",
        ).status_code
        == 201
    )
    client = login(applicant)
    assert (
        client.post(
            f"{BASE}/{studio.pk}/members/{second}/leave", {"reason": "调离"}, content_type="application/json"
        ).status_code
        == 200
    )
    members = client.get(f"{BASE}/{studio.pk}/members").json()
    assert sum(1 for m in members if m["left_on"]) == 2


def test_revoked_studio_refuses_writes_through_the_api(login, studio, teaching_affairs, department):
    revoke_studio(studio, by=teaching_affairs, reason="考核不合格")
    client = login(teaching_affairs)
    response = client.post(
        f"{BASE}/{studio.pk}/members",
        {"user_id": UserFactory(department=department).pk, "role": "member"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.post(f"{BASE}/{studio.pk}/letters").status_code == 403
    assert client.get(f"{BASE}/{studio.pk}").status_code == 200
    assert Membership.objects.filter(studio=studio).count() == 4
    assert not ResponsibilityLetter.objects.exists() and not StudioException.objects.exists()


def test_letter_generate_and_sign(login, studio, teaching_affairs, applicant):
    save_letter_template(by=teaching_affairs, school_duties="甲", studio_duties="乙", term_years=2)
    letter = login(teaching_affairs).post(f"{BASE}/{studio.pk}/letters").json()
    scan = SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")
    response = login(applicant).post(
        f"{BASE}/{studio.pk}/letters/{letter['id']}/sign", {"signed_on": timezone.localdate().isoformat(), "file": scan}
    )
    assert response.status_code == 200 and response.json()["signed_on"] == timezone.localdate().isoformat()
    again = login(applicant).post(
        f"{BASE}/{studio.pk}/letters/{letter['id']}/sign",
        {"signed_on": timezone.localdate().isoformat(), "file": SimpleUploadedFile("s.pdf", PDF_BYTES)},
    )
    assert again.status_code == 422


def test_register_single_and_import(login, teaching_affairs, applicant, department):
    cores = [UserFactory(username=f"Q{i}", department=department) for i in range(3)]
    client = login(teaching_affairs)
    payload = {
        "official_name": "模具技能大师工作室",
        "document_number": "渝工校〔2017〕3号",
        "approved_on": "2017-05-01",
        "master_id": applicant.pk,
        "department_id": department.pk,
        "mode": "school",
        "core_member_ids": [c.pk for c in cores],
    }
    response = client.post(f"{BASE}/register", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["source"] == "registered"
    assert client.post(f"{BASE}/register", payload, content_type="application/json").status_code == 422
    assert login(applicant).post(f"{BASE}/register", payload, content_type="application/json").status_code == 403
    wb = Workbook()
    ws = wb.active
    ws.title = "历史工作室"
    ws.append([h for h, _, _ in COLUMNS])
    ws.append(
        ["铣工技能大师工作室", "1号", "2016-01-01", "Q0", department.name, "学校单独创办", "", "", "", "Q1、Q2", ""]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    client = login(teaching_affairs)
    response = client.post(f"{BASE}/register/import", {"file": SimpleUploadedFile("s.xlsx", buffer.getvalue())})
    assert response.status_code == 422 and response.json()["errors"][0].startswith("第2行：")
    assert Studio.objects.count() == 1
    assert AuditEvent.objects.filter(action="studios.studio.registered").count() == 1


def test_letters_generated_for_a_studio_are_listed(login, studio, teaching_affairs, inspector):
    save_letter_template(by=teaching_affairs, school_duties="甲", studio_duties="乙", term_years=3)
    generate_letter(studio, by=teaching_affairs)
    assert len(login(inspector).get(f"{BASE}/{studio.pk}/letters").json()) == 1


def test_letter_template_saved_as_a_new_version(login, teaching_affairs, applicant):
    from studios.models import ResponsibilityLetterTemplate

    before = ResponsibilityLetterTemplate.objects.count()
    body = {"school_duties": "学校职责", "studio_duties": "工作室职责", "term_years": 4}
    assert login(applicant).post(f"{BASE}/letter-template", body, content_type="application/json").status_code == 403
    response = login(teaching_affairs).post(f"{BASE}/letter-template", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["term_years"] == 4
    assert ResponsibilityLetterTemplate.objects.count() == before + 1
    bad = login(teaching_affairs).post(
        f"{BASE}/letter-template", {**body, "term_years": 11}, content_type="application/json"
    )
    assert bad.status_code == 422 and ResponsibilityLetterTemplate.objects.count() == before + 1
