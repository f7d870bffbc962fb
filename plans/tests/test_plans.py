import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import AuditEvent
from core.workflow import WorkflowError
from ledger.tests.helpers import make_studio
from plans import services
from plans.enums import PlanKind, PlanStatus
from plans.models import Indicator, IndicatorSet, Plan, PlanTarget
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import StudioReadOnly

from .helpers import approved_plan

YEAR = dt.date.today().year
pytestmark = pytest.mark.django_db


@pytest.fixture
def studio_team(department, dept_head):
    studio, master, team = make_studio(department)
    return studio, master, team


def test_the_starting_dictionary_is_seeded_with_weights_summing_to_100():
    for year in {2026, YEAR}:
        indicator_set = IndicatorSet.objects.get(year=year)
        indicators = list(indicator_set.indicators.all())
        assert len(indicators) == 17
        assert sum(i.weight for i in indicators) == 100
    assert Indicator.objects.get(indicator_set__year=2026, key="social_training").default_target == 100


def test_weights_not_summing_to_100_are_refused_and_nothing_changes(admin_user):
    indicator_set = IndicatorSet.objects.get(year=2026)
    rows = [
        {"id": i.pk, **{f: getattr(i, f) for f in services.INDICATOR_FIELDS}}
        for i in indicator_set.indicators.order_by("order")
    ]
    rows[0]["weight"] = Decimal(4)  # 101 in all
    with pytest.raises(ValidationError) as refused:
        services.save_indicator_set(indicator_set, by=admin_user, rows=rows)
    assert "权重之和须为100，当前为101" in refused.value.messages[0]
    assert Indicator.objects.get(pk=rows[0]["id"]).weight == 3
    # moving one point from one indicator to another keeps 100: accepted, audited
    rows[1]["weight"] = Decimal(3)
    services.save_indicator_set(indicator_set, by=admin_user, rows=rows)
    assert Indicator.objects.get(pk=rows[0]["id"]).weight == 4
    assert AuditEvent.objects.filter(action="plans.indicator_set.changed").count() == 1


def test_only_the_administrator_edits_the_dictionary(teaching_affairs):
    indicator_set = IndicatorSet.objects.get(year=2026)
    with pytest.raises(PermissionDenied):
        services.save_indicator_set(indicator_set, by=teaching_affairs, rows=[])


def test_a_negative_or_huge_target_is_refused(studio_team):
    studio, master, _team = studio_team
    plan = services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=YEAR)
    target = plan.targets.first()
    for bad in ("-1", "1e9", "abc", "NaN", "Infinity", "0.05"):
        with pytest.raises(ValidationError):
            services.update_plan(plan, by=master, targets={target.indicator_id: bad})
    assert PlanTarget.objects.get(pk=target.pk).target == target.target


def test_plan_review_flow_lock_new_version_and_diff(studio_team, dept_head, teaching_affairs):
    studio, master, team = studio_team
    plan = services.create_plan(studio, by=master, kind=PlanKind.CONSTRUCTION, year=YEAR)
    assert plan.term_years == 3
    assert plan.targets.count() == 17  # defaults from the dictionary
    services.update_plan(
        plan,
        by=master,
        data={"goals": "建成市级示范工作室"},
        tasks=[
            {"title": "开发实训项目", "owner_id": team[0].pk, "due_on": dt.date(YEAR, 12, 1), "expected_output": "教材"}
        ],
    )
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    with pytest.raises(ValidationError, match="审核意见"):
        services.move(plan, PlanStatus.DEPT_REVIEWED, by=dept_head)
    services.move(plan, PlanStatus.DEPT_REVIEWED, by=dept_head, note="系部同意")
    services.move(plan, PlanStatus.APPROVED, by=teaching_affairs, note="批准")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_on == dt.date.today()

    # An approved plan is locked
    with pytest.raises(WorkflowError, match="已批准并锁定"):
        services.update_plan(plan, by=master, data={"goals": "改了"})
    assert Plan.objects.get(pk=plan.pk).goals == "建成市级示范工作室"

    # A change is a new version with a reason, through the same review
    with pytest.raises(ValidationError, match="变更原因"):
        services.new_version(plan, by=master, reason=" ")
    v2 = services.new_version(plan, by=master, reason="增加社会培训任务")
    assert (v2.version, v2.supersedes_id, v2.status) == (2, plan.pk, PlanStatus.DRAFT)
    with pytest.raises(WorkflowError, match="新版本在办理中"):
        services.new_version(plan, by=master, reason="再改一次")
    social = Indicator.objects.get(indicator_set_id=plan.indicator_set_id, key="social_training")
    services.update_plan(v2, by=master, data={"goals": "建成省级示范工作室"}, targets={social.pk: "150"})
    change = services.diff(plan, v2)
    assert ("建设目标", "建成市级示范工作室", "建成省级示范工作室") in change["fields"]
    assert change["targets"] == [("社会培训", Decimal(100), Decimal(150))]
    services.move(v2, PlanStatus.SUBMITTED, by=master)
    services.move(v2, PlanStatus.DEPT_REVIEWED, by=dept_head, note="同意")
    services.move(v2, PlanStatus.APPROVED, by=teaching_affairs, note="同意")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    actions = set(AuditEvent.objects.filter(object_type="plans.plan").values_list("action", flat=True))
    assert {
        "plans.plan.created",
        "plans.plan.changed",
        "plans.plan.submitted",
        "plans.plan.dept_reviewed",
        "plans.plan.approved",
        "plans.plan.new_version",
        "plans.plan.superseded",
    } <= actions
    call_command("verify_audit")  # the hash chain over every event written above is intact


