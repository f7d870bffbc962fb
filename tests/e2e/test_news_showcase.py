"""Issue 13 in the browser: a studio's master writes a post (宣传报道) with a photo and submits it; the head of the
studio's department finds it on 我的工作台 (待审核的宣传报道) and publishes it through the decision box; an anonymous
visitor then finds the studio on the public showcase (/showcase/, no login), opens its page and the post — on a
desktop and at phone width (390×844, no horizontal scrolling). No console error (CSP)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.enums import Role
from ledger.tests.helpers import make_studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_written_by_master_approved_by_head_appears_on_showcase(page, live_server, sign_in, screenshot, tmp_path):
    department = DepartmentFactory(code="NS", name="电气工程系")
    studio, master, _team = make_studio(department, name="电工技能大师工作室")
    head = UserFactory(department=department, display_name="周主任", roles=[Role.DEPT_HEAD])
    errors = watch_console(page)
    page.set_default_timeout(120_000)

    sign_in(master)
    page.goto(f"{live_server.url}/news/posts/")
    page.get_by_test_id("post-new").click()
    form = page.get_by_test_id("post-form")
    form.get_by_label("标题").fill("工作室承办电工技能集训")
    form.get_by_label("正文").fill("二十名选手参加集训，技能大师现场示范。")
    form.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("post-status")).to_have_text("草稿")
    photo = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (20, 120, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    upload = page.get_by_test_id("photo-form")
    upload.get_by_label("照片（JPG/PNG）").set_input_files(str(photo))
    upload.get_by_label("照片说明").fill("集训现场")
    upload.get_by_role("button", name="上传照片").click()
    page.get_by_test_id("submit-post").click()
    expect(page.get_by_test_id("post-status")).to_have_text("待系部审核")

    page.context.clear_cookies()
    sign_in(head)
    page.get_by_role("link", name="待审核的宣传报道").first.click()
    page.get_by_test_id("list-row").first.get_by_role("link").first.click()
    box = page.get_by_test_id("decision-box")
    box.get_by_label("审核通过并发布").check()
    box.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("post-status")).to_have_text("已发布")

    page.context.clear_cookies()
    for width, height, name in ((1440, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/showcase/?q=电工")
        card = page.get_by_test_id("studio-card").filter(has_text=studio.plaque_name)
        expect(card).to_contain_text(master.display_name)
        card.get_by_role("link").click()
        expect(page.get_by_test_id("plaque-name")).to_have_text(studio.plaque_name)
        page.get_by_test_id("post-card").filter(has_text="工作室承办电工技能集训").get_by_role("link").click()
        expect(page.get_by_test_id("post-title")).to_have_text("工作室承办电工技能集训")
        expect(page.locator("article img")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        screenshot(f"showcase-post-{name}")
    assert not errors, errors
