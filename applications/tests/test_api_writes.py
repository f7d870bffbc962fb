"""The screens' writes through the API only (applications/api_writes.py): a whole application, from creating the call
to disqualification, without a page — each step checked by its rows, its state and its audit event; the multipart
operations with real files; refusals change nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application, Attachment, Call, CommitteeMeeting, Objection, ReviewAssignment, Vote
from core.models import AuditEvent

from .conftest import PDF_BYTES, make_eligible

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _events(action, obj_pk=None):
    rows = AuditEvent.objects.filter(action=action)
    return rows.filter(object_id=str(obj_pk)) if obj_pk is not None else rows


def _call_body(rubric, **extra):
    now = timezone.localtime()
    return {
        "year": now.year,
        "title": "API 批次",
        "opens_at": (now - timezone.timedelta(days=1)).isoformat(),
        "closes_at": (now + timezone.timedelta(days=30)).isoformat(),
        "policy_year": now.year,
        "rubric_id": rubric.pk,
        **extra,
    }


def test_calls_created_opened_and_closed_by_teaching_affairs_only(
    client, rubric, teaching_affairs, applicant, inspector
):
    client.force_login(applicant)
    assert _json(client, "post", f"{API}/calls", _call_body(rubric)).status_code == 403
    client.force_login(inspector)
    assert _json(client, "post", f"{API}/calls", _call_body(rubric)).status_code == 403
    assert not Call.objects.exists()
    client.force_login(teaching_affairs)
    bad = _json(client, "post", f"{API}/calls", _call_body(rubric, closes_at="2000-01-01T00:00:00+08:00"))
    assert bad.status_code == 422 and not Call.objects.exists()
    response = _json(client, "post", f"{API}/calls", _call_body(rubric))
    assert response.status_code == 201, response.content
    call = Call.objects.get(pk=response.json()["id"])
    assert call.status == "planned" and _events("applications.call.created", call.pk).count() == 1
    assert client.post(f"{API}/calls/{call.pk}/open").json()["status"] == "open"
    assert _events("applications.call.opened", call.pk).count() == 1
    assert client.post(f"{API}/calls/{call.pk}/open").status_code == 409
    assert client.post(f"{API}/calls/{call.pk}/close").json()["status"] == "closed"
    assert _events("applications.call.closed", call.pk).count() == 1


def test_an_application_from_draft_to_disqualification_through_the_api_only(
    client, open_call, applicant, major, core_teachers, dept_head, teaching_affairs, experts, committee, outsider
):
    make_eligible(applicant, major)
    client.force_login(applicant)
    response = client.post(f"{API}/calls/{open_call.pk}/applications")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert _events("applications.application.created", pk).count() == 1
    assert client.post(f"{API}/calls/{open_call.pk}/applications").status_code == 409  # one per call

    draft = {
        "version": response.json()["version"],
        "studio_name": "数控车工技能大师工作室",
        "occupation": "数控车工",
        "major_ids": [major.pk],
        "major_justification": "与数控技术应用专业强相关。",
        "mode": "school",
        "venue_school": "实训楼 A201",
        "core_member_ids": [u.pk for u in core_teachers],
        "basic_conditions": "数控车床 12 台。",
        "support_measures": "系部专项经费。",
        "work_plan": "第一年完成团队组建。",
        "main_directions": "数控加工工艺。",
        "attest_political": True,
        "attest_truthful": True,
    }
    bad = _json(client, "put", f"{API}/{pk}/draft", {**draft, "mode": "nonsense"})
    assert bad.status_code == 422 and Application.objects.get(pk=pk).studio_name == ""
    response = _json(client, "put", f"{API}/{pk}/draft", draft)
    assert response.status_code == 200, response.content
    app = Application.objects.get(pk=pk)
    assert app.studio_name == "数控车工技能大师工作室" and app.members.count() == 3
    assert _events("applications.application.draft_saved", pk).count() == 1
    stale = _json(client, "put", f"{API}/{pk}/draft", {**draft, "work_plan": "旧版本"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"

    fake = client.post(
        f"{API}/{pk}/attachments", {"kind": "form_scan", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}
    )
    assert fake.status_code == 422 and not Attachment.objects.exists()
    response = client.post(
        f"{API}/{pk}/attachments",
        {"kind": "form_scan", "file": SimpleUploadedFile("申报表.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == "申报表.pdf"
    assert _events("applications.attachment.uploaded", attachment.pk).count() == 1

    assert _json(client, "post", f"{API}/{pk}/transitions", {"target": "submitted"}).status_code == 200
    client.force_login(dept_head)
    assert (
        _json(
            client,
            "post",
            f"{API}/{pk}/transitions",
            {"target": "recommended", "note": "同意。", "r7_judgement": "pass", "r8_judgement": "pass"},
        ).status_code
        == 200
    )

    client.force_login(teaching_affairs)
    batch = {"application_ids": [pk], "expert_ids": [e.pk for e in experts[:2]]}
    response = _json(client, "post", f"{API}/calls/{open_call.pk}/assignments", batch)
    assert response.status_code == 200, response.content
    assert ReviewAssignment.objects.filter(application_id=pk).count() == 2
    assert _json(client, "post", f"{API}/{pk}/transitions", {"target": "under_review"}).status_code == 200
    for assignment in ReviewAssignment.objects.filter(application_id=pk).select_related("expert"):
        client.force_login(assignment.expert)
        assert client.post(f"{API}/reviews/{assignment.pk}/declare").status_code == 200
        review = {"scores": {"master": 9, "team": 8, "plan": 7}, "comment": "同意。", "recommendation": "recommend"}
        assert _json(client, "post", f"{API}/reviews/{assignment.pk}/submit", review).status_code == 200
    client.force_login(teaching_affairs)
    assert _json(client, "post", f"{API}/{pk}/transitions", {"target": "reviewed"}).status_code == 200

    meeting_body = {
        "title": "学术委员会审议会",
        "held_on": timezone.localdate().isoformat(),
        "member_ids": [m.pk for m in committee],
        "agenda_ids": [pk],
        "quorum": 6,
        "majority": "simple",
    }
    short = _json(client, "post", f"{API}/calls/{open_call.pk}/meetings", meeting_body)
    assert short.status_code == 422 and "法定人数" in short.json()["detail"] and not CommitteeMeeting.objects.exists()
    response = _json(client, "post", f"{API}/calls/{open_call.pk}/meetings", {**meeting_body, "quorum": 5})
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert response.json()["agenda_ids"] == [pk]
    assert _events("applications.meeting.created", meeting_id).count() == 1
    for member in committee:
        client.force_login(member)
        vote = _json(client, "post", f"{API}/meetings/{meeting_id}/votes", {"application_id": pk, "choice": "for"})
        assert vote.status_code == 200
    assert Vote.objects.filter(meeting_id=meeting_id).count() == 5
    client.force_login(committee[0])
    assert _json(client, "post", f"{API}/meetings/{meeting_id}/close", {"minutes": "x"}).status_code == 403
    client.force_login(teaching_affairs)
    response = _json(client, "post", f"{API}/meetings/{meeting_id}/close", {"minutes": "一致通过。"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Application.objects.get(pk=pk).status == S.PROPOSED
    assert _events("applications.meeting.closed", meeting_id).count() == 1

    publish = {"call_id": open_call.pk, "application_ids": [pk], "starts_at": timezone.now().isoformat()}
    response = _json(client, "post", f"{API}/publicity", {**publish, "acknowledge_warning": True})
    assert response.status_code == 200, response.content
    publicity_id = response.json()["id"]

    client.force_login(outsider)
    response = client.post(
        f"{API}/publicity/{publicity_id}/objections/with-evidence",
        {
            "application_id": pk,
            "content": "工作经历证明系伪造。",
            "evidence": SimpleUploadedFile("证据.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    objection = Objection.objects.get()
    assert objection.raised_by_id == outsider.pk and objection.evidence
    assert _events("applications.objection.lodged", objection.pk).count() == 1

    client.force_login(applicant)
    refused = client.post(f"{API}/{pk}/disqualify", {"reason": "自己取消"})
    assert refused.status_code == 403 and Application.objects.get(pk=pk).status == S.IN_PUBLICITY
    client.force_login(teaching_affairs)
    response = client.post(
        f"{API}/{pk}/disqualify",
        {
            "reason": "经核实工作经历证明系伪造。",
            "evidence": SimpleUploadedFile("核查.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200, response.content
    app = Application.objects.get(pk=pk)
    assert app.status == S.DISQUALIFIED and app.disqualify_evidence
    assert AuditEvent.objects.filter(action__endswith="disqualified", object_id=str(pk)).exists()


def test_attachments_only_by_the_applicant_on_an_editable_draft(client, draft, outsider, inspector):
    for user in (outsider, inspector):
        client.force_login(user)
        response = client.post(
            f"{API}/{draft.pk}/attachments",
            {"kind": "form_scan", "file": SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")},
        )
        assert response.status_code in (403, 404)
    assert not Attachment.objects.exists()
