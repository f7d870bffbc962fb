"""Issue 9 items 2–4: reviewers see what they judge (verdicts R4–R9 with evidence, the department's R7/R8 judgement),
the committee's view (expert results, hidden running tallies, 待表决, notification), decisions (one opinion box, a
reason for every negative or final decision — refused by the workflow itself —, confirmation of irreversible ones) and
the progress stepper."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus as S
from applications.models import Application, Call
from core.models import AuditEvent, Notification, StatusChange
from core.workflow import WorkflowError

from .conftest import reload

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


@pytest.fixture
def submitted(complete_draft, applicant):
    services.submit_application(complete_draft, by=applicant)
    return reload(complete_draft)


def _detail(client, app):
    return client.get(reverse("applications:detail", args=[app.pk])).content.decode()


def _moves(app):
    return StatusChange.objects.filter(object_id=str(app.pk)).count()


# --- item 2: verdicts with evidence ----------------------------------------------------------------------------------


def test_dept_head_sees_the_verdicts_r4_to_r9_with_their_evidence_and_opens_the_certificate(
    submitted, dept_head, login
):
    from people.models import Honor

    client = login(dept_head)
    html = _detail(client, submitted)
    assert 'data-testid="eligibility-evidence"' in html
    for code in ("R4", "R5", "R6", "R7", "R8", "R9"):
        assert f'data-testid="verdict-{code}"' in html, code
    assert "出生日期：1986-05-01" in html  # R4 evidence
    assert "重庆机床集团" in html  # R5: the work history
    honor = Honor.objects.get(user_id=submitted.applicant_id)
    url = reverse("applications:evidence_file", args=[submitted.pk, "honor", honor.pk])
    assert url in html and "重庆市技术能手" in html  # R6: the honour with its certificate link
    assert "骨干教师11（T9011）" in html  # member profiles
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_committee_member_on_the_agenda_opens_the_certificate(meeting, reviewed_app, committee, login):
    from people.models import Honor

    honor = Honor.objects.get(user_id=reviewed_app.applicant_id)
    url = reverse("applications:evidence_file", args=[reviewed_app.pk, "honor", honor.pk])
    client = login(committee[0])
    assert client.get(url).status_code == 200
    assert 'data-testid="eligibility-evidence"' in _detail(client, reviewed_app)


def test_evidence_files_are_refused_outside_the_process_and_for_other_peoples_records(submitted, login, dept_head):
    from people.models import Honor
    from tests.factories import UserFactory

    honor = Honor.objects.select_related("kind").get(user_id=submitted.applicant_id)
    stranger = UserFactory(username="T9999", display_name="无关教师", department=None)
    assert (
        login(stranger).get(reverse("applications:evidence_file", args=[submitted.pk, "honor", honor.pk])).status_code
        == 404
    )
    # a record that is not the applicant's is not served through this application
    other = UserFactory(username="T9998", display_name="他人", department=submitted.department)
    foreign = Honor.objects.create(
        user=other, kind=honor.kind, title="他人荣誉", level="city", date=honor.date, issuer="某单位"
    )
    client = login(dept_head)
    assert (
        client.get(reverse("applications:evidence_file", args=[submitted.pk, "honor", foreign.pk])).status_code == 404
    )
    assert client.get(reverse("applications:evidence_file", args=[submitted.pk, "nope", honor.pk])).status_code == 404


def test_blind_expert_sees_the_same_verdicts_without_anything_that_names_the_applicant(
    submitted, dept_head, teaching_affairs, experts, login
):
    from people.models import Honor

    Call.objects.filter(pk=submitted.call_id).update(blind_review=True)
    services.recommend_application(
        submitted, by=dept_head, opinion="同意推荐。", r7="pass", r8="pass", r7_note="与专业强相关"
    )
    services.assign_experts([submitted], experts[:2], by=teaching_affairs)
    services.move_application(submitted, "under_review", by=teaching_affairs)
    assignment = submitted.assignments.get(expert=experts[0])
    services.declare_no_conflict(assignment, by=experts[0])
    client = login(experts[0])
    html = _detail(client, submitted)
    assert 'data-testid="eligibility-evidence"' in html
    for code in ("R4", "R5", "R6", "R7", "R8", "R9"):
        assert f'data-testid="verdict-{code}"' in html, code
    assert "重庆市技术能手" in html and "重庆机床集团" in html  # the evidence itself
    assert "申报人甲" not in html and "T9001" not in html  # not the applicant
    assert "骨干教师11" not in html and "成员1" in html  # members anonymised
    assert "1986-05-01" not in html  # no birth date
    assert "与专业强相关" in html  # the department's judgement is shown to later stages
    honor = Honor.objects.get(user_id=submitted.applicant_id)
    url = reverse("applications:evidence_file", args=[submitted.pk, "honor", honor.pk])
    assert url not in html
    assert client.get(url).status_code == 403


# --- item 2: the department head's R7/R8 judgement ------------------------------------------------------------------


def test_recommendation_requires_the_r7_and_r8_judgement_in_the_service(submitted, dept_head):
    with pytest.raises(ValidationError) as refused:
        services.recommend_application(submitted, by=dept_head, opinion="同意推荐。")
    assert "专业相关性（R7）" in str(refused.value) and "政治素质、师德（R8）" in str(refused.value)
    with pytest.raises(ValidationError):
        services.recommend_application(submitted, by=dept_head, opinion="同意推荐。", r7="pass", r8="fail")
    assert reload(submitted).status == S.SUBMITTED and _moves(submitted) == 1
    services.recommend_application(
        submitted, by=dept_head, opinion="同意推荐。", r7="pass", r7_note="任教数控专业", r8="pass", r8_note="表现良好"
    )
    app = reload(submitted)
    assert (app.status, app.dept_r7_judgement, app.dept_r7_note, app.dept_r8_judgement) == (
        S.RECOMMENDED,
        "pass",
        "任教数控专业",
        "pass",
    )
    event = AuditEvent.objects.filter(action="applications.application.recommended").latest("id")
    assert event.after["dept_r7_judgement"] == "pass" and event.after["dept_r8_note"] == "表现良好"


def test_dept_head_records_r7_r8_in_the_opinion_box(submitted, dept_head, login):
    client = login(dept_head)
    html = _detail(client, submitted)
    assert 'data-testid="decision-box"' in html and 'data-testid="dept-judgement-fields"' in html
    for label in ("推荐", "退回修改", "不予推荐"):
        assert f">{label}</label>" in html
    url = reverse("applications:transition", args=[submitted.pk])
    response = client.post(url, {"target": "recommended", "note": "同意推荐。"})
    assert response.status_code == 200 and "推荐前请判断专业相关性（R7）是否符合" in response.content.decode()
    assert reload(submitted).status == S.SUBMITTED
    client.post(
        url,
        {
            "target": "recommended",
            "note": "同意推荐。",
            "r7_judgement": "pass",
            "r7_note": "强相关",
            "r8_judgement": "pass",
        },
    )
    app = reload(submitted)
    assert (app.status, app.dept_r7_judgement, app.dept_r7_note) == (S.RECOMMENDED, "pass", "强相关")
    assert "系部判断：专业相关性（R7）" in _detail(client, app)


# --- item 4: reasons and confirmation -------------------------------------------------------------------------------


def test_every_negative_or_final_move_needs_a_reason_in_the_workflow_itself(submitted, dept_head):
    from applications.workflow import transition

    for target in ("rejected", "returned", "recommended"):
        with pytest.raises(WorkflowError) as refused:
            transition(submitted, target, by=dept_head, note="  ")
        assert refused.value.code == "reason"
    with pytest.raises(WorkflowError, match="请填写「不予推荐」的理由"):
        services.move_application(submitted, "rejected", by=dept_head, note="")
    assert reload(submitted).status == S.SUBMITTED and _moves(submitted) == 1
    moves = Application.WORKFLOW.transitions
    for key in [
        ("submitted", "rejected"),
        ("reviewed", "rejected"),
        ("in_publicity", "rejected"),
        ("in_publicity", "approved"),
    ]:
        assert moves[key].reason_required, key
    assert all(m.reason_required for (src, dst), m in moves.items() if dst == "disqualified")


def test_reject_without_reason_is_refused_on_the_page_and_a_confirmed_one_goes_through(submitted, dept_head, login):
    client = login(dept_head)
    url = reverse("applications:transition", args=[submitted.pk])
    response = client.post(url, {"target": "rejected", "note": ""})
    assert "请填写「不予推荐」的理由" in response.content.decode()
    assert reload(submitted).status == S.SUBMITTED
    # with a reason but not confirmed: the confirmation page, nothing written
    response = client.post(url, {"target": "rejected", "note": "企业经历证明不实"})
    html = response.content.decode()
    assert 'data-testid="confirm-page"' in html and "企业经历证明不实" in html
    assert 'name="confirmed" value="1"' in html and 'name="target" value="rejected"' in html
    assert reload(submitted).status == S.SUBMITTED and _moves(submitted) == 1
    client.post(url, {"target": "rejected", "note": "企业经历证明不实", "confirmed": "1"})
    app = reload(submitted)
    assert app.status == S.REJECTED
    assert StatusChange.objects.filter(object_id=str(app.pk), to_state="rejected").get().note == "企业经历证明不实"


def test_api_refuses_a_rejection_without_reason(submitted, dept_head, login):
    client = login(dept_head)
    response = client.post(
        f"{API}/{submitted.pk}/transitions", {"target": "rejected", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json() == {"detail": "请填写「不予推荐」的理由。", "code": "reason"}
    assert reload(submitted).status == S.SUBMITTED


def test_submission_is_confirmed_before_it_happens(complete_draft, applicant, login):
    client = login(applicant)
    url = reverse("applications:transition", args=[complete_draft.pk])
    response = client.post(url, {"target": "submitted"})
    assert 'data-testid="confirm-page"' in response.content.decode()
    assert reload(complete_draft).status == S.DRAFT
    client.post(url, {"target": "submitted", "confirmed": "1"})
    assert reload(complete_draft).status == S.SUBMITTED


# --- item 4: the stepper ---------------------------------------------------------------------------------------------


def test_the_applicant_sees_where_the_application_is_and_who_acts_next(submitted, applicant, login):
    html = _detail(login(applicant), submitted)
    assert 'data-testid="stepper"' in html
    for stage in ("申报", "系部推荐", "专家评审", "学术委员会", "公示", "认定"):
        assert stage in html
    assert 'data-state="current" aria-current="step"' in html
    assert "下一步：系（部）主任办理（退回修改、审核推荐、不予推荐）" in html


def test_the_stepper_follows_the_workflow_table(submitted, dept_head):
    from applications.progress import stepper

    steps = stepper(submitted)
    assert [s["state"] for s in steps["steps"]] == ["done", "current", "todo", "todo", "todo", "todo"]
    services.move_application(submitted, "rejected", by=dept_head, note="不符合")
    steps = stepper(reload(submitted))
    assert [s["state"] for s in steps["steps"]][:2] == ["done", "stopped"] and steps["next"] == "办理已结束。"


# --- item 3: the committee --------------------------------------------------------------------------------------------


@pytest.fixture
def reviewed_app(complete_draft, walk):
    return walk(complete_draft, "reviewed")


@pytest.fixture
def meeting(reviewed_app, teaching_affairs, committee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_meeting(
            by=teaching_affairs,
            call=Call.objects.get(pk=reviewed_app.call_id),
            title="第一次审议会",
            held_on=timezone.localdate(),
            members_present=committee,
            agenda=[reviewed_app],
            quorum=5,
        )


def test_members_are_notified_when_put_on_a_meeting(meeting, committee):
    rows = Notification.objects.filter(title__contains="第一次审议会")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(u.pk for u in committee)
    assert all(r.url == reverse("applications:meeting_detail", args=[meeting.pk]) for r in rows)


def test_a_refused_meeting_notifies_nobody(
    reviewed_app, teaching_affairs, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.create_meeting(
            by=teaching_affairs,
            call=Call.objects.get(pk=reviewed_app.call_id),
            title="无效会议",
            held_on=timezone.localdate(),
            members_present=committee,
            agenda=[],
            quorum=5,
        )
    assert not Notification.objects.filter(title__contains="无效会议").exists()


def test_an_item_nobody_voted_on_reads_pending_not_invalid(meeting, teaching_affairs, login):
    html = login(teaching_affairs).get(reverse("applications:meeting_detail", args=[meeting.pk])).content.decode()
    assert "待表决" in html and "表决无效" not in html


def test_committee_sees_expert_results_and_the_department_opinion(meeting, committee, login):
    html = login(committee[0]).get(reverse("applications:meeting_detail", args=[meeting.pk])).content.decode()
    # walk(): two experts, scores 9/8/7 of 10 on weights 40/30/30 → (36+24+21)… both the same total
    app = meeting.agenda.get()
    totals = sorted(app.assignments.values_list("total", flat=True))
    assert f"平均分 <strong>{totals[0]}</strong>（2 位专家）" in html
    assert "标准差 0.0" in html and f"最低 {totals[0]} – 最高 {totals[-1]}" in html
    assert "建议认定 2 人" in html
    assert "同意推荐。" in html  # the department's opinion
    assert "专业相关性（R7）：符合" in html


def test_running_tallies_are_hidden_from_members_until_they_vote_page_and_api(
    meeting, committee, teaching_affairs, login
):
    app = meeting.agenda.get()
    services.cast_vote(meeting, app, by=committee[0], choice="for")
    services.cast_vote(meeting, app, by=committee[1], choice="against")
    page = reverse("applications:meeting_detail", args=[meeting.pk])
    detail = reverse("applications:detail", args=[app.pk])
    # a member who has not voted: no counts on the meeting page, the application page or the API
    client = login(committee[2])
    html = client.get(page).content.decode()
    assert 'data-testid="tally-hidden"' in html and 'data-testid="votes-for"' not in html
    assert "赞成 1" not in client.get(detail).content.decode()
    item = client.get(f"{API}/meetings/{meeting.pk}").json()["items"][0]
    assert item["tally_hidden"] is True and item["votes_for"] is None and item["votes_against"] is None
    assert item["expert_count"] == 2 and item["expert_mean"] is not None
    # once he has voted he sees them
    services.cast_vote(meeting, app, by=committee[2], choice="for")
    html = client.get(page).content.decode()
    assert 'data-testid="tally-hidden"' not in html and '<td data-testid="votes-for">2</td>' in html
    item = client.get(f"{API}/meetings/{meeting.pk}").json()["items"][0]
    assert (item["tally_hidden"], item["votes_for"], item["votes_against"], item["my_vote"]) == (False, 2, 1, "for")
    # teaching affairs organises the meeting: sees the running count
    item = login(teaching_affairs).get(f"{API}/meetings/{meeting.pk}").json()["items"][0]
    assert item["votes_for"] == 2
    # a committee member not at this meeting does not see the running count either; after the meeting closes he does
    from accounts.enums import Role
    from tests.factories import UserFactory

    absent = UserFactory(username="C9199", display_name="缺席委员", department=None, roles=[Role.COMMITTEE])
    client = login(absent)
    assert client.get(f"{API}/meetings/{meeting.pk}").json()["items"][0]["votes_for"] is None
    for member in committee[3:]:
        services.cast_vote(meeting, app, by=member, choice="for")
    services.close_meeting(meeting, by=teaching_affairs)
    assert client.get(f"{API}/meetings/{meeting.pk}").json()["items"][0]["votes_for"] == 4
    assert 'data-testid="tally-hidden"' not in client.get(page).content.decode()
