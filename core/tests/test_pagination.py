import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Department
from core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    Department.objects.bulk_create(Department(code=f"P{i:03d}", name=f"系{i}") for i in range(45))
    return Department.objects.order_by("code")


def test_small_lists_are_counted_exactly(departments):
    page = CappedPaginator(departments, 10, cap=100).get_page(1)
    assert page.paginator.count == 45 and page.paginator.num_pages == 5
    assert page.paginator.capped is False
    assert [d.code for d in page] == [f"P{i:03d}" for i in range(10)]


def test_count_stops_at_the_cap_and_says_so(departments):
    page = CappedPaginator(departments, 10, cap=20).get_page(1)
    assert page.paginator.count == 20 and page.paginator.capped is True
    with CaptureQueriesContext(connection) as captured:
        CappedPaginator(departments, 10, cap=20).get_page(1).object_list  # noqa: B018
    count_sql = next(q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"].upper())
    assert "LIMIT" in count_sql.upper()  # the count runs over a bounded subquery


def test_deep_pages_stay_reachable_beyond_the_cap(departments):
    page = CappedPaginator(departments, 10, cap=20).get_page(4)
    assert page.number == 4
    assert [d.code for d in page] == [f"P{i:03d}" for i in range(30, 40)]
    assert page.has_next()


def test_bad_page_numbers_fall_back(departments):
    paginator = CappedPaginator(departments, 10, cap=20)
    assert paginator.get_page("abc").number == 1
    assert CappedPaginator(departments, 10, cap=100).get_page(999).number == 5
    assert CappedPaginator(departments, 10, cap=20).get_page("9" * 200).number >= 1  # no database overflow


def test_pagination_partial_marks_a_capped_total(rf, departments):
    from django.template.loader import render_to_string

    request = rf.get("/", {"page": "2"})
    capped = CappedPaginator(departments, 10, cap=20).get_page(2)
    exact = CappedPaginator(departments, 10, cap=100).get_page(2)
    assert "共 3+ 页" in render_to_string("partials/pagination.html", {"page": capped, "request": request})
    assert "共 5 页" in render_to_string("partials/pagination.html", {"page": exact, "request": request})


def test_count_query_does_not_sort(departments):
    with CaptureQueriesContext(connection) as captured:
        CappedPaginator(departments, 10, cap=20).get_page(1).object_list  # noqa: B018
    count_sql = next(q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"].upper())
    assert "ORDER BY" not in count_sql.upper()


def test_plain_lists_can_be_paginated():
    page = CappedPaginator(list(range(45)), 10, cap=20).get_page(2)
    assert list(page) == list(range(10, 20)) and page.paginator.count == 30 and page.paginator.capped


def test_department_options_escape_names_and_mark_the_selected_one(departments):
    from django.template import Context, Template

    Department.objects.filter(code="P001").update(name="<b>机械</b>")
    chosen = Department.objects.get(code="P002")
    html = Template("{% load platform_tags %}{% department_options departments selected %}").render(
        Context({"departments": Department.objects.filter(code__in=["P001", "P002"]), "selected": str(chosen.pk)})
    )
    assert "&lt;b&gt;机械&lt;/b&gt;" in html and "<b>" not in html
    assert f'<option value="{chosen.pk}" selected>' in html
    assert html.count(" selected") == 1
