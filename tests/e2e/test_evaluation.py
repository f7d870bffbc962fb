"""Issue 12 items 3-4 in the browser: 发改室 creates last year's 年度考核 and starts the scoring, opens a scorecard
(line by line, the veto named), submits the proposed grades (confirmed in the dialog); a committee member records the
meeting and votes 同意 (the running tally hidden until then); a confirmation with one vote is refused with the tally;
the second member present votes and confirms the results (dialog) — the studio without an annual report is 不合格
and its page then shows it revoked and read-only. Screenshots of the vote at 1440×900 and 390×844. No console error
(CSP)."""

import pytest
from playwright.sync_api import expect

from evaluation.tests.helpers import YEAR, people, weak_studio
from tests.factories import DepartmentFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _decide(page, choice, *, note=None):
    box = page.get_by_test_id("decision-box")
    box.get_by_label(choice, exact=True).check()
    if note is not None:
        box.get_by_label("理由/意见").fill(note)
    box.get_by_role("button", name="提交").click()
    page.get_by_role("button", name="确认办理").click()


def _vote(page, decision, reason=""):
    form = page.get_by_test_id("vote-form")
    form.get_by_label(decision, exact=True).check()
    if reason:
        form.get_by_label("理由", exact=False).fill(reason)
    form.get_by_test_id("cast-vote").click()


def round_pk(page):
    """The round's id from the current URL (/evaluation/<pk>/…)."""
    return page.url.split("/evaluation/")[1].split("/")[0]


def test_round_to_revocation(page, live_server, sign_in, screenshot):
    from plans.services import ensure_indicator_set

    ensure_indicator_set(YEAR)
    department = DepartmentFactory(code="EVE", name="考核浏览器测试系")
    dev, committee = people(department)
    studio, _, _ = weak_studio(department, "未交报告技能大师工作室", with_report=False)
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(dev)
    page.goto(f"{live_server.url}/evaluation/")
    form = page.get_by_test_id("round-form")
    form.get_by_label("考核年度").fill(str(YEAR))
    form.get_by_label("评分截止日期").fill(f"{YEAR + 1}-03-01")
    form.get_by_role("button", name="建立").click()
    expect(page.get_by_test_id("round-status")).to_have_text("准备中")
    page.get_by_test_id("start-round").click()
    expect(page.get_by_test_id("round-status")).to_have_text("评分中")
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("veto")).to_contain_text("未提交年度工作报告")
    expect(page.get_by_test_id("suggested-grade")).to_have_text("不合格")
    screenshot("evaluation-scorecard")
    page.get_by_role("link", name=str(YEAR)).click()
    _decide(page, "提交学术委员会认定")
    expect(page.get_by_test_id("round-status")).to_have_text("待学术委员会认定")

    page.context.clear_cookies()
    sign_in(committee[0])
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name=str(YEAR)).click()
    page.get_by_label("会议日期").fill(f"{YEAR + 1}-03-05")
    page.get_by_label(committee[0].display_name).check()
    page.get_by_label(committee[1].display_name).check()
    page.get_by_role("button", name="登记会议").click()
    expect(page.get_by_test_id("meeting")).to_contain_text("出席 2 人")
    # the committee votes (brief E): the running tally is hidden from a member until he has voted
    expect(page.get_by_test_id("tally")).to_contain_text("您表决后或考核结果认定后显示票数")
    _vote(page, "同意")
    expect(page.get_by_test_id("tally")).to_contain_text("同意 1、不同意 0")
    expect(page.get_by_test_id("vote-form")).to_have_count(0)
    # confirming now is refused with the tally: one vote is not a quorum voting
    _decide(page, "认定考核结果")
    expect(page.get_by_role("alert").filter(has_text="不足法定人数")).to_be_visible()
    expect(page.get_by_test_id("round-status")).to_have_text("待学术委员会认定")

    round_url = f"{live_server.url}/evaluation/{round_pk(page)}/"
    page.context.clear_cookies()
    sign_in(committee[1])
    page.goto(round_url)
    expect(page.get_by_test_id("tally")).to_contain_text("您表决后或考核结果认定后显示票数")
    for width, height, name in ((1440, 900, "evaluation-vote"), (390, 844, "evaluation-vote-mobile")):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(name)
    page.set_viewport_size({"width": 1440, "height": 900})
    _vote(page, "同意")
    expect(page.get_by_test_id("votes")).to_contain_text(committee[0].display_name)
    expect(page.get_by_test_id("tally")).to_contain_text("同意 2、不同意 0")
    _decide(page, "认定考核结果")
    expect(page.get_by_test_id("round-status")).to_have_text("已认定")
    expect(page.get_by_test_id("confirmed-grade").first).to_have_text("不合格")
    screenshot("evaluation-confirmed")

    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    assert not errors, errors
