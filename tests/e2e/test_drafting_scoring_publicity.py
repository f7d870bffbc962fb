# ruff: noqa: F811 — the application fixtures are imported below and then requested by name as test arguments
"""Issue 9 items 5–9 in a real browser: the member picker finds a person by 工号 and refuses a conflicted officer; a
draft attachment is replaced (the old file leaves storage); the score sheet's live weighted total follows the typing
and matches the server's; the publicity form shows the computed end live. Every page is watched for console errors
(CSP refusals included). Screenshots at 1440×900 and 390×844 land in test-artifacts/ (evidence, not compared)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import Application, Attachment, ReviewAssignment

# The application process fixtures (an open call, an eligible applicant's draft, the walk along the real path).
from applications.tests.conftest import (  # noqa: F401
    clock,
    committee,
    complete_draft,
    core_teachers,
    draft,
    eligible_applicant,
    experts,
    major,
    open_call,
    rubric,
    walk,
)
from tests.e2e.helpers import pick_member, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def console(page):
    errors = watch_console(page)
    yield errors
    assert errors == [], errors


@pytest.fixture
def as_user(page, live_server, password):
    def _as(user, path="/"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("工号").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{path}")
        return page

    return _as


def _shots(page, screenshot, name, before=None):
    """Both sizes; `before(page)` re-opens whatever must be open (a dropdown) after the resize. At the phone width
    nothing may be wider than the screen."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        if before:
            before(page)
        screenshot(f"issue9-{name}-{size}")
        if size == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name}: the page is {overflow}px wider than a 390px phone"
    page.set_viewport_size(SIZES["desktop"])


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def test_member_picker_finds_by_worker_number_and_refuses_a_conflicted_officer(
    page, as_user, screenshot, console, draft, applicant, core_teachers, dept_head
):
    as_user(applicant, f"/applications/{draft.pk}/edit/")
    page.get_by_label("拟申办工作室名称").fill("数控车工技能大师工作室")
    teacher = core_teachers[0]
    pick_member(page, "骨干教师", teacher.username, teacher.display_name)

    # The only head of the applicant's department would leave 系部推荐 without an unconflicted officer: shown, disabled,
    # with the reason; clicking it adds nothing.
    box = page.get_by_role("combobox", name="骨干教师")
    box.fill(dept_head.username)
    dropdown = page.locator("#id_core_members-ts-dropdown")
    head_option = dropdown.locator(".option").filter(has_text=dept_head.display_name)
    expect(head_option).to_contain_text("不可选择")
    expect(head_option).to_contain_text("系部主任")
    expect(head_option).to_have_attribute("aria-disabled", "true")
    _shots(page, screenshot, "edit-picker-open", before=lambda p: (box.click(), box.fill(dept_head.username)))
    head_option.click(force=True)
    page.keyboard.press("Escape")
    wrapper = page.locator("#id_core_members-ts-control").locator("xpath=ancestor::div[contains(@class,'ts-wrapper')]")
    expect(wrapper.locator(".item")).to_have_count(1)

    # The same person in the other role is refused with a message, not silently dropped.
    other = page.get_by_role("combobox", name="其他成员")
    other.click()
    other.fill(teacher.username)
    page.locator("#id_other_members-ts-dropdown [data-selectable]").filter(has_text=teacher.display_name).click()
    expect(page.locator(".member-picker-message").filter(has_text="同一人只能担任一种角色")).to_contain_text(
        teacher.display_name
    )
    page.keyboard.press("Escape")

    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-danger")).to_have_count(0)
    app = Application.objects.get(pk=draft.pk)
    assert list(app.members.values_list("user__username", "role")) == [(teacher.username, "core")]
    assert app.studio_name == "数控车工技能大师工作室"
    # after the reload the chosen person is a tag again
    expect(wrapper.locator(".item").filter(has_text=teacher.display_name)).to_be_visible()


