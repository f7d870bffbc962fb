import pytest
from django.utils import timezone

from ledger.enums import RecordStatus
from ledger.models import Activity, Attachment
from studios.models import Studio

from .helpers import jpeg_with_gps, make_studio

pytestmark = pytest.mark.django_db


def _body(studio, **extra):
    return {
        "studio_id": studio.pk,
        "date": timezone.localdate().isoformat(),
        "title": "接口记录",
        "place": "school",
        "kind": "exchange",
        "hours": "3.5",
        "participants": 12,
        **extra,
    }


def test_api_create_upload_submit_confirm(client, login, department, dept_head):
    studio, master, team = make_studio(department)
    login(master)
    created = client.post(
        "/api/v1/ledger/activities/", _body(studio, member_ids=[team[0].pk]), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["details"]["hours"] == "3.5" and created.json()["member_ids"] == [team[0].pk]
    upload = client.post(
        f"/api/v1/ledger/activities/{pk}/attachments", {"attachment_kind": "photo", "file": jpeg_with_gps()}
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["thumbnail_url"]
    patched = client.patch(f"/api/v1/ledger/activities/{pk}", {"participants": 20}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["details"]["participants"] == 20
    assert client.post(f"/api/v1/ledger/activities/{pk}/submit").status_code == 200
    client.logout()
    login(dept_head)
    empty = client.post(f"/api/v1/ledger/activities/{pk}/return", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
    confirmed = client.post(f"/api/v1/ledger/activities/{pk}/confirm")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["has_evidence"] is True
    listing = client.get("/api/v1/ledger/activities/?status=confirmed")
    assert [r["id"] for r in listing.json()["items"]] == [pk]


def test_api_refuses_bad_input_and_revoked_studio(client, login, department):
    studio, master, team = make_studio(department)
    login(master)
    bad = client.post("/api/v1/ledger/activities/", _body(studio, kind="nonsense"), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"]
    neg = client.post("/api/v1/ledger/activities/", _body(studio, hours="-1"), content_type="application/json")
    assert neg.status_code == 422
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    refused = client.post("/api/v1/ledger/activities/", _body(studio), content_type="application/json")
    assert refused.status_code == 403
    assert not Activity.objects.exists() and not Attachment.objects.exists()
    assert RecordStatus.DRAFT
