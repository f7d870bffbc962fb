"""What keeps the lists and 我的工作台 fast at city scale (bench/RESULTS.md), asserted on behaviour and on the SQL sent:
the 系部 options are rebuilt from the rows each time (their HTML is reused only while the rows are the same), the
bounded COUNT selects only the key, and the workbench counts read only the rows that can be waiting for someone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus
from applications.models import Application, Call, Rubric
from core.lists import QuickSelect
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _select(html, name):
    start = html.index(f'<select name="{name}"')
    return html[start : html.index("</select>", start)]


def test_department_options_follow_a_rename_and_mark_the_chosen_one(client):
    dept_a = DepartmentFactory(code="CA", name="机械工程系")
    dept_b = DepartmentFactory(code="CB", name="电气<工程>系")
    client.force_login(UserFactory(username="T7001", department=dept_a))
    first = _select(client.get(reverse("studios:list")).content.decode(), "department")
    assert "机械工程系" in first and "电气&lt;工程&gt;系" in first and "<工程>" not in first
    assert " selected" in first.split("</option>")[0]  # 全部系部 when nothing is chosen

    dept_a.name = "智能制造系"
    dept_a.save(update_fields=["name"])
    chosen = _select(client.get(reverse("studios:list"), {"department": dept_b.pk}).content.decode(), "department")
    assert "智能制造系" in chosen and "机械工程系" not in chosen  # the same page reads the renamed row
    assert f'<option value="{dept_b.pk}" selected>' in chosen
    assert chosen.count(" selected") == 1


def test_quick_select_escapes_values_and_labels_and_marks_only_the_value():
    widget = QuickSelect(choices=[("", "全部"), ('a"b', "<甲>"), ("a", "乙"), (3, "丙")])
    html = widget.render("kind", 'a"b')
    assert '<option value="a&quot;b" selected>&lt;甲&gt;</option>' in html
    assert html.count(" selected") == 1
    assert '<option value="3">丙</option>' in QuickSelect(choices=[(3, "丙")]).render("kind", None)
    assert '<option value="3" selected>' in QuickSelect(choices=[(3, "丙")]).render("kind", 3)


def test_bounded_count_of_the_application_list_selects_only_the_key(client):
    """The applicant's shown name (blind review) is a subquery of the page rows, so the COUNT reads no user row."""
    ta = UserFactory(username="J7001", department=None, roles=[Role.TEACHING_AFFAIRS])
    rubric = Rubric.objects.create(name="计数评分标准")
    now = timezone.now()
    call = Call.objects.create(
        year=2026,
        title="计数批次",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9),
        policy_year=2026,
        rubric=rubric,
        created_by=ta,
    )
    for i in range(3):
        user = UserFactory(username=f"C{i:04d}", display_name=f"申报人{i}")
        Application.objects.create(
            call=call, applicant=user, department=user.department, studio_name=f"工作室{i}", status="submitted"
        )
    client.force_login(ta)
    response = client.get(reverse("applications:list"), {"q": "申报人1"})
    assert [a.studio_name for a in response.context["page"]] == ["工作室1"]  # the name is still searchable
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("applications:list"))
    assert len(response.context["page"]) == 3 and "申报人2" in response.content.decode()
    count_sql = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT("))
    assert count_sql.startswith('SELECT COUNT(*) FROM (SELECT "applications_application"."id" AS "pk" FROM')
    assert "accounts_user" not in count_sql and "display_name" not in count_sql


def test_workbench_counts_read_only_rows_that_wait(client):
    ta = UserFactory(username="J7002", department=None, roles=[Role.TEACHING_AFFAIRS])
    rubric = Rubric.objects.create(name="工作台评分标准")
    now = timezone.now()

    def call(year, status):
        return Call.objects.create(
            year=year,
            title=f"{year}批次",
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=9),
            policy_year=year,
            rubric=rubric,
            status=status,
            created_by=ta,
        )

    open_call, closed_call = call(2026, "open"), call(2025, "closed")
    S = ApplicationStatus
    for i, (status, c) in enumerate(
        [(S.UNDER_REVIEW, closed_call), (S.UNDER_REVIEW, open_call), (S.REVIEWED, open_call), (S.APPROVED, open_call)]
    ):
        user = UserFactory(username=f"W{i:04d}")
        Application.objects.create(call=c, applicant=user, department=user.department, status=status, studio_name="甲")
    # the officer's own drafts: one in the open call (waiting), one in a closed call (nothing to do any more)
    dept = DepartmentFactory(code="WB", name="工作台系")
    Application.objects.create(call=open_call, applicant=ta, department=dept, status=S.DRAFT, studio_name="乙")
    Application.objects.create(call=closed_call, applicant=ta, department=dept, status=S.DRAFT, studio_name="丙")
    client.force_login(ta)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    inbox = {entry.title: entry.count for entry in response.context["inbox"]}
    assert inbox["申报：专家评审中"] == 2 and inbox["申报：评审完成（待审议）"] == 1
    assert inbox["未提交的申报草稿"] == 1
    assert not any("已认定" in title for title in inbox)
    application_reads = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "applications_application"' in q["sql"] and "COUNT(" in q["sql"]
    ]
    assert application_reads and all(" WHERE " in sql for sql in application_reads)  # never every application
    plan_reads = [q["sql"] for q in captured.captured_queries if 'FROM "plans_plan"' in q["sql"]]
    assert all(" WHERE " in sql and "JOIN" not in sql for sql in plan_reads)
