"""Integrity of the process (issue 8): 认定日期 within bounds (12), members cannot block processing and 撤回 (13),
no vote shopping and 取消会议 (16), finance/校企办 do not receive personal data (15, scope part)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationStatus as S
from applications.enums import MemberRole
from applications.models import Application, Call, CommitteeMeeting, Objection, Vote
from core.models import AuditEvent, StatusChange
from core.workflow import WorkflowError
from studios.models import Studio
from tests.factories import UserFactory

from .conftest import reload

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


# --- defect 12: 认定日期 ----------------------------------------------------------------------------------------------


@pytest.fixture
def in_publicity(complete_draft, walk):
    return walk(complete_draft, "in_publicity")


@pytest.mark.parametrize("which", ["before_end", "future"])
def test_approval_date_outside_bounds_is_refused(in_publicity, teaching_affairs, clock, which):
    app = in_publicity
    clock.set(app.publicity.ends_at + dt.timedelta(days=2))
    end_day = timezone.localtime(app.publicity.ends_at).date()
    approved_on = end_day - dt.timedelta(days=1) if which == "before_end" else timezone.localdate() + dt.timedelta(1)
    with pytest.raises(ValidationError) as exc:
        services.approve_application(
            app, by=teaching_affairs, document_number="渝工校〔2026〕8号", approved_on=approved_on
        )
    assert "认定日期" in exc.value.messages[0]
    assert reload(app).status == S.IN_PUBLICITY and not Studio.objects.filter(application=app).exists()
    assert reload(app).approved_on is None


def test_approval_date_refused_through_the_api_with_a_chinese_message(in_publicity, teaching_affairs, clock, login):
    app = in_publicity
    clock.set(app.publicity.ends_at + dt.timedelta(days=1))
    early = timezone.localtime(app.publicity.starts_at).date().isoformat()
    response = login(teaching_affairs).post(
        f"{API}/{app.pk}/approve",
        {"document_number": "渝工校〔2026〕8号", "approved_on": early},
        content_type="application/json",
    )
    assert response.status_code == 422 and "公示期结束之后" in str(response.json())
    assert not Studio.objects.filter(application=app).exists()


def test_approval_on_the_day_the_window_ends_is_accepted(in_publicity, teaching_affairs, clock):
    app = in_publicity
    clock.set(app.publicity.ends_at + dt.timedelta(minutes=5))
    studio = services.approve_application(
        app, by=teaching_affairs, document_number="渝工校〔2026〕8号", approved_on=timezone.localdate()
    )
    assert studio.approved_on == timezone.localdate()


# --- defect 13: members cannot block processing; 撤回 ---------------------------------------------------------------


def test_listing_the_only_department_head_as_member_is_refused(draft, applicant, dept_head, core_teachers):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            draft,
            by=applicant,
            version=draft.version,
            members=[(dept_head, MemberRole.CORE), *[(u, "core") for u in core_teachers]],
        )
    message = exc.value.messages[0]
    assert dept_head.display_name in message and "系部主任" in message and "回避" in message
    assert not draft.members.exists() and reload(draft).version == draft.version


def test_listing_every_teaching_affairs_officer_is_refused_but_one_of_two_is_fine(
    draft, applicant, teaching_affairs, department
):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(draft, by=applicant, version=draft.version, members=[(teaching_affairs, MemberRole.CORE)])
    assert "教学工作部" in exc.value.messages[0]
    UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])  # a second officer: one stays unconflicted
    saved = services.save_draft(
        draft, by=applicant, version=draft.version, members=[(teaching_affairs, MemberRole.CORE)]
    )
    assert list(saved.members.values_list("user_id", flat=True)) == [teaching_affairs.pk]


def test_submission_is_refused_when_a_member_became_the_only_officer(
    complete_draft, applicant, core_teachers, dept_head
):
    # dept_head leaves the role; a member becomes the department's only head after the list was saved
    dept_head.role_assignments.all().delete()
    member = core_teachers[0]
    member.role_assignments.create(role=Role.DEPT_HEAD, department_id=complete_draft.department_id)
    with pytest.raises(WorkflowError) as exc:
        services.submit_application(complete_draft, by=applicant)
    assert member.display_name in exc.value.message
    assert reload(complete_draft).status == S.DRAFT


def test_withdraw_before_the_department_acts(complete_draft, applicant, dept_head, login):
    app = complete_draft
    services.submit_application(app, by=applicant)
    client = login(applicant)
    page = client.get(f"/applications/{app.pk}/withdraw/")
    assert page.status_code == 200 and "确认撤回" in page.content.decode()
    assert reload(app).status == S.SUBMITTED  # the confirmation page changes nothing
    response = client.post(f"/applications/{app.pk}/withdraw/", {"reason": "材料需补充"})
    assert response.status_code == 302
    app = reload(app)
    assert app.status == S.DRAFT and app.submitted_at is None
    change = StatusChange.objects.filter(machine="application", object_id=str(app.pk)).order_by("-id").first()
    assert (change.from_state, change.to_state, change.by_id, change.note) == (
        "submitted",
        "draft",
        applicant.pk,
        "材料需补充",
    )
    assert AuditEvent.objects.filter(action="applications.application.withdrawn", object_id=str(app.pk)).count() == 1
    # resubmitted, the department recommends: no withdrawing any more (API)
    services.submit_application(app, by=applicant)
    services.recommend_application(app, by=dept_head, opinion="同意推荐。", r7="pass", r8="pass")
    response = client.post(f"{API}/{app.pk}/withdraw", {"reason": ""}, content_type="application/json")
    assert response.status_code == 409 and reload(app).status == S.RECOMMENDED


def test_only_the_applicant_withdraws(complete_draft, applicant, dept_head, login):
    services.submit_application(complete_draft, by=applicant)
    response = login(dept_head).post(f"{API}/{complete_draft.pk}/withdraw", {}, content_type="application/json")
    assert response.status_code == 403 and reload(complete_draft).status == S.SUBMITTED
    response = login(applicant).post(f"{API}/{complete_draft.pk}/withdraw", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "draft"


# --- defect 16: vote shopping; 取消会议 ------------------------------------------------------------------------------


@pytest.fixture
def reviewed(complete_draft, walk):
    return walk(complete_draft, "reviewed")


def _meeting(ta, app, members, title, quorum=5, days=0):
    return services.create_meeting(
        by=ta,
        call=Call.objects.get(pk=app.call_id),
        title=title,
        held_on=timezone.localdate() + dt.timedelta(days=days),
        members_present=members,
        agenda=[app],
        quorum=quorum,
    )


def test_second_open_meeting_is_refused_and_revote_keeps_the_first_tally(reviewed, teaching_affairs, committee, login):
    app = reviewed
    first = _meeting(teaching_affairs, app, committee, "第一次审议")
    for member in committee[:3]:
        services.cast_vote(first, app, by=member, choice="against")
    with pytest.raises(WorkflowError) as exc:
        _meeting(teaching_affairs, app, committee, "第二次审议", days=7)
    assert "重新表决" in exc.value.message and CommitteeMeeting.objects.count() == 1
    # a re-vote is an explicit step with a reason
    with pytest.raises(ValidationError):
        services.revote(first, app, by=teaching_affairs, reason=" ")
    services.revote(first, app, by=teaching_affairs, reason="表决时两名委员未收到材料")
    with pytest.raises(WorkflowError):
        services.cast_vote(first, app, by=committee[3], choice="for")  # the set-aside item takes no more votes
    second = _meeting(teaching_affairs, app, committee, "第二次审议", days=7)
    from applications.models import Revote

    assert Revote.objects.get(application=app).later_meeting_id == second.pk
    for member in committee:
        services.cast_vote(second, app, by=member, choice="for")
    services.close_meeting(second, by=teaching_affairs)
    assert reload(app).status == S.PROPOSED
    # the earlier votes are kept and shown, with the reason, to the inspector too
    assert Vote.objects.filter(meeting=first).count() == 3
    assert AuditEvent.objects.filter(action="applications.meeting.revote_requested", object_id=str(first.pk)).exists()


def test_inspector_sees_both_tallies_and_which_decided(reviewed, teaching_affairs, committee, inspector, login):
    app = reviewed
    first = _meeting(teaching_affairs, app, committee, "第一次审议")
    for member in committee[:3]:
        services.cast_vote(first, app, by=member, choice="against")
    services.revote(first, app, by=teaching_affairs, reason="表决时两名委员未收到材料")
    second = _meeting(teaching_affairs, app, committee, "第二次审议", days=7)
    for member in committee:
        services.cast_vote(second, app, by=member, choice="for")
    page = login(inspector).get(f"/applications/{app.pk}/").content.decode()
    assert "第一次审议" in page and "第二次审议" in page
    assert "已改为重新表决：表决时两名委员未收到材料" in page and "反对 3" in page and "赞成 5" in page


def test_deciding_tally_is_not_the_newest_meeting(reviewed, teaching_affairs, committee):
    """An older open meeting is not overruled by a later one (before: latest_tally picked the newest)."""
    from applications.queries import deciding_meeting

    app = reviewed
    first = _meeting(teaching_affairs, app, committee, "第一次审议", days=3)
    assert deciding_meeting(app).pk == first.pk
    with pytest.raises(WorkflowError):
        _meeting(teaching_affairs, app, committee, "第二次审议", days=10)
    assert deciding_meeting(app).pk == first.pk


def test_meeting_without_quorum_can_be_cancelled_with_reason(reviewed, teaching_affairs, committee, login):
    app = reviewed
    hopeless = _meeting(teaching_affairs, app, committee[:2], "出席不足的会议", quorum=5)
    client = login(teaching_affairs)
    response = client.post(f"/applications/committee/{hopeless.pk}/cancel/", {"reason": ""})
    assert CommitteeMeeting.objects.get(pk=hopeless.pk).status == "open"
    response = client.post(
        f"{API}/meetings/{hopeless.pk}/cancel",
        {"reason": "三名委员出差，无法达到法定人数"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    meeting = CommitteeMeeting.objects.get(pk=hopeless.pk)
    assert meeting.cancel_reason == "三名委员出差，无法达到法定人数"
    event = AuditEvent.objects.get(action="applications.meeting.cancelled", object_id=str(meeting.pk))
    assert event.actor_id == teaching_affairs.pk
    # the application may now go on a new meeting
    new = _meeting(teaching_affairs, app, committee, "补开审议会", days=7)
    assert new.status == "open"


def test_meeting_with_valid_votes_cannot_be_cancelled(reviewed, teaching_affairs, committee):
    app = reviewed
    meeting = _meeting(teaching_affairs, app, committee, "审议会")
    services.cast_vote(meeting, app, by=committee[0], choice="against")
    with pytest.raises(WorkflowError) as exc:
        services.cancel_meeting(meeting, by=teaching_affairs, reason="结果不理想")
    assert "重新表决" in exc.value.message
    assert CommitteeMeeting.objects.get(pk=meeting.pk).status == "open"


# --- defect 15 (scope): finance and 校企办 -------------------------------------------------------------------------


def test_finance_and_coop_office_get_no_form_and_no_objections(in_publicity, applicant, login):
    app = in_publicity
    objector = UserFactory(display_name="异议人乙")
    objection = services.lodge_objection(app.publicity, app, by=objector, content="业绩材料与事实不符。")
    for role in (Role.FINANCE, Role.COOP_OFFICE):
        user = UserFactory(department=None, roles=[role])
        client = login(user)
        assert client.get(f"/applications/{app.pk}/").status_code == 200  # the process itself stays visible
        assert client.get(f"/applications/{app.pk}/form.pdf").status_code == 403
        assert client.get(f"/applications/{app.pk}/form.docx").status_code == 403
        assert client.get(f"/applications/objections/{objection.pk}/").status_code == 404
        assert client.get(f"{API}/objections").json() == []
        assert "异议人乙" not in client.get(f"/applications/publicity/{app.publicity_id}/").content.decode()
    assert Objection.objects.count() == 1
    assert Application.objects.filter(pk=app.pk).exists()
