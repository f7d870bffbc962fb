"""The TRANSITIONS table: every illegal move is refused; roles and scope; rule refusals change nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from applications import services
from applications.enums import ApplicationStatus as S
from applications.enums import ObjectionStatus
from applications.models import Application, Call, Vote
from applications.workflow import TRANSITIONS
from core.models import AuditEvent, StatusChange
from core.workflow import WorkflowError, transition
from studios.enums import StudioStatus
from studios.models import Studio

from .conftest import reload

pytestmark = pytest.mark.django_db


def test_every_move_not_in_the_table_is_refused(complete_draft, teaching_affairs):
    legal = {(str(a), str(b)) for a, b in TRANSITIONS}
    app = complete_draft
    for source in S:
        Application.objects.filter(pk=app.pk).update(status=source)
        for target in S:
            if (source.value, target.value) in legal or source == target:
                continue
            with pytest.raises(WorkflowError) as refused:
                transition(Application.objects.get(pk=app.pk), target, by=teaching_affairs)
            assert refused.value.code == "illegal", (source, target)
    assert not StatusChange.objects.exists()


def test_roles_are_enforced(complete_draft, applicant, outsider, teaching_affairs, inspector, leadership):
    services.submit_application(complete_draft, by=applicant)
    for user in (applicant, outsider, teaching_affairs, inspector, leadership):
        with pytest.raises(WorkflowError) as refused:
            services.recommend_application(complete_draft, by=user, opinion="同意", r7="pass", r8="pass")
        assert refused.value.code in {"role", "scope"}
    with pytest.raises(WorkflowError):  # only the applicant submits
        transition(complete_draft, S.SUBMITTED, by=outsider)
    assert reload(complete_draft).status == S.SUBMITTED


def test_failing_people_rule_refuses_submission_with_its_message(complete_draft, applicant):
    from people.models import StaffProfile

    StaffProfile.objects.filter(user=applicant).update(birth_date=dt.date(1970, 1, 1))
    with pytest.raises(WorkflowError) as refused:
        services.submit_application(complete_draft, by=applicant)
    assert "R4" in refused.value.message and "45" in refused.value.message
    assert reload(complete_draft).status == S.DRAFT
    assert not AuditEvent.objects.filter(action="applications.application.submitted").exists()


def test_closed_call_refuses_submission(complete_draft, applicant, teaching_affairs):
    services.close_call(Call.objects.get(pk=complete_draft.call_id), by=teaching_affairs)
    with pytest.raises(WorkflowError) as refused:
        services.submit_application(complete_draft, by=applicant)
    assert "不能提交" in refused.value.message and reload(complete_draft).status == S.DRAFT


def test_window_passed_refuses_submission(complete_draft, applicant, clock):
    clock.advance(days=31)
    with pytest.raises(WorkflowError) as refused:
        services.submit_application(complete_draft, by=applicant)
    assert "截止" in refused.value.message


def test_one_application_per_call(complete_draft, applicant, open_call):
    with pytest.raises(WorkflowError):
        services.create_application(open_call, by=applicant)
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_stale_version_refused_in_the_service(complete_draft, applicant):
    version = complete_draft.version
    services.save_draft(complete_draft, by=applicant, version=version, data={"occupation": "车工"})
    with pytest.raises(services.StaleVersionError) as refused:
        services.save_draft(complete_draft, by=applicant, version=version, data={"occupation": "钳工"})
    assert refused.value.message == "该申报已被他人修改，请刷新后再编辑"
    row = Application.objects.get(pk=complete_draft.pk)
    assert row.occupation == "车工" and row.version == version + 1


def test_dept_head_cannot_recommend_own_application(department, open_call, core_teachers, major):
    from tests.factories import UserFactory

    from .conftest import fill_application, make_eligible

    head = UserFactory(username="H9100", display_name="系主任申报", department=department, roles=[Role.DEPT_HEAD])
    make_eligible(head, major)
    app = fill_application(services.create_application(open_call, by=head), by=head, members=core_teachers, major=major)
    services.submit_application(app, by=head)
    with pytest.raises(WorkflowError) as refused:
        services.recommend_application(app, by=User.objects.get(pk=head.pk), opinion="同意", r7="pass", r8="pass")
    assert "本人" in refused.value.message and reload(app).status == S.SUBMITTED


def test_one_person_cannot_act_at_two_stages(complete_draft, walk, experts, committee, teaching_affairs):
    app = walk(complete_draft, "reviewed")
    # an expert of this application who also sits on the committee may not vote on it
    RoleAssignment.objects.create(user=experts[0], role=Role.COMMITTEE)
    expert = User.objects.get(pk=experts[0].pk)
    meeting = services.create_meeting(
        by=teaching_affairs,
        call=Call.objects.get(pk=app.call_id),
        title="会",
        held_on=timezone.localdate(),
        members_present=[*committee, expert],
        agenda=[app],
        quorum=5,
    )
    with pytest.raises(WorkflowError) as refused:
        services.cast_vote(meeting, app, by=expert, choice="for")
    assert refused.value.code == "conflict" and not Vote.objects.exists()


def test_absent_member_cannot_vote_and_two_thirds_majority(complete_draft, walk, committee, teaching_affairs):
    app = walk(complete_draft, "reviewed")
    meeting = services.create_meeting(
        by=teaching_affairs,
        call=Call.objects.get(pk=app.call_id),
        title="会",
        held_on=timezone.localdate(),
        members_present=committee[:4],
        agenda=[app],
        quorum=3,
        majority="two_thirds",
    )
    with pytest.raises(WorkflowError) as refused:
        services.cast_vote(meeting, app, by=committee[4], choice="for")
    assert refused.value.code == "absent"
    for member, choice in zip(committee[:4], ["for", "for", "against", "abstain"], strict=True):
        services.cast_vote(meeting, app, by=member, choice=choice)
    results = services.close_meeting(meeting, by=teaching_affairs)
    assert results[app.pk].valid and not results[app.pk].passed  # 2 of 4 < two thirds
    assert reload(app).status == S.REJECTED


def test_upheld_objection_rejects_and_disqualification_revokes_studio(
    complete_draft, walk, outsider, teaching_affairs, open_call, applicant, core_teachers, major, clock
):
    app = walk(complete_draft, "in_publicity")
    objection = services.lodge_objection(app.publicity, app, by=outsider, content="获奖证书存疑")
    services.start_investigation(objection, by=teaching_affairs)
    services.resolve_objection(
        objection, by=teaching_affairs, upheld=True, findings="证书日期与事实不符", outcome="reject"
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and reload(app).status == S.REJECTED


def test_disqualifying_an_approved_application_revokes_its_studio(complete_draft, walk, teaching_affairs):
    app = walk(complete_draft, "approved")
    studio = Studio.objects.get(application=app)
    assert studio.status == StudioStatus.ACTIVE
    services.disqualify_application(app, by=teaching_affairs, reason="核实：企业工作经历证明系伪造")
    assert reload(app).status == S.DISQUALIFIED
    studio.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED and "伪造" in studio.revoked_reason
    assert StatusChange.objects.filter(machine="studio", object_id=str(studio.pk), to_state="revoked").count() == 1
    assert AuditEvent.objects.filter(action="studios.studio.revoked").count() == 1


def test_publishing_into_an_uncovered_year_needs_acknowledgement(complete_draft, walk, teaching_affairs):
    import zoneinfo

    app = walk(complete_draft, "proposed")
    start = dt.datetime(2026, 12, 30, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    call = Call.objects.get(pk=app.call_id)
    with pytest.raises(WorkflowError) as refused:
        services.publish_publicity(by=teaching_affairs, call=call, applications=[app], starts_at=start)
    assert refused.value.code == "calendar" and "2027" in refused.value.message
    assert reload(app).status == S.PROPOSED
    publicity = services.publish_publicity(
        by=teaching_affairs, call=call, applications=[app], starts_at=start, acknowledge_warning=True
    )
    assert "2027" in publicity.calendar_warning


def test_blind_review_hides_the_applicant(complete_draft, walk, experts, login):
    from django.urls import reverse

    Call.objects.filter(pk=complete_draft.call_id).update(blind_review=True)
    app = walk(complete_draft, "under_review")
    assignment = app.assignments.get(expert=experts[0])
    client = login(experts[0])
    page = client.get(reverse("applications:review_detail", args=[assignment.pk])).content.decode()
    assert "申报人甲" not in page and "匿名评审" in page
    services.declare_no_conflict(assignment, by=experts[0])
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "申报人甲" not in page and "骨干教师11" not in page
    assert client.get(reverse("applications:form_pdf", args=[app.pk])).status_code == 403


def test_publicity_follows_the_calls_policy_version(complete_draft, walk, teaching_affairs, clock):
    import zoneinfo

    from people.models import PolicyVersion
    from people.policy import ensure_policy_version

    ensure_policy_version(2026)
    PolicyVersion.objects.filter(year=2026).update(publicity_days=5, publicity_working_days=False)
    app = walk(complete_draft, "proposed")
    start = dt.datetime(2026, 9, 30, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    clock.set(start - dt.timedelta(hours=1))
    publicity = services.publish_publicity(
        by=teaching_affairs, call=Call.objects.get(pk=app.call_id), applications=[app], starts_at=start
    )
    assert (publicity.days, publicity.working_days) == (5, False)
    assert publicity.ends_at == dt.datetime(2026, 10, 5, 0, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
