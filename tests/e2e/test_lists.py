"""Every main list exports the filtered rows to xlsx with the same rows the page shows; on a phone rows are cards with
their actions visible (issue 9 item 10)."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.enums import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.lists.test_lists import add_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (list path, how to filter it in the toolbar: field label → option label or text)
LISTS = [
    ("/applications/", {"系部": "机械工程系"}),
    ("/applications/calls/", {"年度": "2005年"}),
    ("/studios/", {"系部": "机械工程系"}),
    ("/people/staff/", {"系部": "机械工程系"}),
    ("/accounts/users/", {"系部": "机械工程系"}),
    ("/audit/", {"动作前缀": "tests.lists"}),
]


def _first_cells(page):
    rows = page.get_by_test_id("list-row")
    return [rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())]


def test_every_list_exports_exactly_the_rows_it_shows(page, live_server, sign_in, screenshot):
    people = {
        "dept_a": DepartmentFactory(code="LA", name="机械工程系"),
        "dept_b": DepartmentFactory(code="LB", name="电气工程系"),
        "ta": UserFactory(
            username="J0001",
            display_name="王老师",
            department=None,
            roles=[Role.TEACHING_AFFAIRS, Role.HR, Role.ADMIN],
        ),
    }
    add_rows(people, 0, 12)
    sign_in(people["ta"])
    for path, filters in LISTS:
        page.goto(f"{live_server.url}{path}")
        toolbar = page.get_by_test_id("list-filter")
        everything = page.get_by_test_id("list-row").count()
        for label, value in filters.items():
            field = toolbar.get_by_label(label, exact=False)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        toolbar.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        shown = _first_cells(page)
        assert 0 < len(shown) < everything, f"{path}: the filter must narrow the list ({len(shown)} of {everything})"
        with page.expect_download() as download:
            page.get_by_test_id("list-export").click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        exported = [str(row[0]) for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert exported == shown, f"{path}: exported {exported} but the page shows {shown}"
        assert download.value.suggested_filename.endswith(".xlsx")


def test_on_a_phone_rows_are_cards_with_their_actions(page, live_server, sign_in, screenshot):
    people = {
        "dept_a": DepartmentFactory(code="LA", name="机械工程系"),
        "dept_b": DepartmentFactory(code="LB", name="电气工程系"),
        "ta": UserFactory(username="J0001", display_name="王老师", department=None, roles=[Role.TEACHING_AFFAIRS]),
    }
    add_rows(people, 0, 2)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(people["ta"])
    page.goto(f"{live_server.url}/applications/calls/")
    table = page.get_by_test_id("call-table")
    expect(table.locator("thead")).to_be_hidden()
    first = page.get_by_test_id("list-row").first
    button = first.get_by_role("link", name="评分汇总")
    expect(button).to_be_visible()
    box, viewport = button.bounding_box(), page.viewport_size
    assert box["x"] + box["width"] <= viewport["width"], "the row action must be reachable without scrolling sideways"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1
    screenshot("lists-phone-cards")
