"""The API operations for the ledger pages' other writes: 批量确认, 教学工作部抽查, 带徒进展, 项目阶段 — through the
same services as the pages, with the same refusals (wrong role, another department, revoked studio) and audit."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEvent, StatusChange
from ledger.models import Activity, Mentorship, MentorshipNote, Project, ProjectStageRecord
from studios.models import Studio

from .helpers import make_studio

pytestmark = pytest.mark.django_db
BATCH = "/api/v1/ledger/batch-confirm"


def _record(model, studio, master, status="submitted", days=2, **fields):
    defaults = {"title": f"接口{model.__name__}{days}", "kind": "exchange"}
    if model is Mentorship:
        defaults = {"title": "接口带徒", "mentor": master, "apprentice_type": "student", "apprentice_name": "小李"}
    elif model is Project:
        defaults = {"title": "接口项目", "kind": "internal"}
    return model.objects.create(
        studio=studio,
        date=timezone.localdate() - dt.timedelta(days=days),
        status=status,
        created_by=master,
        **{**defaults, **fields},
    )


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _items(*pairs):
    return {"items": [{"kind": kind, "id": pk} for kind, pk in pairs]}


# --- 批量确认 ----------------------------------------------------------------------------------------------------------


def test_batch_confirm_confirms_what_it_may_and_names_each_refusal(
    client, login, department, other_department, dept_head
):
    studio, master, _ = make_studio(department)
    other_studio, other_master, _ = make_studio(other_department, name="他系技能大师工作室")
    first = _record(Activity, studio, master, days=2)
    second = _record(Activity, studio, master, days=3)
    project = _record(Project, studio, master, days=4)
    draft = _record(Activity, studio, master, status="draft", days=5)
    foreign = _record(Activity, other_studio, other_master, days=2)
    login(dept_head)
    response = _post(
        client,
        BATCH,
        _items(
            ("activities", first.pk),
            ("activities", second.pk),
            ("projects", project.pk),
            ("activities", draft.pk),
            ("activities", foreign.pk),
            ("activities", 987654),
        ),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted((c["kind"], c["id"]) for c in body["confirmed"]) == sorted(
        [("activities", first.pk), ("activities", second.pk), ("projects", project.pk)]
    )
    refused = {(r["kind"], r["id"]): r["reason"] for r in body["refused"]}
    assert set(refused) == {("activities", draft.pk), ("activities", foreign.pk), ("activities", 987654)}
    assert all(refused.values())
    assert refused[("activities", foreign.pk)] == "记录不存在或您无权查看。"
    assert set(Activity.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"confirmed"}
    assert Project.objects.get(pk=project.pk).status == "confirmed"
    assert Activity.objects.get(pk=draft.pk).status == "draft"
    assert Activity.objects.get(pk=foreign.pk).status == "submitted"
    assert AuditEvent.objects.filter(action="ledger.activity.confirmed").count() == 2
    assert AuditEvent.objects.filter(action="ledger.project.confirmed").count() == 1
    assert Activity.objects.get(pk=first.pk).reviewed_by_id == dept_head.pk


def test_batch_confirm_refuses_other_department_revoked_studio_and_wrong_roles(
    client, login, department, other_department, other_dept_head, dept_head, inspector, teaching_affairs
):
    studio, master, _ = make_studio(department)
    record = _record(Activity, studio, master)
    body = _items(("activities", record.pk))
    # the other department's head does not see the record: refused as not found, nothing written
    login(other_dept_head)
    response = _post(client, BATCH, body)
    assert response.status_code == 200 and response.json()["confirmed"] == []
    assert [r["id"] for r in response.json()["refused"]] == [record.pk]
    client.logout()
    # teaching affairs sees it but is not the department's reviewer: refused by the workflow, per item
    login(teaching_affairs)
    response = _post(client, BATCH, body)
    assert response.status_code == 200 and response.json()["confirmed"] == []
    assert response.json()["refused"][0]["reason"]
    client.logout()
    # a read-only role is refused the whole request
    login(inspector)
    assert _post(client, BATCH, body).status_code == 403
    client.logout()
    # a revoked studio is read-only: the department's head is refused with the studio's message
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    login(dept_head)
    response = _post(client, BATCH, body)
    assert response.status_code == 200 and response.json()["confirmed"] == []
    assert "已撤销" in response.json()["refused"][0]["reason"]
    assert Activity.objects.get(pk=record.pk).status == "submitted"
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ledger.").exists()


def test_batch_confirm_bounds_its_list(client, login, dept_head):
    login(dept_head)
    assert _post(client, BATCH, {"items": []}).status_code == 422
    too_many = {"items": [{"kind": "activities", "id": i} for i in range(1, 502)]}
    assert _post(client, BATCH, too_many).status_code == 422
    assert _post(client, BATCH, _items(("nonsense", 1))).status_code == 422
    assert _post(client, BATCH, _items(("activities", 2**70))).status_code == 422


def test_batch_confirm_twice_confirms_once(client, login, department, dept_head):
    studio, master, _ = make_studio(department)
    record = _record(Activity, studio, master)
    login(dept_head)
    body = _items(("activities", record.pk), ("activities", record.pk))
    first = _post(client, BATCH, body).json()
    again = _post(client, BATCH, body).json()
    assert [c["id"] for c in first["confirmed"]] == [record.pk] and first["refused"] == []
    assert again["confirmed"] == [] and [r["id"] for r in again["refused"]] == [record.pk]
    assert StatusChange.objects.filter(object_id=str(record.pk), to_state="confirmed").count() == 1


# --- 抽查 --------------------------------------------------------------------------------------------------------------


def test_spot_check_by_teaching_affairs_only_on_confirmed_records(
    client, login, department, dept_head, teaching_affairs, inspector
):
    studio, master, _ = make_studio(department)
    confirmed = _record(Activity, studio, master, status="confirmed")
    submitted = _record(Activity, studio, master, days=3)
    url = f"/api/v1/ledger/activities/{confirmed.pk}/spot-check"
    for user in (master, dept_head, inspector):
        login(user)
        assert _post(client, url, {"note": "越权抽查"}).status_code == 403
        client.logout()
    login(teaching_affairs)
    assert _post(client, url, {"note": ""}).status_code == 422
    assert _post(client, url, {"note": "x" * 1001}).status_code == 422
    pending = f"/api/v1/ledger/activities/{submitted.pk}/spot-check"
    assert _post(client, pending, {"note": "未确认"}).status_code == 403
    response = _post(client, url, {"note": "抽查：签到表与照片一致。"})
    assert response.status_code == 200, response.content
    assert response.json()["spot_check_note"] == "抽查：签到表与照片一致。"
    assert response.json()["status"] == "confirmed"
    row = Activity.objects.get(pk=confirmed.pk)
    assert row.spot_checked_by_id == teaching_affairs.pk and row.spot_check_note == "抽查：签到表与照片一致。"
    events = AuditEvent.objects.filter(action="ledger.activity.spot_checked")
    assert [(e.actor_id, e.object_id) for e in events] == [(teaching_affairs.pk, str(confirmed.pk))]
    assert Activity.objects.get(pk=submitted.pk).spot_check_note == ""


def test_spot_check_refused_on_a_revoked_studio(client, login, department, teaching_affairs):
    studio, master, _ = make_studio(department)
    confirmed = _record(Activity, studio, master, status="confirmed")
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    login(teaching_affairs)
    response = _post(client, f"/api/v1/ledger/activities/{confirmed.pk}/spot-check", {"note": "抽查"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=confirmed.pk).spot_check_note == ""
    assert not AuditEvent.objects.filter(action__startswith="ledger.").exists()


# --- 带徒进展 ----------------------------------------------------------------------------------------------------------


def test_progress_note_by_a_member_with_audit(client, login, department, other_department, dept_head):
    studio, master, team = make_studio(department)
    mentorship = _record(Mentorship, studio, master, days=30)
    url = f"/api/v1/ledger/mentorships/{mentorship.pk}/notes"
    today = timezone.localdate()
    body = {"date": (today - dt.timedelta(days=1)).isoformat(), "note": "完成数控车削中级工训练。"}
    login(dept_head)  # sees the record, is no member
    assert _post(client, url, body).status_code == 403
    client.logout()
    outsider_studio, outsider_master, _ = make_studio(other_department, name="他系技能大师工作室")
    login(outsider_master)  # does not see it
    assert _post(client, url, body).status_code == 404
    client.logout()
    login(team[0])
    assert _post(client, url, {**body, "date": (today + dt.timedelta(days=1)).isoformat()}).status_code == 422
    assert _post(client, url, {**body, "note": ""}).status_code == 422
    response = _post(client, url, body)
    assert response.status_code == 201, response.content
    note = MentorshipNote.objects.get()
    assert response.json() == {
        "id": note.pk,
        "mentorship_id": mentorship.pk,
        "date": body["date"],
        "note": body["note"],
        "by_id": team[0].pk,
    }
    event = AuditEvent.objects.get(action="ledger.mentorship.note_added")
    assert event.actor_id == team[0].pk and event.object_id == str(mentorship.pk)
    # the URL names mentorships: another record type's id is not a mentorship
    activity = _record(Activity, studio, master)
    assert _post(client, f"/api/v1/ledger/mentorships/{activity.pk + 1000}/notes", body).status_code == 404
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    assert _post(client, url, body).status_code == 403
    assert MentorshipNote.objects.count() == 1


# --- 项目阶段 ----------------------------------------------------------------------------------------------------------


def test_project_stages_in_order_closing_needs_its_evaluation(client, login, department, dept_head, inspector):
    studio, master, _ = make_studio(department)
    project = _record(Project, studio, master, days=40)
    url = f"/api/v1/ledger/projects/{project.pk}/stages"
    day = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    for user in (dept_head, inspector):
        login(user)
        assert _post(client, url, {"stage": "approval", "date": day}).status_code == 403
        client.logout()
    login(master)
    skipped = _post(client, url, {"stage": "development", "date": day})
    assert skipped.status_code == 422 and "依次" in skipped.json()["detail"]
    assert _post(client, url, {"stage": "bogus", "date": day}).status_code == 422
    first = _post(client, url, {"stage": "approval", "date": day, "note": "立项评审通过"})
    assert first.status_code == 201, first.content
    assert first.json()["stage"] == "approval" and first.json()["project_id"] == project.pk
    assert _post(client, url, {"stage": "approval", "date": day}).status_code == 422
    for stage in ("development", "teaching", "promotion"):
        assert _post(client, url, {"stage": stage, "date": day}).status_code == 201
    assert _post(client, url, {"stage": "closing", "date": day}).status_code == 422
    closing = _post(client, url, {"stage": "closing", "date": day, "note": "结题评价：达到预期。"})
    assert closing.status_code == 201
    assert Project.objects.get(pk=project.pk).closing_evaluation == "结题评价：达到预期。"
    assert list(ProjectStageRecord.objects.filter(project=project).values_list("stage", flat=True)) == [
        "approval",
        "development",
        "teaching",
        "promotion",
        "closing",
    ]
    assert AuditEvent.objects.filter(action="ledger.project.stage_recorded").count() == 5


def test_project_stage_refused_on_a_revoked_studio(client, login, department):
    studio, master, _ = make_studio(department)
    project = _record(Project, studio, master, days=40)
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    login(master)
    day = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    response = _post(client, f"/api/v1/ledger/projects/{project.pk}/stages", {"stage": "approval", "date": day})
    assert response.status_code == 403
    assert not ProjectStageRecord.objects.exists()
