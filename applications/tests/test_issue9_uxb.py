"""Issue 9 items 5–9: publicity start and announcement, member picker rules, draft attachments, score drafts,
objection investigation and the approval summary. Server-side rules, each checked by rows, files and refusals."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationStatus as S
from applications.enums import AssignmentStatus, ObjectionStatus
from applications.models import Application, Attachment, Call, Objection, Publicity, ReviewAssignment
from core.models import AuditEvent, Notification, StatusChange
from core.workflow import ConcurrentTransitionError, WorkflowError
from tests.factories import UserFactory

from .conftest import PDF_BYTES, pdf_upload, reload

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- item 5: publicity -------------------------------------------------------------------------------------------------


def test_a_backdated_start_needs_a_reason_and_is_flagged_for_the_inspector(
    complete_draft, walk, teaching_affairs, inspector, login, django_capture_on_commit_callbacks
):
    app = walk(complete_draft, "proposed")
    call = Call.objects.get(pk=app.call_id)
    earlier = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        services.publish_publicity(
            by=teaching_affairs, call=call, applications=[app], starts_at=earlier, acknowledge_warning=True
        )
    assert "补登原因" in refused.value.messages[0]
    assert not Publicity.objects.exists() and reload(app).status == S.PROPOSED

    with django_capture_on_commit_callbacks(execute=True):
        publicity = services.publish_publicity(
            by=teaching_affairs,
            call=call,
            applications=[app],
            starts_at=earlier,
            acknowledge_warning=True,
            backdate_reason="已于前日在校内公告栏张贴公示。",
        )
    assert publicity.backdated and publicity.backdate_reason == "已于前日在校内公告栏张贴公示。"
    assert Notification.objects.filter(recipient=inspector, title__contains="补登").count() == 1
    event = AuditEvent.objects.get(action="applications.publicity.published")
    assert event.after["backdated"] is True
    page = login(inspector).get(reverse("applications:publicity_detail", args=[publicity.pk])).content.decode()
    assert 'data-testid="backdated"' in page and "已于前日在校内公告栏张贴公示" in page


def test_a_start_of_now_is_not_backdated(complete_draft, walk, teaching_affairs):
    app = walk(complete_draft, "proposed")
    publicity = services.publish_publicity(
        by=teaching_affairs,
        call=Call.objects.get(pk=app.call_id),
        applications=[app],
        starts_at=timezone.now() - dt.timedelta(minutes=3),
        acknowledge_warning=True,
    )
    assert not publicity.backdated and publicity.backdate_reason == ""


def test_backdated_page_post_without_reason_is_refused_in_chinese(complete_draft, walk, teaching_affairs, login):
    app = walk(complete_draft, "proposed")
    client = login(teaching_affairs)
    start = timezone.localtime() - dt.timedelta(days=1)
    response = client.post(
        reverse("applications:publicity_create", args=[app.call_id]),
        {"title": "公示", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "applications": [app.pk]},
    )
    assert response.status_code == 200
    assert any("补登原因" in m for m in _messages(response))
    assert not Publicity.objects.exists()


def test_every_staff_member_is_notified_once_when_the_publicity_starts(
    complete_draft, walk, teaching_affairs, outsider, clock, django_assert_max_num_queries
):
    app = walk(complete_draft, "proposed")
    external = UserFactory(username="X9001", display_name="企业导师", is_external=True)
    disabled = UserFactory(username="T9099", display_name="离职教师", is_active=False)
    start = timezone.now() + dt.timedelta(days=1)
    publicity = services.publish_publicity(
        by=teaching_affairs,
        call=Call.objects.get(pk=app.call_id),
        applications=[app],
        starts_at=start,
        acknowledge_warning=True,
    )
    assert not Notification.objects.filter(title__startswith="公示开始").exists()  # not before the start
    assert services.announce_publicity(publicity.pk) == 0
    clock.set(start + dt.timedelta(minutes=1))
    staff_count = 0
    from accounts.models import User

    staff_count = User.objects.filter(is_active=True, is_external=False).count()
    with django_assert_max_num_queries(12):  # constant: bulk rows, chunked mail tasks, not one query per person
        assert services.announce_publicity(publicity.pk) == staff_count
    rows = Notification.objects.filter(title__startswith="公示开始")
    assert rows.count() == staff_count and rows.filter(recipient=outsider).exists()
    assert not rows.filter(recipient__in=[external, disabled]).exists()
    assert publicity.period_text in rows.first().body
    assert services.announce_publicity(publicity.pk) == 0  # once
    assert rows.count() == staff_count


def test_bulk_announcement_sends_chunked_mail(db, monkeypatch):
    from django.core import mail

    from accounts.models import User
    from core import notifications

    monkeypatch.setattr(notifications, "EMAIL_CHUNK", 2)
    for i in range(5):
        UserFactory(username=f"M90{i}", email=f"m{i}@example.cn")
    count = notifications.notify_all(User.objects.filter(username__startswith="M90"), title="公示开始：测试\n换行")
    assert count == 5 and len(mail.outbox) == 5
    assert all("\n" not in m.subject for m in mail.outbox)


def test_the_period_reads_the_same_everywhere_and_after_the_window_the_status_says_so(
    complete_draft, walk, teaching_affairs, applicant, login, clock
):
    app = walk(complete_draft, "in_publicity")
    publicity = Publicity.objects.get(pk=app.publicity_id)
    text = publicity.period_text
    assert "至" in text and "工作日" in text or "自然日" in text
    client = login(teaching_affairs)
    response = client.get(reverse("applications:publicity_detail", args=[publicity.pk]))
    assert response.status_code == 200, response
    assert text in response.content.decode()
    assert text in client.get(reverse("applications:publicity_list")).content.decode()
    clock.set(publicity.ends_at + dt.timedelta(minutes=1))
    assert reload(app).get_status_display() == "公示期满，待认定"
    client = login(teaching_affairs)  # the session idled out while the clock jumped
    page = client.get(reverse("applications:approve", args=[app.pk])).content.decode()
    assert text in page and 'data-testid="approval-summary"' in page
    listing = login(applicant).get(reverse("applications:list")).content.decode()
    assert "公示期满，待认定" in listing


def test_period_text_is_the_last_day_not_the_midnight_after():
    from applications.calendar import period_text

    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    end = dt.datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI)
    assert period_text(start, end, 5, True) == "2026年11月24日 09:00 至 2026年11月30日（5个工作日）"


def test_live_preview_computes_the_end_and_shows_the_checkbox_only_with_a_warning(
    complete_draft, walk, teaching_affairs, login, outsider
):
    app = walk(complete_draft, "proposed")
    url = reverse("applications:publicity_preview", args=[app.call_id])
    client = login(teaching_affairs)
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=9, minute=0)
    html = client.get(url, {"starts_at": tomorrow.strftime("%Y-%m-%dT%H:%M")}).content.decode()
    assert 'data-testid="computed-period"' in html and "acknowledge_warning" not in html
    # 2027 is not covered by the holiday data in this environment's calendar: a warning and the checkbox
    html = client.get(url, {"starts_at": "2027-12-30T09:00"}).content.decode()
    if "节假日数据未覆盖" in html:
        assert 'name="acknowledge_warning"' in html
    html = client.get(url, {"starts_at": "9999-12-31T09:00"}).content.decode()
    assert "超出可用范围" in html or "请输入" in html  # a clear refusal, no 500
    form = client.get(reverse("applications:publicity_create", args=[app.call_id])).content.decode()
    assert 'name="acknowledge_warning"' not in form  # no calendar warning for a start of today
    assert login(outsider).get(url, {"starts_at": "2026-01-01T09:00"}).status_code == 403


# --- item 6: member picker ------------------------------------------------------------------------------------------


def test_member_search_finds_by_name_worker_number_and_department(draft, applicant, login, core_teachers, outsider):
    client = login(applicant)
    url = reverse("applications:member_search", args=[draft.pk])
    by_number = client.get(url, {"q": "T9011"}).json()["results"]
    assert [r["username"] for r in by_number] == ["T9011"] and by_number[0]["name"] == "骨干教师11"
    by_name = {r["username"] for r in client.get(url, {"q": "骨干教师"}).json()["results"]}
    assert {"T9011", "T9012", "T9013"} <= by_name
    by_department = {r["username"] for r in client.get(url, {"q": "机械工程"}).json()["results"]}
    assert "T9011" in by_department and "T9001" not in by_department  # never the applicant himself
    assert client.get(url, {"q": ""}).json() == {"results": []}
    # another person's draft: not visible (404)
    assert login(outsider).get(url, {"q": "T90"}).status_code == 404


def test_member_search_is_bounded_and_constant_in_queries(draft, applicant, login, django_assert_max_num_queries):
    for i in range(30):
        UserFactory(username=f"Q8{i:03d}", display_name=f"查询教师{i}")
    client = login(applicant)
    url = reverse("applications:member_search", args=[draft.pk])
    with django_assert_max_num_queries(14):
        results = client.get(url, {"q": "查询教师", "selected": "1,2,abc,-5,99999999999999999999999"}).json()
    assert len(results["results"]) == 20


def test_conflicted_officer_and_read_only_people_cannot_be_chosen(
    draft, applicant, login, dept_head, teaching_affairs, inspector, core_teachers, major
):
    client = login(applicant)
    url = reverse("applications:member_search", args=[draft.pk])
    [head] = client.get(url, {"q": dept_head.username}).json()["results"]
    assert head["disabled"] and "系部主任" in head["reason"]
    [ins] = client.get(url, {"q": inspector.username}).json()["results"]
    assert ins["disabled"] and "只读" in ins["reason"]
    [teacher] = client.get(url, {"q": core_teachers[0].username}).json()["results"]
    assert not teacher["disabled"]
    version = Application.objects.get(pk=draft.pk).version
    for person in (dept_head, inspector):
        with pytest.raises(ValidationError):
            services.save_draft(draft, by=applicant, version=version, members=[(person, "core")])
    assert not draft.members.exists()


def test_a_second_head_of_the_department_makes_the_first_choosable(draft, applicant, login, dept_head, department):
    UserFactory(username="H9003", display_name="系副主任", department=department, roles=[Role.DEPT_HEAD])
    # role_assignments of dept heads name their department: the factory sets it for DEPT_HEAD
    client = login(applicant)
    [head] = client.get(reverse("applications:member_search", args=[draft.pk]), {"q": dept_head.username}).json()[
        "results"
    ]
    assert not head["disabled"]


def test_same_person_in_two_roles_is_refused_with_a_message(draft, applicant, core_teachers, login):
    client = login(applicant)
    app = Application.objects.get(pk=draft.pk)
    response = client.post(
        reverse("applications:edit", args=[app.pk]),
        {
            "version": app.version,
            "mode": "school",
            "core_members": [core_teachers[0].pk, core_teachers[1].pk],
            "other_members": [core_teachers[0].pk],
        },
    )
    assert response.status_code == 200
    assert "同一人不能同时担任两种成员角色" in response.content.decode()
    assert not app.members.exists() and Application.objects.get(pk=app.pk).version == app.version


def test_the_edit_page_sends_only_the_chosen_people_as_options(complete_draft, applicant, login):
    for i in range(40):
        UserFactory(username=f"Z7{i:03d}", display_name=f"其他教师{i}")
    page = login(applicant).get(reverse("applications:edit", args=[complete_draft.pk])).content.decode()
    assert "其他教师" not in page and "骨干教师11" in page
    assert "tom-select.complete.min.js" in page and "member-picker.js" in page


# --- item 7: draft attachments ---------------------------------------------------------------------------------------


def _attach(app, applicant, name="证书.pdf"):
    return services.add_attachment(app, by=applicant, kind="certificate", uploaded_file=pdf_upload(name))


def test_a_draft_attachment_is_deleted_and_its_file_removed_after_commit(
    draft, applicant, login, django_capture_on_commit_callbacks
):
    attachment = _attach(draft, applicant)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    client = login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:attachment_delete", args=[draft.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not storage.exists(name)
    assert AuditEvent.objects.filter(action="applications.attachment.deleted", object_id=str(attachment.pk)).exists()


def test_a_failed_delete_keeps_the_file(draft, applicant, monkeypatch):
    attachment = _attach(draft, applicant)
    storage, name = attachment.file.storage, attachment.file.name
    import applications.services.drafts as drafts

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(drafts, "log_action", broken)
    with pytest.raises(RuntimeError):
        services.delete_attachment(draft, attachment.pk, by=applicant)
    assert Attachment.objects.filter(pk=attachment.pk).exists() and storage.exists(name)


def test_a_draft_attachment_is_replaced(draft, applicant, login, django_capture_on_commit_callbacks):
    attachment = _attach(draft, applicant, "旧证书.pdf")
    storage, old = attachment.file.storage, attachment.file.name
    client = login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:attachment_replace", args=[draft.pk, attachment.pk]),
            {"file": SimpleUploadedFile("新证书.pdf", PDF_BYTES, content_type="application/pdf")},
        )
    attachment.refresh_from_db()
    assert attachment.original_name == "新证书.pdf" and attachment.file.name != old
    assert storage.exists(attachment.file.name) and not storage.exists(old)
    assert AuditEvent.objects.get(action="applications.attachment.replaced").before == {"name": "旧证书.pdf"}


def test_a_bad_replacement_changes_nothing(draft, applicant, login):
    attachment = _attach(draft, applicant)
    response = login(applicant).post(
        reverse("applications:attachment_replace", args=[draft.pk, attachment.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")},
        follow=True,
    )
    assert any(m for m in _messages(response))
    attachment.refresh_from_db()
    assert attachment.original_name == "证书.pdf" and attachment.file.storage.exists(attachment.file.name)


def test_attachments_cannot_be_deleted_or_replaced_after_submission(complete_draft, walk, applicant, outsider, login):
    app = walk(complete_draft, "submitted")
    attachment = Attachment.objects.filter(application=app).first()
    with pytest.raises(WorkflowError):
        services.delete_attachment(app, attachment.pk, by=applicant)
    with pytest.raises(WorkflowError):
        services.replace_attachment(app, attachment.pk, by=applicant, uploaded_file=pdf_upload())
    assert (
        login(applicant).post(reverse("applications:attachment_delete", args=[app.pk, attachment.pk])).status_code
        == 403
    )
    assert (
        login(outsider).post(reverse("applications:attachment_delete", args=[app.pk, attachment.pk])).status_code == 404
    )
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_certificate_link_on_the_honour_edit_form_uses_the_checked_download(applicant, login):
    from people import services as people_services
    from people.models import HonorKind

    kind = HonorKind.objects.filter(is_active=True).first()
    honor = people_services.create_honor(
        by=applicant,
        user=applicant,
        data={
            "title": "全国技术能手",
            "kind": kind,
            "level": "national",
            "date": dt.date(2020, 5, 1),
            "issuer": "人力资源和社会保障部",
        },
        certificate=pdf_upload("技术能手证书.pdf"),
    )
    client = login(applicant)
    page = client.get(reverse("people:honor_edit", args=[honor.pk])).content.decode()
    download = reverse("people:honor_certificate", args=[honor.pk])
    assert download in page and "技术能手证书.pdf" in page
    assert honor.certificate.name not in page  # no raw storage path
    assert client.get(download).status_code == 200


# --- item 8: scoring -----------------------------------------------------------------------------------------------


def test_a_score_draft_is_kept_and_counts_nowhere(complete_draft, walk, experts, teaching_affairs, login):
    app = walk(complete_draft, "under_review")
    assignment = ReviewAssignment.objects.filter(application=app).select_related("expert").first()
    expert = assignment.expert
    services.declare_no_conflict(assignment, by=expert)
    client = login(expert)
    url = reverse("applications:review_detail", args=[assignment.pk])
    client.post(url, {"action": "draft", "score_master": "8.5", "score_team": "", "comment": "初步意见"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLARED and assignment.total is None
    assert assignment.scores == {"master": "8.5"} and assignment.draft_saved_at is not None
    page = client.get(url).content.decode()
    assert 'value="8.5"' in page and 'data-testid="draft-saved"' in page and 'data-testid="live-total"' in page
    # a draft out of range is refused and nothing changes
    client.post(url, {"action": "draft", "score_master": "11"})
    assignment.refresh_from_db()
    assert assignment.scores == {"master": "8.5"}
    # the review cannot be closed on a draft
    with pytest.raises(WorkflowError):
        services.move_application(app, "reviewed", by=teaching_affairs)


def test_scoring_page_shows_materials_deadline_and_plain_conflict_words(complete_draft, walk, experts, login):
    app = walk(complete_draft, "under_review")
    deadline = timezone.now() + dt.timedelta(days=7)
    Call.objects.filter(pk=app.call_id).update(review_deadline=deadline)
    assignment = ReviewAssignment.objects.filter(application=app).select_related("expert").first()
    client = login(assignment.expert)
    page = client.get(reverse("applications:review_detail", args=[assignment.pk])).content.decode()
    assert "待声明回避" not in page and "确认您与该申报没有利益冲突" in page
    assert timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") in page
    services.declare_no_conflict(assignment, by=assignment.expert)
    page = client.get(reverse("applications:review_detail", args=[assignment.pk])).content.decode()
    assert 'data-testid="review-materials"' in page and app.work_plan[:10] in page
    assert "score-input" in page and "review-total.js" in page


# --- item 9: objections and the approval form -----------------------------------------------------------------------


@pytest.fixture
def objection(complete_draft, walk, outsider):
    app = walk(complete_draft, "in_publicity")
    return services.lodge_objection(app.publicity, app, by=outsider, content="企业经历存疑。")


def test_objection_goes_through_investigation_with_evidence(
    objection, teaching_affairs, outsider, login, clock, django_capture_on_commit_callbacks
):
    with pytest.raises(WorkflowError):  # a conclusion needs an investigation first
        services.resolve_objection(objection, by=teaching_affairs, upheld=False, findings="查无实据")
    with pytest.raises(WorkflowError):  # no evidence before the investigation
        services.add_investigation_evidence(objection, by=teaching_affairs, uploaded_file=pdf_upload("调查.pdf"))
    client = login(teaching_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:objection_investigate", args=[objection.pk]))
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING and objection.investigation_started_at
    assert StatusChange.objects.filter(machine="objection", to_state="investigating").count() == 1
    assert Notification.objects.filter(recipient=outsider, title__contains="开始调查").exists()
    client.post(
        reverse("applications:objection_investigation_evidence", args=[objection.pk]),
        {"file": pdf_upload("调查笔录.pdf")},
    )
    objection.refresh_from_db()
    assert objection.investigation_evidence_name == "调查笔录.pdf"
    assert client.get(reverse("applications:objection_investigation_evidence", args=[objection.pk])).status_code == 200
    # no pre-selected conclusion: the radio buttons come unchecked; posting without a choice changes nothing
    page = client.get(reverse("applications:objection_detail", args=[objection.pk])).content.decode()
    assert 'name="upheld"' in page and "checked" not in page.split('name="upheld"')[1][:80]
    client.post(reverse("applications:objection_detail", args=[objection.pk]), {"findings": "经核实无误"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING
    with pytest.raises(ValidationError):
        services.resolve_objection(objection, by=teaching_affairs, upheld=None, findings="x")
    client.post(
        reverse("applications:objection_detail", args=[objection.pk]), {"upheld": "0", "findings": "经核实无误"}
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and objection.findings == "经核实无误"
    assert AuditEvent.objects.filter(action="applications.objection.dismissed").count() == 1
    # the approval form summarises the objection and its conclusion
    clock.set(objection.publicity.ends_at + dt.timedelta(minutes=1))
    client = login(teaching_affairs)  # the session idled out while the clock jumped
    page = client.get(reverse("applications:approve", args=[objection.application_id])).content.decode()
    for text in ("数控车工技能大师工作室", "申报人甲", "骨干教师11", "异议不成立", "经核实无误", "收到异议 1 件"):
        assert text in page


def test_an_investigating_objection_blocks_approval(objection, teaching_affairs, clock):
    services.start_investigation(objection, by=teaching_affairs)
    clock.set(objection.publicity.ends_at + dt.timedelta(minutes=1))
    with pytest.raises(WorkflowError) as refused:
        services.approve_application(
            objection.application,
            by=teaching_affairs,
            document_number="渝工校发〔2026〕9号",
            approved_on=timezone.localdate(),
        )
    assert "尚未处理的异议" in refused.value.message


def test_starting_an_investigation_twice_is_refused(objection, teaching_affairs):
    services.start_investigation(objection, by=teaching_affairs)
    with pytest.raises(WorkflowError):
        services.start_investigation(Objection.objects.get(pk=objection.pk), by=teaching_affairs)
    assert StatusChange.objects.filter(machine="objection").count() == 1


def test_a_stale_objection_object_loses_the_race(objection, teaching_affairs):
    stale = Objection.objects.get(pk=objection.pk)
    services.start_investigation(objection, by=teaching_affairs)
    with pytest.raises((WorkflowError, ConcurrentTransitionError)):
        services.start_investigation(stale, by=teaching_affairs)


def test_read_only_roles_cannot_investigate(objection, inspector, login):
    with pytest.raises(WorkflowError):
        services.start_investigation(objection, by=inspector)
    assert login(inspector).post(reverse("applications:objection_investigate", args=[objection.pk])).status_code == 403
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.OPEN
