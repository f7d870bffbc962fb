"""The API goes through the same services: same refusals (409 with the Chinese message), nothing changed."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import ReviewAssignment

from .conftest import reload

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


def test_list_and_detail_respect_visibility(complete_draft, applicant, outsider, login):
    client = login(applicant)
    body = client.get(f"{API}/").json()
    assert [item["id"] for item in body["items"]] == [complete_draft.pk]
    assert client.get(f"{API}/{complete_draft.pk}/precheck").status_code == 200
    client = login(outsider)
    assert client.get(f"{API}/").json()["items"] == []
    assert client.get(f"{API}/{complete_draft.pk}").status_code == 404


def test_transitions_and_reviews(
    complete_draft, applicant, other_dept_head, dept_head, teaching_affairs, experts, outsider, login
):
    app = complete_draft
    client = login(applicant)
    response = client.post(
        f"{API}/{app.pk}/transitions", {"target": "submitted", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # a dept head of another department does not even see it
    client = login(other_dept_head)
    response = client.post(
        f"{API}/{app.pk}/transitions", {"target": "recommended", "note": "同意"}, content_type="application/json"
    )
    assert response.status_code == 404 and reload(app).status == S.SUBMITTED
    client = login(dept_head)
    response = client.post(
        f"{API}/{app.pk}/transitions", {"target": "recommended", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 422 and reload(app).status == S.SUBMITTED
    client.post(
        f"{API}/{app.pk}/transitions", {"target": "recommended", "note": "同意"}, content_type="application/json"
    )
    # a second recommendation is an illegal move: 409
    response = client.post(
        f"{API}/{app.pk}/transitions", {"target": "recommended", "note": "同意"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "illegal"

    client = login(teaching_affairs)
    response = client.post(
        f"{API}/{app.pk}/assignments", {"expert_ids": [experts[0].pk]}, content_type="application/json"
    )
    assert response.status_code == 200
    client.post(f"{API}/{app.pk}/transitions", {"target": "under_review"}, content_type="application/json")
    assignment = ReviewAssignment.objects.get(application=app)
    client = login(experts[0])
    assert client.post(f"{API}/reviews/{assignment.pk}/declare").status_code == 200
    response = client.post(
        f"{API}/reviews/{assignment.pk}/submit",
        {"scores": {"master": 9, "team": 9, "plan": 20}, "comment": "好", "recommendation": "recommend"},
        content_type="application/json",
    )
    assert response.status_code == 422  # 20 is outside 0–10
    response = client.post(
        f"{API}/reviews/{assignment.pk}/submit",
        {"scores": {"master": 9, "team": 9, "plan": 9}, "comment": "好", "recommendation": "recommend"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["total"] == "90.00"

    client = login(teaching_affairs)
    client.post(f"{API}/{app.pk}/transitions", {"target": "reviewed"}, content_type="application/json")
    assert reload(app).status == S.REVIEWED


def test_objection_and_approval_via_api(complete_draft, walk, outsider, teaching_affairs, login, clock):
    app = walk(complete_draft, "in_publicity")
    client = login(outsider)
    response = client.post(
        f"{API}/publicity/{app.publicity_id}/objections",
        {"application_id": app.pk, "content": "材料不实"},
        content_type="application/json",
    )
    assert response.status_code == 200
    objection_id = response.json()["id"]
    client = login(teaching_affairs)
    response = client.post(
        f"{API}/{app.pk}/approve",
        {"document_number": "X", "approved_on": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 409 and reload(app).status == S.IN_PUBLICITY
    clock.set(app.publicity.ends_at + timezone.timedelta(minutes=1))
    client = login(outsider)
    response = client.post(
        f"{API}/publicity/{app.publicity_id}/objections",
        {"application_id": app.pk, "content": "迟到"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "window"
    client = login(teaching_affairs)
    response = client.post(
        f"{API}/objections/{objection_id}/resolve",
        {"upheld": False, "findings": "不成立"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    response = client.post(
        f"{API}/{app.pk}/approve",
        {"document_number": "渝工校〔2026〕5号", "approved_on": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["plaque_name"] == "重庆市工业学校（申报人甲）技能大师工作室"
