"""The oversight API (notes, attendance, audit check), the audit page's new filters and its export, the 校验审计链
button, the console's links opening read-only for the inspector, and the demo."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from applications.models import CommitteeMeeting
from applications.tests import conftest as application_fixtures
from core.models import AuditEvent
from oversight.models import Attendance, SupervisionNote
from oversight.registry import console_sections
from tests.factories import UserFactory

from .helpers import make_application

pytestmark = pytest.mark.django_db
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call


def _json(client, method, url, body=None):
    return getattr(client, method)(url, data=body or {}, content_type="application/json")


def test_api_note_flow(login, inspector, teaching_affairs, open_call, applicant):
    app = make_application(open_call, applicant)
    client = login(inspector)
    body = {"object_type": "applications.application", "object_id": app.pk, "office": "teaching_affairs",
            "subject": "接口意见", "text": "请答复"}  # fmt: skip
    response = _json(client, "post", "/api/v1/oversight/notes/", body)
    assert response.status_code == 201, response.content
    note_id = response.json()["id"]
    assert response.json()["entries"][0]["kind"] == "note"
    missing = _json(client, "post", "/api/v1/oversight/notes/", {**body, "object_id": app.pk + 1000})
    assert missing.status_code == 404 and SupervisionNote.objects.count() == 1
    assert _json(client, "post", f"/api/v1/oversight/notes/{note_id}/answer", {"text": "我来答"}).status_code == 403

    client = login(teaching_affairs)
    assert [n["id"] for n in client.get("/api/v1/oversight/notes/").json()["items"]] == [note_id]
    response = _json(client, "post", f"/api/v1/oversight/notes/{note_id}/answer", {"text": "已答复"})
    assert response.status_code == 200 and response.json()["status"] == "answered"
    assert _json(client, "post", f"/api/v1/oversight/notes/{note_id}/close", {"text": ""}).status_code == 403

    client = login(inspector)
    response = _json(client, "post", f"/api/v1/oversight/notes/{note_id}/close", {"text": ""})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    response = _json(client, "post", f"/api/v1/oversight/notes/{note_id}/reopen", {"text": ""})
    assert response.status_code in (409, 422) and SupervisionNote.objects.get().status == "closed"
    response = _json(client, "post", f"/api/v1/oversight/notes/{note_id}/reopen", {"text": "再议"})
    assert response.json()["status"] == "open"


def test_attendance_page_and_api(login, inspector, teaching_affairs, leadership, open_call):
    meeting = CommitteeMeeting.objects.create(call=open_call, title="审议会", held_on=open_call.opens_at.date(),
                                              created_by=teaching_affairs)  # fmt: skip
    client = login(inspector)
    response = client.post(reverse("oversight:attendance"), {"kind": "applications.committeemeeting",
                                                             "meeting": meeting.pk, "remark": "全程列席"})  # fmt: skip
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert row.person_id == inspector.pk and row.object_id == meeting.pk and row.meeting_date == meeting.held_on
    assert AuditEvent.objects.filter(action="oversight.attendance.recorded").count() == 1
    again = _json(client, "post", "/api/v1/oversight/attendance/",
                  {"meeting_type": "applications.committeemeeting", "meeting_id": meeting.pk})  # fmt: skip
    assert again.status_code == 422 and Attendance.objects.count() == 1
    assert "审议会" in client.get(reverse("oversight:console")).content.decode()
    client = login(leadership)
    response = client.post(reverse("oversight:attendance"), {"kind": "applications.committeemeeting",
                                                             "meeting": meeting.pk})  # fmt: skip
    assert response.status_code == 403 and Attendance.objects.count() == 1


def test_audit_filters_export_and_verify(login, inspector, applicant, admin_user, open_call):
    app = make_application(open_call, applicant)
    from oversight import services

    note = services.create_note(by=inspector, type_key="applications.application", object_id=app.pk,
                                office="teaching_affairs", subject="审计筛选", text="内容")  # fmt: skip
    client = login(inspector)
    page = client.get(reverse("workspace:audit_list"), {"action_code": "监督意见：提出"})
    rows = [e.action for e in page.context["page"]]
    assert rows == ["oversight.note.created"]
    page = client.get(reverse("workspace:audit_list"),
                      {"object_type": "监督意见", "object_id": str(note.pk)})  # fmt: skip
    assert [e.object_id for e in page.context["page"]] == [str(note.pk)]
    assert "监督意见：提出" in page.content.decode()
    export = client.get(reverse("workspace:audit_list_export"), {"action_code": "监督意见：提出"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    data = rows[[r[0] for r in rows].index("#") + 1 :]  # the rows under the header
    assert len(data) == 1 and "监督意见：提出" in data[0]

    before = AuditEvent.objects.count()
    response = client.post(reverse("workspace:audit_verify"), follow=True)
    assert "审计日志完好" in response.content.decode()
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1 and event.action == "core.audit.verified"
    assert event.after["ok"] is True
    response = _json(login(admin_user), "post", "/api/v1/oversight/audit/verify")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert login(applicant).post(reverse("workspace:audit_verify")).status_code == 403


def test_audit_verify_names_the_first_broken_row(login, inspector, settings):
    from core import audit

    settings.AUDIT_HMAC_KEY = "another-key-than-the-one-that-signed"
    UserFactory(roles=[Role.STAFF])
    audit.log_action(actor=inspector, action="oversight.note.created", object_type="x", object_id="1")
    settings.AUDIT_HMAC_KEY = "yet-another-key"
    ok, message, broken = audit.audit_report()
    assert not ok and broken is not None and f"第 {broken} 号记录" in message


def test_console_links_open_for_the_inspector(login, inspector, leadership):
    for user in (inspector, leadership):
        client = login(user)
        for section in console_sections():
            response = client.get(section.url())
            assert response.status_code == 200, (user, section.key, section.url(), response.status_code)


def test_demo(open_call, applicant, department, teaching_affairs):
    from ledger.tests.helpers import make_studio
    from oversight.demo import seed_demo

    UserFactory(username="K0001", department=None, roles=[Role.INSPECTOR])
    officer = UserFactory(username="J0001", department=None, roles=[Role.TEACHING_AFFAIRS])
    make_application(open_call, applicant)
    make_studio(department)
    meeting = CommitteeMeeting.objects.create(call=open_call, title="演示审议会", held_on=open_call.opens_at.date(),
                                              created_by=officer)  # fmt: skip
    for _ in range(2):  # idempotent
        seed_demo("pw")
    notes = SupervisionNote.objects.filter(created_by__username="K0001")
    assert sorted(notes.values_list("status", flat=True)) == ["answered", "open"]
    assert set(notes.values_list("office", flat=True)) == {"teaching_affairs"}
    assert list(Attendance.objects.values_list("object_id", flat=True)) == [meeting.pk]
