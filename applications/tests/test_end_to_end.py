"""One application from draft to an approved studio, driven by the real roles, with every refusal on the way."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import Role
from applications import services
from applications.enums import ApplicationStatus as S
from applications.enums import AssignmentStatus, ObjectionStatus, ReviewRecommendation, VoteChoice
from applications.models import Application, ReviewAssignment, Vote
from core.audit import verify_chain
from core.models import AuditEvent, StatusChange
from core.workflow import WorkflowError
from studios.enums import MembershipRole, StudioStatus
from studios.models import Studio
from tests.factories import UserFactory

from .conftest import fill_application, reload

pytestmark = pytest.mark.django_db

FULL_MARKS = {"master": 9, "team": 8, "plan": 8}


def _history(app):
    return list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=str(app.pk)
        ).values_list("from_state", "to_state")
    )


def test_draft_to_approved_studio_with_every_refusal(
    draft,
    applicant,
    dept_head,
    other_dept_head,
    teaching_affairs,
    experts,
    committee,
    core_teachers,
    major,
    outsider,
    department,
    clock,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # 1. Submitting an incomplete draft is refused, one message per failing rule, and nothing changes.
    with pytest.raises(WorkflowError) as refused:
        services.submit_application(draft, by=applicant)
    assert "R10" in refused.value.message and "R9" in refused.value.message
    assert reload(draft).status == S.DRAFT and _history(draft) == []

    app = fill_application(draft, by=applicant, members=core_teachers, major=major)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(app, by=applicant, note="请审核")
    app = reload(app)
    assert app.status == S.SUBMITTED and app.submitted_at and app.eligibility_snapshot
    # the department head is told (in-app + email)
    assert dept_head.notifications.filter(title__contains="提交申报").exists()
    assert any(dept_head.email in m.to for m in mailoutbox)

    # 2. A dept head of another department is refused; the applicant's own dept head recommends with an opinion.
    with pytest.raises(WorkflowError) as refused:
        services.recommend_application(app, by=other_dept_head, opinion="同意", r7="pass", r8="pass")
    assert refused.value.code == "scope"
    assert reload(app).status == S.SUBMITTED
    with pytest.raises(ValidationError):
        services.recommend_application(app, by=dept_head, opinion="  ", r7="pass", r8="pass")
    services.recommend_application(app, by=dept_head, opinion="该同志技能突出，同意推荐。", r7="pass", r8="pass")
    app = reload(app)
    assert app.status == S.RECOMMENDED and app.recommended_by_id == dept_head.pk

    # 3. Experts: conflicts are enforced (same department, a proposed member, the recommending dept head).
    same_dept_expert = UserFactory(
        username="E9100", display_name="同系专家", department=department, roles=[Role.EXPERT]
    )
    member_expert = core_teachers[0]
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=member_expert, role=Role.EXPERT)
    RoleAssignment.objects.create(user=dept_head, role=Role.EXPERT)
    for conflicted in (same_dept_expert, member_expert, dept_head):
        conflicted = type(conflicted).objects.get(pk=conflicted.pk)  # fresh role cache
        with pytest.raises(WorkflowError) as refused:
            services.assign_experts([app], [experts[0], conflicted], by=teaching_affairs)
        assert refused.value.code == "conflict"
        assert not ReviewAssignment.objects.filter(application=app).exists()  # all or nothing
    services.assign_experts([app], experts, by=teaching_affairs)
    assert ReviewAssignment.objects.filter(application=app).count() == 3

    services.move_application(app, S.UNDER_REVIEW, by=teaching_affairs)
    a1, a2, a3 = (ReviewAssignment.objects.get(application=app, expert=e) for e in experts)
    # scoring before declaring no conflict is refused
    with pytest.raises(WorkflowError):
        services.submit_review(
            a1, by=experts[0], scores=FULL_MARKS, comment="好", recommendation=ReviewRecommendation.RECOMMEND
        )
    services.declare_no_conflict(a1, by=experts[0])
    with pytest.raises(ValidationError):
        services.submit_review(
            a1, by=experts[0], scores={"master": 11, "team": 8}, comment="好", recommendation="recommend"
        )
    services.submit_review(a1, by=experts[0], scores=FULL_MARKS, comment="团队结构合理。", recommendation="recommend")
    services.declare_no_conflict(a2, by=experts[1])
    with pytest.raises(WorkflowError):  # review not finished while an expert is still scoring
        services.move_application(app, S.REVIEWED, by=teaching_affairs)
    services.submit_review(
        a2, by=experts[1], scores={"master": 7, "team": 7, "plan": 6}, comment="可以。", recommendation="recommend"
    )
    services.recuse(a3, by=experts[2], reason="与申报人曾在同一企业共事")
    assert ReviewAssignment.objects.get(pk=a3.pk).status == AssignmentStatus.RECUSED
    services.move_application(app, S.REVIEWED, by=teaching_affairs)
    assert reload(app).status == S.REVIEWED
    a1.refresh_from_db()
    assert a1.total == Decimal("84.00")  # (40×0.9 + 30×0.8 + 30×0.8) / 100 × 100

    # 4. Committee: without a quorum present nobody can vote; an expert of the application may not vote.
    thin = services.create_meeting(
        by=teaching_affairs,
        call=app.call,
        title="第一次审议",
        held_on=timezone.localdate(),
        members_present=committee[:3],
        agenda=[app],
        quorum=5,
    )
    with pytest.raises(WorkflowError) as refused:
        services.cast_vote(thin, app, by=committee[0], choice=VoteChoice.FOR)
    assert refused.value.code == "quorum" and not Vote.objects.exists()
    with pytest.raises(WorkflowError):  # no second meeting while the first is open (issue 8 defect 16) …
        services.create_meeting(
            by=teaching_affairs,
            call=app.call,
            title="第二次审议",
            held_on=timezone.localdate(),
            members_present=committee,
            agenda=[app],
            quorum=5,
        )
    # … the meeting that can never reach its quorum is cancelled, with a reason, first
    services.cancel_meeting(thin, by=teaching_affairs, reason="出席委员不足法定人数，改期审议。")
    meeting = services.create_meeting(
        by=teaching_affairs,
        call=app.call,
        title="第二次审议",
        held_on=timezone.localdate(),
        members_present=committee,
        agenda=[app],
        quorum=5,
    )
    with pytest.raises(WorkflowError):  # too few votes yet: the decision cannot be recorded
        services.close_meeting(meeting, by=teaching_affairs)
    for member, choice in zip(committee, ["for", "for", "for", "against", "abstain"], strict=True):
        services.cast_vote(meeting, app, by=member, choice=choice)
    with pytest.raises(WorkflowError) as refused:
        services.cast_vote(meeting, app, by=committee[0], choice="for")
    assert refused.value.code == "duplicate"
    results = services.close_meeting(meeting, by=teaching_affairs, minutes="会议纪要：同意列入建议名单。")
    assert results[app.pk].passed
    assert reload(app).status == S.PROPOSED

    # 5. Publicity: 3 working days from now; approval is impossible during it.
    publicity = services.publish_publicity(
        by=teaching_affairs, call=app.call, applications=[app], starts_at=timezone.now(), acknowledge_warning=True
    )
    app = reload(app)
    assert app.status == S.IN_PUBLICITY and app.publicity_id == publicity.pk
    with pytest.raises(WorkflowError) as refused:
        services.approve_application(
            app, by=teaching_affairs, document_number="渝工校〔2026〕1号", approved_on=timezone.localdate()
        )
    assert "公示期未结束" in refused.value.message
    objection = services.lodge_objection(publicity, app, by=outsider, content="申报材料中的获奖时间有误。")

    # 6. After the window: no more objections; approval waits for the open objection.
    clock.set(publicity.ends_at + dt.timedelta(minutes=1))
    with pytest.raises(WorkflowError) as refused:
        services.lodge_objection(publicity, app, by=core_teachers[1], content="迟到的异议")
    assert refused.value.code == "window"
    with pytest.raises(WorkflowError) as refused:
        services.approve_application(
            app, by=teaching_affairs, document_number="渝工校〔2026〕1号", approved_on=timezone.localdate()
        )
    assert "尚未处理的异议" in refused.value.message
    assert not Studio.objects.exists()
    services.start_investigation(objection, by=teaching_affairs)
    services.resolve_objection(objection, by=teaching_affairs, upheld=False, findings="经核实，获奖时间无误。")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED

    # 7. Approval creates the studio with its plaque and memberships.
    studio = services.approve_application(
        app, by=teaching_affairs, document_number="渝工校〔2026〕1号", approved_on=timezone.localdate()
    )
    assert studio.plaque_name == "重庆市工业学校（申报人甲）技能大师工作室"
    assert studio.official_name == "数控车工技能大师工作室"
    assert studio.status == StudioStatus.ACTIVE and studio.department_id == department.pk
    roles = dict(studio.memberships.values_list("user_id", "role"))
    assert roles[applicant.pk] == MembershipRole.MASTER
    assert all(roles[u.pk] == MembershipRole.CORE for u in core_teachers)
    with pytest.raises(WorkflowError):  # a second approval of the same application
        services.approve_application(app, by=teaching_affairs, document_number="X", approved_on=timezone.localdate())
    assert Studio.objects.count() == 1

    # 8. Every transition left a history row and an audit event; the audit chain verifies.
    expected = [
        ("draft", "submitted"),
        ("submitted", "recommended"),
        ("recommended", "under_review"),
        ("under_review", "reviewed"),
        ("reviewed", "proposed"),
        ("proposed", "in_publicity"),
        ("in_publicity", "approved"),
    ]
    assert _history(app) == expected
    actions = set(
        AuditEvent.objects.filter(object_type="applications.application", object_id=str(app.pk)).values_list(
            "action", flat=True
        )
    )
    for verb in [
        "submitted",
        "recommended",
        "review_started",
        "review_completed",
        "committee_approved",
        "publicised",
        "approved",
    ]:
        assert f"applications.application.{verb}" in actions
    assert AuditEvent.objects.filter(action="studios.studio.created").count() == 1
    checked, broken, reason = verify_chain()
    assert broken is None, reason
    assert checked > 20
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计日志完好" in out.getvalue()


def test_upheld_objection_for_falsified_material_disqualifies(
    complete_draft, walk, outsider, teaching_affairs, django_capture_on_commit_callbacks
):
    app = walk(complete_draft, "in_publicity")
    objection = services.lodge_objection(app.publicity, app, by=outsider, content="企业工作证明系伪造")
    services.start_investigation(objection, by=teaching_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_objection(
            objection, by=teaching_affairs, upheld=True, findings="经向企业核实，证明系伪造", outcome="disqualify"
        )
    app = reload(app)
    assert app.status == S.DISQUALIFIED and "伪造" in app.disqualify_reason
    # the objector learns the result
    assert outsider.notifications.filter(title__contains="异议").exists()
    with pytest.raises(WorkflowError):
        services.approve_application(app, by=teaching_affairs, document_number="X", approved_on=timezone.localdate())
    assert not Studio.objects.exists()
