"""Issue 9 items 2–4 in a real browser: the department head sees the verdicts with their evidence and records R7/R8;
a committee member sees the experts' results and not the running tally before voting; a negative decision without a
reason is refused and a confirmed one goes through; a blind-review expert sees the evidence without the applicant.
Screenshots of the application page as each of them, at 1440×900 and 390×844 (test-artifacts/)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world():
    from applications import services
    from applications.models import Application, Call, Rubric, RubricCriterion
    from applications.tests.conftest import fill_application, make_eligible

    jx = DepartmentFactory(code="JX", name="机械工程系")
    jj = DepartmentFactory(code="JJ", name="经济管理系")
    jc = DepartmentFactory(code="JC", name="基础部")
    major = MajorFactory(department=jx, code="JX01", name="数控技术应用")
    w = {
        "teacher": UserFactory(username="T1001", display_name="张明", department=jx),
        "head": UserFactory(username="H1001", display_name="陈建国", department=jx, roles=[Role.DEPT_HEAD]),
        "ta": UserFactory(username="J0001", display_name="孙丽", department=None, roles=[Role.TEACHING_AFFAIRS]),
        "experts": [
            UserFactory(username=f"E000{i}", display_name=n, department=jj, roles=[Role.EXPERT])
            for i, n in ((1, "吴教授"), (2, "郑工程师"))
        ],
        "committee": [
            UserFactory(username=f"C000{i}", display_name=f"委员{i}", department=jc, roles=[Role.COMMITTEE])
            for i in range(1, 4)
        ],
    }
    core = [UserFactory(username=f"T10{i}", display_name=f"骨干{i}", department=jx) for i in (11, 12, 13)]
    make_eligible(w["teacher"], major)
    rubric = Rubric.objects.create(name="评审标准")
    for order, code in enumerate(("master", "team", "plan")):
        RubricCriterion.objects.create(rubric=rubric, code=code, label=code, weight=1, max_score=10, order=order)
    now = timezone.now()
    call = services.create_call(
        by=w["ta"],
        year=2026,
        title="2026年技能大师工作室申报",
        opens_at=now - timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=30),
        rubric=rubric,
    )
    services.open_call(call, by=w["ta"])
    app = services.create_application(Call.objects.get(pk=call.pk), by=w["teacher"])
    app = fill_application(app, by=w["teacher"], members=core, major=major)
    services.submit_application(app, by=w["teacher"])
    w["app"] = Application.objects.get(pk=app.pk)
    w["call"] = call
    return w


def _sign_in(page, base, user, password):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("工号").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def _shots(page, screenshot, name):
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        screenshot(f"reviewing-{name}-{size}")
    page.set_viewport_size(SIZES["desktop"])


def test_dept_head_sees_verdicts_with_evidence_and_records_r7_r8(page, live_server, password, screenshot, world):
    from applications.models import Application

    app = world["app"]
    _sign_in(page, live_server.url, world["head"], password)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    evidence = page.get_by_test_id("eligibility-evidence")
    for code in ("R4", "R5", "R6", "R7", "R8", "R9"):
        expect(evidence.get_by_test_id(f"verdict-{code}")).to_be_visible()
    expect(evidence.get_by_test_id("honors")).to_contain_text("重庆市技术能手")
    expect(evidence.get_by_test_id("work-history")).to_contain_text("重庆机床集团")
    expect(evidence.get_by_test_id("member-profiles")).to_contain_text("骨干11")
    expect(page.get_by_test_id("stepper-next")).to_contain_text("系（部）主任")
    with page.expect_download() as download:
        evidence.get_by_role("link", name="查看证书").click()
    assert download.value.suggested_filename == "证书.pdf"
    _shots(page, screenshot, "dept-head")

    box = page.get_by_test_id("decision-box")
    box.get_by_label("推荐", exact=True).check()
    box.get_by_label("理由/意见").fill("同意推荐。")
    box.get_by_role("button", name="提交办理意见").click()
    expect(page.get_by_test_id("decision-box")).to_contain_text("推荐前请判断专业相关性（R7）是否符合")
    assert Application.objects.get(pk=app.pk).status == "submitted"
    box = page.get_by_test_id("decision-box")
    box.get_by_label("推荐", exact=True).check()
    box.locator("#id_r7_judgement_0").check()
    box.get_by_label("专业相关性判断说明").fill("任教数控技术应用，强相关")
    box.locator("#id_r8_judgement_0").check()
    box.get_by_role("button", name="提交办理意见").click()
    expect(page.get_by_test_id("status")).to_have_text("系部已推荐")
    expect(page.get_by_test_id("judgement-R7")).to_contain_text("任教数控技术应用，强相关")
    saved = Application.objects.get(pk=app.pk)
    assert (saved.dept_r7_judgement, saved.dept_r8_judgement) == ("pass", "pass")


def test_negative_decision_needs_a_reason_and_a_confirmation(page, live_server, password, world):
    from applications.models import Application

    app = world["app"]
    _sign_in(page, live_server.url, world["head"], password)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    box = page.get_by_test_id("decision-box")
    box.get_by_role("radio", name="不予推荐").check()
    box.get_by_role("button", name="提交办理意见").click()
    expect(page.get_by_test_id("note-error")).to_have_text("请填写「不予推荐」的理由。")
    assert Application.objects.get(pk=app.pk).status == "submitted"
    box = page.get_by_test_id("decision-box")
    box.get_by_role("radio", name="不予推荐").check()
    box.get_by_label("理由/意见").fill("企业工作经历证明与社保记录不符。")
    box.get_by_role("button", name="提交办理意见").click()
    dialog = page.locator("#confirm-modal")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("您确定要「不予推荐」吗")
    dialog.get_by_role("button", name="返回修改").click()  # changing one's mind writes nothing
    expect(dialog).to_be_hidden()
    assert Application.objects.get(pk=app.pk).status == "submitted"
    page.get_by_test_id("decision-box").get_by_role("button", name="提交办理意见").click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_test_id("status")).to_have_text("未通过")
    expect(page.get_by_test_id("history")).to_contain_text("企业工作经历证明与社保记录不符。")


@pytest.fixture
def on_agenda(world):
    """The application recommended, scored by two experts (blind call), on a meeting of three members."""
    from applications import services
    from applications.models import Application, Call

    app, ta = world["app"], world["ta"]
    Call.objects.filter(pk=world["call"].pk).update(blind_review=True)
    services.recommend_application(app, by=world["head"], opinion="同意推荐。", r7="pass", r8="pass", r7_note="强相关")
    services.assign_experts([app], world["experts"], by=ta)
    services.move_application(app, "under_review", by=ta)
    for expert, score in zip(world["experts"], (9, 7), strict=True):
        assignment = app.assignments.get(expert=expert)
        services.declare_no_conflict(assignment, by=expert)
        services.submit_review(
            assignment,
            by=expert,
            scores={"master": score, "team": score, "plan": score},
            comment="同意。",
            recommendation="recommend",
        )
    services.move_application(app, "reviewed", by=ta)
    meeting = services.create_meeting(
        by=ta,
        call=Call.objects.get(pk=app.call_id),
        title="第一次审议会",
        held_on=timezone.localdate(),
        members_present=world["committee"],
        agenda=[Application.objects.get(pk=app.pk)],
        quorum=3,
    )
    services.cast_vote(meeting, app, by=world["committee"][0], choice="for")
    return meeting


def test_committee_member_sees_expert_results_not_the_tally_before_voting(
    page, live_server, password, screenshot, world, on_agenda
):
    member = world["committee"][1]
    _sign_in(page, live_server.url, member, password)
    page.goto(f"{live_server.url}/applications/committee/{on_agenda.pk}/")
    row = page.get_by_test_id("agenda-item")
    expect(row.get_by_test_id("expert-results")).to_contain_text("平均分 80.00（2 位专家）")
    expect(row.get_by_test_id("expert-results")).to_contain_text("最低 70.00 – 最高 90.00")
    expect(row.get_by_test_id("dept-opinion")).to_contain_text("同意推荐。")
    expect(row.get_by_test_id("tally-hidden")).to_be_visible()
    expect(row.get_by_test_id("votes-for")).to_have_count(0)
    screenshot("reviewing-committee-meeting-desktop")
    page.goto(f"{live_server.url}/applications/{world['app'].pk}/")
    expect(page.get_by_test_id("eligibility-evidence")).to_be_visible()
    expect(page.get_by_test_id("committee-record")).not_to_contain_text("赞成 1")
    _shots(page, screenshot, "committee-member")
    page.goto(f"{live_server.url}/applications/committee/{on_agenda.pk}/")
    page.get_by_test_id("agenda-item").get_by_role("button", name="赞成").click()
    expect(page.get_by_test_id("agenda-item").get_by_test_id("votes-for")).to_have_text("2")


def test_blind_expert_sees_the_evidence_without_the_applicant(
    page, live_server, password, screenshot, world, on_agenda
):
    _sign_in(page, live_server.url, world["experts"][0], password)
    page.goto(f"{live_server.url}/applications/{world['app'].pk}/")
    evidence = page.get_by_test_id("eligibility-evidence")
    expect(evidence.get_by_test_id("honors")).to_contain_text("重庆市技术能手")
    expect(evidence.get_by_role("link", name="查看证书")).to_have_count(0)
    expect(evidence.get_by_test_id("member-profiles")).to_contain_text("成员1")
    expect(page.locator("main")).not_to_contain_text("张明")
    expect(page.locator("main")).not_to_contain_text("骨干11")
    _shots(page, screenshot, "blind-expert")