def test_return_for_revision_and_resubmit(studio_team, dept_head, teaching_affairs):
    studio, master, _team = studio_team
    plan = services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=YEAR)
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    with pytest.raises(WorkflowError, match="审核中"):
        services.update_plan(plan, by=master, data={"goals": "x"})
    services.move(plan, PlanStatus.RETURNED, by=dept_head, note="请补充任务")
    services.update_plan(plan, by=master, data={"goals": "补充后"})
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    services.move(plan, PlanStatus.DEPT_REVIEWED, by=dept_head, note="同意")
    services.move(plan, PlanStatus.RETURNED, by=teaching_affairs, note="目标偏低")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.RETURNED


def test_reviewers_are_scoped_and_never_review_their_own_studio(studio_team, other_dept_head, dept_head, department):
    studio, master, team = studio_team
    plan = services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=YEAR)
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    with pytest.raises(WorkflowError, match="本系部"):
        services.move(plan, PlanStatus.DEPT_REVIEWED, by=other_dept_head, note="同意")
    with pytest.raises(WorkflowError):
        services.move(plan, PlanStatus.DEPT_REVIEWED, by=team[0], note="同意")  # a member holds no review role
    from studios.enums import MembershipRole
    from studios.models import Membership

    Membership.objects.create(studio=studio, user=dept_head, role=MembershipRole.MEMBER, joined_on=dt.date(2024, 1, 1))
    with pytest.raises(WorkflowError, match="不能审核本工作室"):
        services.move(plan, PlanStatus.DEPT_REVIEWED, by=dept_head, note="同意")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_only_members_write_plans(studio_team, outsider, inspector):
    studio, _master, _team = studio_team
    for user in (outsider, inspector):
        with pytest.raises(PermissionDenied):
            services.create_plan(studio, by=user, kind=PlanKind.ANNUAL, year=YEAR)
    assert not Plan.objects.exists()


def test_a_revoked_studio_s_plans_are_read_only(studio_team, dept_head, teaching_affairs):
    studio, master, _team = studio_team
    plan = approved_plan(studio, master, dept_head, teaching_affairs, kind=PlanKind.CONSTRUCTION)
    draft = services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=YEAR)
    type(studio).objects.filter(pk=studio.pk).update(status=StudioStatus.REVOKED)
    with pytest.raises(StudioReadOnly):
        services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=YEAR + 1)
    with pytest.raises(StudioReadOnly):
        services.update_plan(draft, by=master, data={"goals": "x"})
    with pytest.raises(StudioReadOnly):
        services.move(draft, PlanStatus.SUBMITTED, by=master)
    with pytest.raises(StudioReadOnly):
        services.new_version(plan, by=master, reason="变更")
    assert Plan.objects.count() == 2 and Plan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


def test_letter_targets_quote_the_approved_construction_plan(studio_team, dept_head, teaching_affairs):
    from studios import panels

    studio, master, _team = studio_team
    assert panels.letter_targets(studio) is None
    approved_plan(studio, master, dept_head, teaching_affairs, kind=PlanKind.CONSTRUCTION, targets={"projects": "2"})
    lines = panels.letter_targets(studio)
    assert lines[0].startswith(f"按{YEAR}–{YEAR + 2}年建设方案")
    assert "技术攻关与技改项目：2项" in lines


def test_open_tasks_name_the_missing_annual_plan(studio_team, dept_head, teaching_affairs):
    from plans.studio_page import open_tasks

    studio, master, _team = studio_team
    titles = [t.title for t in open_tasks(studio, master)]
    assert f"{YEAR}年度工作计划未提交" in titles and "建设方案未提交" in titles
    approved_plan(studio, master, dept_head, teaching_affairs)
    # a new request loads the studio anew (the page's reads are memoised on the studio object: studios.panels.page_memo)
    titles = [t.title for t in open_tasks(Studio.objects.get(pk=studio.pk), master)]
    assert f"{YEAR}年度工作计划未提交" not in titles
