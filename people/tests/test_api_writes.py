"""The people screens' writes through the API (people/api_writes.py): agreement file, external members' enterprise,
roster import — same services as the pages, each audited, refusals change nothing."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.enums import Role
from accounts.models import User
from core.models import AuditEvent
from people.models import Enterprise, ExternalAffiliation
from people.roster import COLUMNS, SHEET
from tests.factories import UserFactory

from .factories import make_credit_code, make_id_number

pytestmark = pytest.mark.django_db
API = "/api/v1/people"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def coop(db):
    return UserFactory(roles=[Role.COOP_OFFICE], department=None)


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(name="重庆机床集团", credit_code=make_credit_code(7), is_partner=True)


def test_agreement_upload(coop, enterprise, applicant, inspector, login):
    for user in (applicant, inspector):
        response = login(user).post(
            f"{API}/enterprises/{enterprise.pk}/agreement", {"file": SimpleUploadedFile("协议.pdf", PDF)}
        )
        assert response.status_code == 403
    enterprise.refresh_from_db()
    assert not enterprise.agreement_file
    client = login(coop)
    fake = client.post(f"{API}/enterprises/{enterprise.pk}/agreement", {"file": SimpleUploadedFile("a.pdf", b"MZ")})
    assert fake.status_code == 422
    response = client.post(
        f"{API}/enterprises/{enterprise.pk}/agreement",
        {"file": SimpleUploadedFile("合作协议.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["has_agreement_file"]
    enterprise.refresh_from_db()
    assert enterprise.agreement_file_name == "合作协议.pdf"
    assert AuditEvent.objects.filter(action="people.enterprise.changed", object_id=str(enterprise.pk)).count() == 1


def test_affiliation_set_and_removed(coop, enterprise, applicant, login):
    outsider = UserFactory(is_external=True, department=None, display_name="企业技师")
    body = json.dumps({"user_id": outsider.pk, "position": "高级技师"})
    refused = login(applicant).post(
        f"{API}/enterprises/{enterprise.pk}/affiliations", data=body, content_type="application/json"
    )
    assert refused.status_code == 403 and not ExternalAffiliation.objects.exists()
    client = login(coop)
    internal = json.dumps({"user_id": applicant.pk})
    bad = client.post(f"{API}/enterprises/{enterprise.pk}/affiliations", data=internal, content_type="application/json")
    assert bad.status_code == 422 and not ExternalAffiliation.objects.exists()
    response = client.post(
        f"{API}/enterprises/{enterprise.pk}/affiliations", data=body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    affiliation = ExternalAffiliation.objects.get()
    assert (affiliation.user_id, affiliation.position) == (outsider.pk, "高级技师")
    assert AuditEvent.objects.filter(action="people.affiliation.saved").count() == 1
    assert login(applicant).delete(f"{API}/affiliations/{affiliation.pk}").status_code == 403
    assert login(coop).delete(f"{API}/affiliations/{affiliation.pk}").status_code == 204
    assert not ExternalAffiliation.objects.exists()
    assert AuditEvent.objects.filter(action="people.affiliation.removed").count() == 1


def _roster(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _, _ in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("名册.xlsx", buffer.getvalue(), content_type=XLSX)


def test_roster_import_by_hr_only_and_all_or_nothing(department, applicant, login):
    hr = UserFactory(roles=[Role.HR], department=None)
    birth = dt.date(1980, 3, 1)
    row = ["S0001", "教师一", "男", birth, make_id_number(birth, "123"), department.name, "", "讲师", "", "", None, ""]
    refused = login(applicant).post(f"{API}/roster", {"file": _roster([row])})
    assert refused.status_code == 403 and not User.objects.filter(username="S0001").exists()
    client = login(hr)
    broken = client.post(f"{API}/roster", {"file": _roster([row, ["S0002", "", "男"]])})
    assert broken.status_code == 422 and broken.json()["errors"]
    assert not User.objects.filter(username__in=["S0001", "S0002"]).exists()
    response = client.post(f"{API}/roster", {"file": _roster([row])})
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1 and User.objects.filter(username="S0001").exists()
    assert AuditEvent.objects.filter(action__startswith="people.roster").exists()
