"""One person cannot act at two stages of the same application: who recommended it as department head cannot
review it as an expert or vote on it in the committee; an expert who scored it cannot vote on it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment
from core.workflow import WorkflowError
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

pytestmark = pytest.mark.django_db
REFUSED = (WorkflowError, PermissionDenied, ValidationError)


def _message(exc):
    return str(getattr(exc, "message", None) or "；".join(getattr(exc, "messages", [str(exc)])))


def test_recommender_cannot_review_or_vote_and_reviewer_cannot_vote():
    from applications import services
    from applications.models import Rubric, RubricCriterion, Vote
    from applications.tests.conftest import fill_application, make_eligible

    dept = DepartmentFactory(code="SEP", name="分离系")
    other = DepartmentFactory(code="SEP2", name="分离他系")
    major = MajorFactory(department=dept)
    applicant = make_eligible(UserFactory(department=dept), major)
    ta = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    # One person with three hats: head of the applicant's department, expert, committee member.
    multi = UserFactory(username="M0001", display_name="多角色甲", department=None, roles=[Role.EXPERT, Role.COMMITTEE])
    RoleAssignment.objects.create(user=multi, role=Role.DEPT_HEAD, department=dept)
    experts = [UserFactory(department=other, roles=[Role.EXPERT]) for _ in range(2)]
    committee = [UserFactory(department=other, roles=[Role.COMMITTEE]) for _ in range(3)]
    rubric = Rubric.objects.create(name="分离标准")
    RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=1, max_score=10)
    now = timezone.now()
    call = services.open_call(
        services.create_call(
            by=ta,
            year=now.year,
            title="分离批次",
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=30),
            rubric=rubric,
        ),
        by=ta,
    )
    app = fill_application(
        services.create_application(call, by=applicant),
        by=applicant,
        members=[UserFactory(department=dept) for _ in range(3)],
        major=major,
    )
    services.submit_application(app, by=applicant)
    services.recommend_application(app, by=multi, opinion="同意推荐。", r7="pass", r8="pass")

    # Stage 2 as an expert: refused, nothing assigned.
    with pytest.raises(REFUSED) as refused:
        services.assign_experts([app], [multi, experts[0]], by=ta)
    assert "不能再担任评审专家" in _message(refused.value)
    assert not app.assignments.exists()

    services.assign_experts([app], experts, by=ta)
    services.move_application(app, "under_review", by=ta)
    for a in app.assignments.select_related("expert"):
        services.declare_no_conflict(a, by=a.expert)
        services.submit_review(a, by=a.expert, scores={"master": 9}, comment="同意。", recommendation="recommend")
    services.move_application(app, "reviewed", by=ta)
    meeting = services.create_meeting(
        by=ta,
        call=call,
        title="分离审议",
        held_on=timezone.localdate(),
        members_present=[*committee, multi],
        agenda=[app],
        quorum=3,
    )

    # Stage 3 in the committee, through the page as the person would: refused with a reason, no vote recorded.
    client = Client()
    client.force_login(multi)
    response = client.post(
        f"/applications/committee/{meeting.pk}/vote/", {"application": app.pk, "choice": "for"}, follow=True
    )
    assert "两个环节" in response.content.decode()
    assert not Vote.objects.filter(member=multi).exists()
    with pytest.raises(REFUSED) as refused:
        services.cast_vote(meeting, app, by=multi, choice="for")
    assert "两个环节" in _message(refused.value)

    # An expert who scored it cannot vote on it either.
    reviewer = experts[0]
    RoleAssignment.objects.create(user=reviewer, role=Role.COMMITTEE)
    from accounts.permissions import forget_roles

    forget_roles(reviewer)
    meeting.members_present.add(reviewer)  # present at the meeting, as a committee member
    with pytest.raises(REFUSED) as refused:
        services.cast_vote(meeting, app, by=reviewer, choice="for")
    assert "评审专家" in _message(refused.value)
    assert not Vote.objects.filter(application=app).exists()
