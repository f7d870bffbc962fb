"""Year-end archiving in a real browser (issue 11, Done when): teaching affairs opens a studio's archive of last year,
sees the checklist, archives the year with an override reason, and the year's activity record then shows as frozen
(已归档) on its page; the master adds an addendum there, shown beside the record."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from archive.models import Addendum, YearArchive
from ledger.models import Activity
from studios.tests.factories import make_studio
from tests.e2e.helpers import watch_console
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = dt.date.today().year - 1


def test_a_year_is_archived_and_its_record_shows_as_frozen(page, live_server, sign_in, screenshot):
    errors = watch_console(page)
    department = DepartmentFactory(code="JX", name="机械工程系")
    office = UserFactory(username="J0001", display_name="孙丽", department=None, roles=[Role.TEACHING_AFFAIRS])
    master = UserFactory(username="T2001", display_name="刘洋", department=department)
    studio = make_studio(office, master=master, department=department, cores=3, name="数控车工技能大师工作室")
    record = Activity.objects.create(
        studio=studio, date=dt.date(YEAR, 5, 20), title="数控车工技能交流", kind="exchange", created_by=master
    )

    sign_in(office)
    page.goto(f"{live_server.url}/archive/studio/{studio.pk}/{YEAR}/")
    expect(page.get_by_role("heading", name=f"数控车工技能大师工作室 · {YEAR}年度档案")).to_be_visible()
    expect(page.get_by_test_id("checklist")).to_contain_text("尚未上传")
    page.get_by_placeholder("搜索标题或说明").fill("数控")
    page.get_by_test_id("archive-filter").get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("archive-items")).to_contain_text("数控车工技能交流")
    page.get_by_label("缺项放行理由（有缺项时必填）").fill("年度总结随后补交，先行归档")
    page.get_by_role("button", name=f"归档{YEAR}年度").click()
    expect(page.get_by_test_id("archived")).to_contain_text("已于")
    screenshot("archive-year-archived")
    assert YearArchive.objects.filter(studio=studio, year=YEAR).exists()

    page.context.clear_cookies()
    sign_in(master)
    page.goto(f"{live_server.url}/ledger/activities/{record.pk}/")
    expect(page.get_by_test_id("frozen")).to_contain_text("已归档")
    page.get_by_label("补充原因").fill("参与人次漏记")
    page.get_by_label("补充说明").fill("补充：本次交流参与人次为 32。")
    page.get_by_role("button", name="添加补充说明").click()
    expect(page.get_by_test_id("addenda")).to_contain_text("补充：本次交流参与人次为 32。")
    assert Addendum.objects.filter(object_type="ledger.activity", object_id=record.pk).count() == 1
    record.refresh_from_db()
    assert record.title == "数控车工技能交流"
    assert not errors, errors
