"""Studio operations in a real browser (issue 10, Done when): a master records an activity with a phone photo at
390 px and sees the actual rise after the department head confirms it; teaching affairs registers a historical
studio through the page; a master adds a member at 390 px with the member picker."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from core.models import AuditEvent
from ledger import services as ledger_services
from ledger.demo import demo_photo
from ledger.enums import AttachmentKind, RecordStatus
from ledger.models import Activity
from studios.models import Membership, Studio
from studios.tests.factories import make_studio
from tests.e2e.helpers import pick_member, watch_console
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def team():
    department = DepartmentFactory(code="DQ", name="电气工程系")
    office = UserFactory(username="J0001", display_name="孙丽", department=None, roles=[Role.TEACHING_AFFAIRS])
    head = UserFactory(username="H2001", display_name="周立新", department=department, roles=[Role.DEPT_HEAD])
    master = UserFactory(username="T2001", display_name="刘洋", department=department)
    studio = make_studio(office, master=master, department=department, cores=3, name="工业机器人技能大师工作室")
    return {"department": department, "office": office, "head": head, "master": master, "studio": studio}


def _sign_out(page):
    page.context.clear_cookies()


def _actual(page, key):
    row = page.get_by_test_id("plan-vs-actual").locator(f'tr[data-key="{key}"]')
    return row.get_by_test_id("confirmed"), row.get_by_test_id("waiting")


def test_master_records_an_activity_with_a_phone_photo_and_the_actual_rises_after_confirmation(
    page, live_server, sign_in, screenshot, team
):
    errors = watch_console(page)
    master, head, studio = team["master"], team["head"], team["studio"]
    page.set_viewport_size(PHONE)
    sign_in(master)
    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    page.get_by_test_id("record-activity").click()
    expect(page.get_by_role("heading", name="新增活动记录")).to_be_visible()

    today = timezone.localdate()
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("标题").fill("企业职工工业机器人操作培训")
    page.get_by_label("活动类型").select_option(label="社会培训")
    page.get_by_label("学时").fill("8")
    page.get_by_label("参与人次").fill("25")
    page.get_by_label("刘洋").check()
    camera = page.get_by_label("现场照片（可拍照，可多选）")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    with page.expect_file_chooser() as chooser:
        camera.click()
    assert chooser.value.is_multiple()
    chooser.value.set_files(
        [{"name": "IMG_20261129_101500.jpg", "mimeType": "image/jpeg", "buffer": demo_photo("社会培训", seed=7)}]
    )
    screenshot("studio-ops-record-form-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_test_id("save-submit").click()

    expect(page.get_by_test_id("record-status")).to_have_text("待系部审核")
    expect(page.get_by_test_id("attachments").get_by_role("img", name="现场照片")).to_be_visible()
    record = Activity.objects.get(studio=studio, title="企业职工工业机器人操作培训")
    assert record.status == RecordStatus.SUBMITTED and record.participants == 25 and record.date == today
    photo = record.attachments.get()
    assert photo.kind == AttachmentKind.PHOTO and photo.thumbnail and photo.original_name == "IMG_20261129_101500.jpg"

    page.goto(f"{live_server.url}/plans/actual/studio/{studio.pk}/?year={today.year}")
    confirmed, waiting = _actual(page, "social_training")
    expect(confirmed).to_have_text("0")
    expect(waiting).to_have_text("25")

    _sign_out(page)
    page.set_viewport_size(DESKTOP)
    sign_in(head)
    page.goto(f"{live_server.url}/ledger/review/")
    page.get_by_test_id("review-queue").get_by_role("link", name="活动记录").click()
    page.get_by_role("link", name="企业职工工业机器人操作培训").click()
    page.get_by_test_id("confirm-record").click()
    expect(page.get_by_test_id("record-status")).to_have_text("已确认")
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.reviewed_by_id == head.pk

    _sign_out(page)
    page.set_viewport_size(PHONE)
    sign_in(master)
    page.goto(f"{live_server.url}/plans/actual/studio/{studio.pk}/?year={today.year}")
    confirmed, waiting = _actual(page, "social_training")
    expect(confirmed).to_have_text("25")
    expect(waiting).to_have_text("0")
    screenshot("studio-ops-plan-vs-actual-390")
    page.goto(f"{live_server.url}/studios/{studio.pk}/")  # the studio page's 年度目标与完成 says the same
    on_studio_page = page.get_by_test_id("panel-plans_targets").locator('tr[data-key="social_training"]')
    expect(on_studio_page.get_by_test_id("confirmed")).to_have_text("25")
    page.goto(f"{live_server.url}/plans/actual/studio/{studio.pk}/?year={today.year}")
    confirmed.get_by_role("link").click()  # the click-through lists exactly the record that counts
    expect(page.get_by_role("link", name="企业职工工业机器人操作培训")).to_be_visible()
    assert errors == []


def test_teaching_affairs_registers_a_historical_studio_through_the_page(page, live_server, sign_in, screenshot, team):
    errors = watch_console(page)
    department = team["department"]
    master = UserFactory(username="T3001", display_name="黄师傅", department=department)
    cores = [
        UserFactory(username=f"T300{i}", display_name=name, department=department)
        for i, name in ((2, "钱一"), (3, "孙二"), (4, "李三"))
    ]
    page.set_viewport_size(DESKTOP)
    sign_in(team["office"])
    page.goto(f"{live_server.url}/studios/")
    page.get_by_test_id("register-studio").click()  # the list offers it to teaching affairs
    expect(page.get_by_role("heading", name="登记历史工作室")).to_be_visible()
    page.get_by_label("工作室名称").fill("电气控制技能大师工作室")
    page.get_by_label("认定文号").fill("渝工校〔2022〕8号")
    page.get_by_label("认定日期").fill("2022-06-01")
    pick_member(page, "技能大师", "黄师", "黄师傅")
    page.get_by_label("所在系部").select_option(label="电气工程系")
    page.get_by_label("设立方式").select_option(label="学校单独创办")
    page.get_by_label("校内主场地").fill("电气实训楼 B102")
    for user in cores:
        pick_member(page, "骨干教师", user.username, user.display_name)
    screenshot("studio-ops-register-1440")
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("registered-badge")).to_be_visible()
    studio = Studio.objects.get(official_name="电气控制技能大师工作室")
    assert (
        studio.source == "registered"
        and studio.master_id == master.pk
        and studio.document_number == "渝工校〔2022〕8号"
    )
    current = Membership.objects.filter(studio=studio, left_on__isnull=True)
    assert set(current.filter(role="core").values_list("user_id", flat=True)) == {u.pk for u in cores}
    assert AuditEvent.objects.filter(action="studios.studio.registered", object_id=str(studio.pk)).exists()
    for user in cores:
        expect(page.get_by_test_id("member-table")).to_contain_text(user.display_name)
    assert errors == []


def test_master_adds_a_member_with_the_picker_at_phone_width(page, live_server, sign_in, screenshot, team):
    errors = watch_console(page)
    master, studio, department = team["master"], team["studio"], team["department"]
    newcomer = UserFactory(username="T2009", display_name="邓雪", department=department)
    page.set_viewport_size(PHONE)
    sign_in(master)
    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    page.get_by_test_id("add-member").click()
    expect(page.get_by_role("heading", name="添加成员")).to_be_visible()

    # A current member is offered disabled, with the reason.
    core = Membership.objects.filter(studio=studio, role="core").select_related("user").first().user
    # tom-select replaces the <select> once its script has run: wait for it, or a slow machine finds the native
    # select first and the click lands on the picker that then covers it
    page.locator(".ts-wrapper").wait_for()
    box = page.get_by_role("combobox", name="成员")
    box.click()
    box.fill(core.username)
    dropdown = page.locator(f"#{box.get_attribute('aria-controls')}")
    expect(dropdown).to_contain_text("不可选择：已是本工作室的在册成员")
    box.fill("")
    page.keyboard.press("Escape")

    pick_member(page, "成员", "T2009", "邓雪")
    page.get_by_label("角色").select_option(label="骨干教师")
    page.get_by_label("加入原因").fill("新进骨干教师")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("studio-ops-member-add-390")
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("member-table")).to_contain_text("邓雪")
    membership = Membership.objects.get(studio=studio, user=newcomer, left_on__isnull=True)
    assert membership.role == "core" and membership.join_reason == "新进骨干教师"
    assert AuditEvent.objects.filter(action="studios.membership.added", object_id=str(studio.pk)).exists()
    assert errors == []


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_studio_ledger_and_form_fit_a_phone_and_a_desktop(page, live_server, sign_in, team):
    """The studio page, a ledger list, the record form and plan-vs-actual at 390×844 and 1440×900: nothing wider
    than the screen (no sideways scrolling on a phone), every button named. Screenshots land in var/screenshots/
    (not committed) for a person to look at."""
    master, studio = team["master"], team["studio"]
    member = Membership.objects.filter(studio=studio, role="core").select_related("user").first().user
    for i, kind in enumerate(("social_training", "exchange", "promotion")):
        record = ledger_services.create_record(
            Activity,
            studio=studio,
            by=master,
            data={
                "date": timezone.localdate(),
                "title": f"一个很长的活动标题，用来检查手机上的卡片布局是否会撑破屏幕宽度（第{i + 1}条）",
                "kind": kind,
                "hours": 4,
                "participants": 30 + i,
                "place": "school",
                "place_detail": "",
                "description": "",
            },
            member_ids=[master.pk, member.pk],
        )
        ledger_services.add_attachment(
            record,
            by=master,
            kind=AttachmentKind.PHOTO,
            upload=SimpleUploadedFile("photo.jpg", demo_photo("现场", seed=i), content_type="image/jpeg"),
        )
        ledger_services.submit_record(record, by=master)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(master)
    pages = {
        "studio": f"/studios/{studio.pk}/",
        "ledger-list": "/ledger/activities/",
        "record-form": f"/ledger/activities/new/?studio={studio.pk}",
        "record": f"/ledger/activities/{record.pk}/",
        "plan-vs-actual": f"/plans/actual/studio/{studio.pk}/",
    }
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for name, path in pages.items():
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{path} is {width} px wide at {size['width']} px"
            unnamed = page.evaluate(
                """() => [...document.querySelectorAll('main button, main a.btn, main [role=button]')]
                     .filter(b => b.checkVisibility() && !(b.textContent.trim() || b.getAttribute('aria-label')
                                                                || b.getAttribute('title')))
                     .map(b => b.outerHTML.slice(0, 80))"""
            )
            assert unnamed == [], f"{path}: buttons without a name {unnamed}"
