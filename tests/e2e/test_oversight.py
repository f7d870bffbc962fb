"""Issue 13 in the browser: the inspector (纪检办) writes a supervision note on an application from the console,
addressed to 教学工作部; 教学工作部 finds it on 我的工作台 (待答复的监督意见), answers it; the inspector finds it answered
(已答复待办结) and closes it. The console shows the answer status. No console error (CSP)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from applications.tests import conftest as application_fixtures
from oversight.tests.helpers import make_application

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call


def test_inspector_note_answered_and_closed(page, live_server, sign_in, screenshot, inspector, teaching_affairs,
                                            open_call, applicant):  # fmt: skip
    application = make_application(open_call, applicant, name="数控车工技能大师工作室")
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(inspector)
    page.goto(f"{live_server.url}/oversight/")
    page.get_by_test_id("note-new").click()
    form = page.get_by_test_id("note-form")
    form.get_by_label("监督对象类型").select_option(label="申报")
    form.get_by_label("对象编号").fill(str(application.pk))
    form.get_by_label("责任部门").select_option(label="教学工作部")
    form.get_by_label("事由").fill("荣誉证书核验")
    form.get_by_label("监督意见").fill("请说明该申报所附荣誉证书的核验情况。")
    form.get_by_role("button", name="提出监督意见").click()
    expect(page.get_by_test_id("note-status")).to_have_text("待答复")
    expect(page.get_by_test_id("note-record")).to_contain_text("数控车工技能大师工作室")

    page.context.clear_cookies()
    sign_in(teaching_affairs)
    page.get_by_role("link", name="待答复的监督意见").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    answer = page.get_by_test_id("answer-form")
    answer.get_by_label("内容").fill("已与发证单位核实，证书真实有效。")
    answer.get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("note-status")).to_have_text("已答复")
    expect(page.get_by_test_id("entry-answer")).to_contain_text("证书真实有效")

    page.context.clear_cookies()
    sign_in(inspector)
    page.get_by_role("link", name="已答复待办结的监督意见").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    close = page.get_by_test_id("close-form")
    close.get_by_label("内容").fill("答复清楚，办结。")
    close.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("note-status")).to_have_text("已办结")
    screenshot("oversight-note-closed")

    page.goto(f"{live_server.url}/oversight/")
    expect(page.get_by_test_id("note-counts")).to_contain_text("已办结 1")
    expect(page.get_by_test_id("console-applications")).to_contain_text("1")
    assert not errors, errors


def test_inspector_adds_a_note_from_the_record_page(page, live_server, sign_in, screenshot, inspector, teaching_affairs,
                                                    open_call, applicant):  # fmt: skip
    """The 添加监督意见 button on an application's page opens the note form prefilled with that application; after the
    note the page shows 监督意见 1 条（未答复 1）, which lists exactly that note. 教学工作部 sees no button."""
    application = make_application(open_call, applicant, name="钳工技能大师工作室")
    Application.objects.filter(pk=application.pk).update(status="submitted", submitted_at=timezone.now())
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(inspector)
    record_url = f"{live_server.url}/applications/{application.pk}/"
    page.goto(record_url)
    page.get_by_test_id("add-note").click()
    form = page.get_by_test_id("note-form")
    expect(form.get_by_label("监督对象类型")).to_have_value("applications.application")
    expect(form.get_by_label("对象编号")).to_have_value(str(application.pk))
    form.get_by_label("责任部门").select_option(label="教学工作部")
    form.get_by_label("事由").fill("申报材料核验")
    form.get_by_label("监督意见").fill("请说明该申报的材料核验情况。")
    form.get_by_role("button", name="提出监督意见").click()
    expect(page.get_by_test_id("note-status")).to_have_text("待答复")

    page.goto(record_url)
    count = page.get_by_test_id("record-notes")
    expect(count).to_have_text("监督意见 1 条（未答复 1）")
    for width, height, name in ((1440, 900, "oversight-record-actions"), (390, 844, "oversight-record-actions-mobile")):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(name)
    page.set_viewport_size({"width": 1440, "height": 900})
    count.click()
    expect(page.get_by_test_id("one-record")).to_be_visible()
    expect(page.get_by_test_id("list-row")).to_have_count(1)
    expect(page.get_by_test_id("list-row")).to_contain_text("申报材料核验")

    page.context.clear_cookies()
    sign_in(teaching_affairs)
    page.goto(record_url)
    expect(page.get_by_role("heading", name="钳工技能大师工作室")).to_be_visible()
    expect(page.get_by_test_id("add-note")).to_have_count(0)
    assert not errors, errors
