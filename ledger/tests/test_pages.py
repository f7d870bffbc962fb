import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger import services
from ledger.enums import RecordStatus
from ledger.models import Activity, Attachment
from studios.models import Studio

from .helpers import activity_data, jpeg_with_gps, make_studio

pytestmark = pytest.mark.django_db


def test_master_records_with_photo_and_head_confirms(client, login, department, dept_head):
    studio, master, team, head = *make_studio(department), dept_head
    login(master)
    url = reverse("ledger:new", args=["activities"]) + f"?studio={studio.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'capture="environment"' in page.text and 'accept="image/*"' in page.text and "multiple" in page.text
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        url,
        {
            "date": day,
            "title": "实践教学：五轴编程",
            "description": "带学生上机。",
            "place": "school",
            "kind": "practice_teaching",
            "hours": "2",
            "participants": "40",
            "members": [team[0].pk],
            "photos": [jpeg_with_gps()],
            "action": "submit",
        },
    )
    record = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledger:detail", args=["activities", record.pk])
    assert record.status == RecordStatus.SUBMITTED
    assert Attachment.objects.filter(activity=record, kind="photo").exclude(thumbnail="").count() == 1
    client.logout()
    login(head)
    detail = client.get(response.url)
    assert 'data-testid="review-box"' in detail.text
    thumb = client.get(reverse("ledger:attachment_thumb", args=["activities", record.pk, record.attachments.get().pk]))
    assert thumb.status_code == 200 and thumb["X-Content-Type-Options"] == "nosniff"
    client.post(reverse("ledger:confirm", args=["activities", record.pk]))
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED
    assert list(Activity.objects.countable()) == [record]


def test_invalid_form_stores_nothing(client, login, department):
    studio, master, team = make_studio(department)
    login(master)
    url = reverse("ledger:new", args=["activities"]) + f"?studio={studio.pk}"
    response = client.post(
        url,
        {"date": "2999-01-01", "title": "x", "place": "school", "kind": "exchange", "hours": "1", "participants": "1"},
    )
    assert response.status_code == 200 and "不能晚于今天" in response.text
    response = client.post(
        url,
        {"date": "2025-01-01", "title": "x", "place": "partner", "kind": "exchange", "hours": "1", "participants": "1"},
    )
    assert "校企联办" in response.text
    assert not Activity.objects.exists()


def test_revoked_studio_pages_refuse(client, login, department, dept_head):
    studio, master, team = make_studio(department)
    record = services.create_record(Activity, studio=studio, by=master, data=activity_data())
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    login(master)
    assert client.get(reverse("ledger:new", args=["activities"]) + f"?studio={studio.pk}").status_code == 403
    assert client.post(reverse("ledger:submit", args=["activities", record.pk])).status_code == 403
    assert client.get(reverse("ledger:edit", args=["activities", record.pk])).status_code == 403
    assert client.get(reverse("ledger:detail", args=["activities", record.pk])).status_code == 200
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_return_from_page_names_missing_reason(client, login, department, dept_head):
    studio, master, team = make_studio(department)
    record = services.create_record(Activity, studio=studio, by=master, data=activity_data())
    services.submit_record(record, by=master)
    login(dept_head)
    response = client.post(reverse("ledger:return", args=["activities", record.pk]), {"reason": ""}, follow=True)
    assert "请填写退回原因" in response.text
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_batch_confirm_page(client, login, department, other_department, dept_head):
    studio, master, team = make_studio(department)
    records = [
        services.create_record(Activity, studio=studio, by=master, data=activity_data(title=f"记录{i}"))
        for i in range(3)
    ]
    for record in records[:2]:
        services.submit_record(record, by=master)
    login(dept_head)
    listing = client.get(reverse("ledger:activities") + "?status=submitted")
    assert listing.text.count('name="ids"') == 2
    response = client.post(
        reverse("ledger:batch_confirm", args=["activities"]), {"ids": [r.pk for r in records]}, follow=True
    )
    assert "已确认 2 条记录" in response.text and "「记录2」未确认" in response.text
    assert Activity.objects.filter(status=RecordStatus.CONFIRMED).count() == 2


def _seed(studio, by, head, count, start=0):
    for i in range(start, start + count):
        record = services.create_record(
            Activity,
            studio=studio,
            by=by,
            data=activity_data(title=f"活动{i}", date=timezone.localdate() - dt.timedelta(days=i)),
            member_ids=[by.pk],
        )
        if i % 2:
            services.submit_record(record, by=by)


@pytest.mark.parametrize("persona", ["master", "head", "teaching_affairs"])
def test_list_query_count_is_constant(client, login, department, dept_head, teaching_affairs, persona):
    studio, master, team = make_studio(department)
    user = {"master": master, "head": dept_head, "teaching_affairs": teaching_affairs}[persona]
    login(user)
    _seed(studio, master, dept_head, 3)
    url = reverse("ledger:activities")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _seed(studio, master, dept_head, 40, start=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url + "?page_size=50")
    assert response.status_code == 200 and response.text.count('data-testid="list-row"') == 43
    assert len(small) == len(large) <= 12, [q["sql"] for q in large.captured_queries]
    export = client.get(reverse("ledger:activities_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_inbox_and_studio_panel_one_query_each(department, dept_head):
    from core.navigation import inbox_for
    from ledger.panels import open_tasks, recent_panel

    studio, master, team = make_studio(department)
    _seed(studio, master, dept_head, 5)
    with CaptureQueriesContext(connection) as queries:
        entries = [e for e in inbox_for(dept_head) if "建设记录" in e.title]
    assert entries[0].count == 2
    with CaptureQueriesContext(connection) as panel_queries:
        context = recent_panel(studio, master)
        tasks = open_tasks(studio, master)
    assert len(context["recent"]) == 5 and "2 条" in tasks[0].title
    assert len(panel_queries) == 1  # the panel and the open task share one statement (studios.panels.page_memo)
    assert len([q for q in queries.captured_queries if "ledger_" in q["sql"]]) == 1