def test_a_draft_attachment_is_replaced_and_the_old_file_leaves_storage(
    page, as_user, screenshot, console, draft, applicant
):
    as_user(applicant, f"/applications/{draft.pk}/edit/")
    page.get_by_label("材料类别").select_option(label="申报表（签字扫描件）")
    page.get_by_label("文件（PDF/JPG/PNG/DOCX）").set_input_files(_pdf("申报表初稿.pdf"))
    page.get_by_role("button", name="上传").click()
    rows = page.get_by_test_id("attachment-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("申报表初稿.pdf")
    old = Attachment.objects.get(application=draft)
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)

    rows.get_by_text("替换文件").click()
    rows.get_by_label("替换「申报表初稿.pdf」的新文件").set_input_files(_pdf("申报表签字版.pdf"))
    rows.get_by_role("button", name="替换", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("材料已替换")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("申报表签字版.pdf")
    expect(rows).not_to_contain_text("申报表初稿.pdf")
    [new] = Attachment.objects.filter(application=draft)
    assert new.original_name == "申报表签字版.pdf" and new.file.name != old_name
    assert storage.exists(new.file.name) and not storage.exists(old_name)
    # the link opens the new file through the permission-checked download
    with page.expect_download() as download:
        rows.get_by_role("link", name="申报表签字版.pdf").click()
    assert download.value.suggested_filename == "申报表签字版.pdf"


def test_score_sheet_live_total_follows_typing_and_matches_the_server(
    page, as_user, screenshot, console, complete_draft, walk
):
    app = walk(complete_draft, "under_review")
    assignment = ReviewAssignment.objects.select_related("expert").filter(application=app).first()
    services.declare_no_conflict(assignment, by=assignment.expert)
    as_user(assignment.expert, f"/applications/reviews/{assignment.pk}/")
    total = page.locator("#live-total-value")
    expect(total).to_have_text("—（还有 3 项未评分）")
    page.get_by_label("技能大师水平").fill("9")  # weights 40/30/30, 0–10 each
    expect(total).to_have_text("36.00（还有 2 项未评分）")
    page.get_by_label("团队结构").fill("8")
    page.get_by_label("工作计划与方向").fill("7")
    expect(total).to_have_text("81.00")
    page.get_by_label("团队结构").fill("12")
    expect(total).to_have_text("有分数超出范围")
    page.get_by_label("团队结构").fill("8.5")
    expect(total).to_have_text("82.50")
    page.get_by_label("评审意见").fill("材料齐全，团队结构合理。")
    page.get_by_label("评审建议").select_option(value="recommend")
    _shots(page, screenshot, "scoring")
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".alert-success")).to_contain_text("评分已提交，加权总分 82.50")
    assignment.refresh_from_db()
    assert assignment.status == "submitted" and str(assignment.total) == "82.50"


def test_publicity_form_shows_the_computed_end_live(
    page, as_user, screenshot, console, complete_draft, walk, teaching_affairs
):
    app = walk(complete_draft, "proposed")
    as_user(teaching_affairs, f"/applications/publicity/new/{app.call_id}/")
    period = page.get_by_test_id("computed-period")
    expect(period).to_contain_text("个工作日")
    first = period.inner_text()
    start = (timezone.localtime() + dt.timedelta(days=21)).replace(hour=9, minute=0)
    page.get_by_label("公示开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    expect(period).not_to_have_text(first)
    expect(period).to_contain_text(f"{start.year}年{start.month}月{start.day}日 09:00 至")
    expect(page.get_by_test_id("backdate-note")).to_have_count(0)
    earlier = timezone.localtime() - dt.timedelta(days=2)
    page.get_by_label("公示开始时间").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    expect(page.get_by_test_id("backdate-note")).to_be_visible()
    expect(period).to_contain_text(f"{earlier.month}月{earlier.day}日")
    _shots(page, screenshot, "publicity-form")


def test_objection_under_investigation_and_the_approval_summary(
    page, as_user, screenshot, console, complete_draft, walk, teaching_affairs, outsider, clock
):
    app = walk(complete_draft, "in_publicity")
    objection = services.lodge_objection(app.publicity, app, by=outsider, content="申报人企业工作年限可能不足三年。")
    services.start_investigation(objection, by=teaching_affairs)
    as_user(teaching_affairs, f"/applications/objections/{objection.pk}/")
    expect(page.get_by_test_id("objection-status")).to_contain_text("调查中")
    page.get_by_label("调查材料（PDF/JPG/PNG/DOCX/XLSX）").set_input_files(_pdf("调查笔录.pdf"))
    page.get_by_role("button", name="上传调查材料").click()
    expect(page.get_by_role("link", name="调查笔录.pdf")).to_be_visible()
    expect(page.get_by_label("异议成立", exact=True)).not_to_be_checked()
    expect(page.get_by_label("异议不成立")).not_to_be_checked()
    _shots(page, screenshot, "objection-investigating")
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查情况与结论").fill("经核查劳动合同与社保记录，企业工作满四年，异议不成立。")
    page.get_by_role("button", name="记录调查结论").click()
    expect(page.get_by_test_id("objection-status")).to_contain_text("异议不成立")

    clock.set(app.publicity.ends_at + dt.timedelta(minutes=5))
    as_user(teaching_affairs, f"/applications/{app.pk}/approve/")
    summary = page.get_by_test_id("approval-summary")
    for text in ("数控车工技能大师工作室", "申报人甲", "骨干教师11", "收到异议 1 件", "异议不成立"):
        expect(summary).to_contain_text(text)
    _shots(page, screenshot, "approval-summary")
