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
        f"{API}/{app.pk}/transitions",
        {"target": "recommended", "note": "同意", "r7_judgement": "pass", "r8_judgement": "pass"},
        content_type="application/json",
    )
    assert response.status_code == 404 and reload(app).status == S.SUBMITTED
    client = login(dept_head)
    response = client.post(
        f"{API}/{app.pk}/transitions", {"target": "recommended", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 422 and reload(app).status == S.SUBMITTED
    client.post(
        f"{API}/{app.pk}/transitions",
        {"target": "recommended", "note": "同意", "r7_judgement": "pass", "r8_judgement": "pass"},
        content_type="application/json",
    )
    # a second recommendation is an illegal move: 409
    response = client.post(
        f"{API}/{app.pk}/transitions",
        {"target": "recommended", "note": "同意", "r7_judgement": "pass", "r8_judgement": "pass"},
        content_type="application/json",
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
    response = client.post(f"{API}/objections/{objection_id}/investigate")
    assert response.status_code == 200 and response.json()["status"] == "investigating"
    response = client.post(
        f"{API}/objections/{objection_id}/resolve",
        {"upheld": False, "findings": "不成立"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    response = client.post(
        f"{API}/{app.pk}/approve",
        {"document_number": "渝工校〔2026〕5号", "approved_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["plaque_name"] == "重庆市工业学校（申报人甲）技能大师工作室"


def test_votes_via_api(complete_draft, walk, committee, teaching_affairs, outsider, login):
    from django.utils import timezone as tz

    from applications import services
    from applications.models import Call, Vote

    app = walk(complete_draft, "reviewed")
    meeting = services.create_meeting(
        by=teaching_affairs,
        call=Call.objects.get(pk=app.call_id),
        title="会",
        held_on=tz.localdate(),
        members_present=committee,
        agenda=[app],
        quorum=5,
    )
    client = login(outsider)
    response = client.post(
        f"{API}/meetings/{meeting.pk}/votes",
        {"application_id": app.pk, "choice": "for"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404) and not Vote.objects.exists()
    client = login(committee[0])
    response = client.post(
        f"{API}/meetings/{meeting.pk}/votes",
        {"application_id": app.pk, "choice": "maybe"},
        content_type="application/json",
    )
    assert response.status_code == 422 and not Vote.objects.exists()
    response = client.post(
        f"{API}/meetings/{meeting.pk}/votes",
        {"application_id": app.pk, "choice": "for"},
        content_type="application/json",
    )
    assert response.status_code == 200 and Vote.objects.get().member_id == committee[0].pk


@pytest.mark.parametrize("rows", [1, 30])
def test_api_list_query_count(rows, open_call, teaching_affairs, login, django_assert_max_num_queries):
    from applications.models import Application
    from tests.factories import UserFactory

    for i in range(rows):
        user = UserFactory(username=f"A{i:04d}", display_name=f"教师{i}")
        Application.objects.create(call=open_call, applicant=user, department_id=user.department_id)
    client = login(teaching_affairs)
    with django_assert_max_num_queries(8):
        body = client.get(f"{API}/?limit=50").json()
    assert body["count"] == rows
