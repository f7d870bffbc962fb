"""Pages and API of 年度工作报告: the writer's form and submit (with its confirmation), the reviewers' decision box,
the list and the submission overview (filters, export, query counts at 1 and many studios), the PDF, the panel and
the inbox; the API does the same through the same services."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from annual import services
from annual.models import AnnualReport, ReportStatus
from core.navigation import inbox_for
from ledger.tests.helpers import make_studio

from .helpers import TEXT, achievement, last_year, studio_with_report

pytestmark = pytest.mark.django_db


def test_master_writes_submits_head_checks_office_receives_in_pages(client, department, dept_head, teaching_affairs):
    year = last_year()
    import datetime as dt

    studio, master, _team = make_studio(department, since=dt.date(year - 1, 1, 1))
    landmark = achievement(studio, master)
    client.force_login(master)
    page = client.get(reverse("annual:studio_year", args=[studio.pk, year]))
    assert page.status_code == 200 and "保存草稿" in page.content.decode()
    response = client.post(reverse("annual:studio_year", args=[studio.pk, year]), {**TEXT, "landmarks": [landmark.pk]})
    report = AnnualReport.objects.get(studio=studio, year=year)
    assert response.url == reverse("annual:report", args=[report.pk])
    assert list(report.landmarks.values_list("pk", flat=True)) == [landmark.pk]

    url = reverse("annual:submit", args=[report.pk])
    unconfirmed = client.post(url)
    assert "确认提交" in unconfirmed.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    client.post(url, {"confirmed": "1"})
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    client.force_login(dept_head)
    assert any(e.title == "待系部审核的年度工作报告" and e.count == 1 for e in inbox_for(dept_head))
    page = client.get(reverse("annual:report", args=[report.pk])).content.decode()
    assert 'data-testid="decision-box"' in page
    refused = client.post(reverse("annual:decide", args=[report.pk]), {"target": "returned", "note": ""})
    assert refused.status_code == 302 and AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    client.post(reverse("annual:decide", args=[report.pk]), {"target": "checked", "note": "同意"})
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.CHECKED

    client.force_login(teaching_affairs)
    assert any(e.title == "待接收的年度工作报告" and e.count == 1 for e in inbox_for(teaching_affairs))
    client.post(reverse("annual:decide", args=[report.pk]), {"target": "received", "note": ""})
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.RECEIVED
    pdf = client.get(reverse("annual:pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_nominating_another_studios_achievement_in_the_form_changes_nothing(client, department, other_department):
    studio, master, _t, report = studio_with_report(department)
    other, other_master, _ = make_studio(other_department, name="焊接技能大师工作室")
    foreign = achievement(other, other_master)
    client.force_login(master)
    page = client.post(
        reverse("annual:studio_year", args=[studio.pk, report.year]),
        {**TEXT, "highlights": "改", "landmarks": [foreign.pk]},
    )
    assert page.status_code == 200 and "已由系部确认的成果" in page.content.decode()
    report.refresh_from_db()
    assert report.highlights == TEXT["highlights"] and not report.landmarks.exists()


def test_master_inbox_and_studio_panel(client, department):
    year = last_year()
    import datetime as dt

    studio, master, _team = make_studio(department, since=dt.date(year - 1, 1, 1))
    entries = [e for e in inbox_for(master) if "年度工作报告待提交" in e.title]
    assert len(entries) == 1 and entries[0].url == reverse("annual:studio_year", args=[studio.pk, year])
    client.force_login(master)
    page = client.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert 'data-testid="annual-panel"' in page and "尚未撰写" in page
    report = services.save_report(by=master, studio=studio, year=year, data=TEXT)
    services.submit_report(report, by=master)
    assert not [e for e in inbox_for(master) if "年度工作报告待提交" in e.title]


def _studios(department, n, year):
    import datetime as dt

    made = []
    for i in range(n):
        studio, master, _ = make_studio(department, name=f"工作室{i}", members=0, since=dt.date(year - 1, 1, 1))
        report = services.save_report(by=master, studio=studio, year=year, data=TEXT)
        if i % 2 == 0:
            services.submit_report(report, by=master)
        made.append(studio)
    return made


@pytest.mark.parametrize("url_name", ["annual:list", "annual:status"])
def test_query_count_same_at_1_and_many(client, department, teaching_affairs, url_name):
    year = last_year()
    client.force_login(teaching_affairs)
    _studios(department, 1, year)
    url = reverse(url_name) + f"?year={year}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _studios(department, 12, year)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count('data-testid="list-row"') == 13
    assert len(many) == len(one)


def test_status_overview_counts_missing_and_export(client, department, other_department, teaching_affairs, dept_head):
    year = last_year()
    import datetime as dt

    _studios(department, 3, year)  # 2 submitted, 1 draft
    make_studio(other_department, name="未撰写工作室", members=0, since=dt.date(year - 1, 1, 1))
    client.force_login(teaching_affairs)
    page = client.get(reverse("annual:status") + f"?year={year}").content.decode()
    assert 'data-testid="count-owed">4<' in page and 'data-testid="count-submitted">2<' in page
    assert 'data-testid="count-missing">2<' in page
    missing = client.get(reverse("annual:status") + f"?year={year}&state=missing").content.decode()
    assert missing.count('data-testid="list-row"') == 2 and "未撰写工作室" in missing
    export = client.get(reverse("annual:status_export") + f"?year={year}&state=missing")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "工作室" and {r[0] for r in rows[2:]} == {"工作室1", "未撰写工作室"}
    # a department head sees his department only
    client.force_login(dept_head)
    page = client.get(reverse("annual:status") + f"?year={year}").content.decode()
    assert 'data-testid="count-owed">3<' in page and "未撰写工作室" not in page
    api = client.get(reverse("api:annual_status") + f"?year={year}").json()
    assert api["owed"] == 3 and api["submitted"] == 2 and [s["studio"] for s in api["missing_studios"]] == ["工作室1"]


def test_list_filters_and_export(client, department, teaching_affairs):
    year = last_year()
    _studios(department, 3, year)
    client.force_login(teaching_affairs)
    page = client.get(reverse("annual:list") + "?status=submitted").content.decode()
    assert page.count('data-testid="list-row"') == 2
    export = client.get(reverse("annual:list_export") + "?status=draft")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[2:]] == ["工作室1"] and rows[2][4] == "草稿"


def test_api_write_submit_check_return_receive(client, department, dept_head, teaching_affairs, other_department):
    year = last_year()
    import datetime as dt

    studio, master, _t = make_studio(department, since=dt.date(year - 1, 1, 1))
    landmark = achievement(studio, master)
    client.force_login(master)
    created = client.post(
        reverse("api:annual_report_create"), {"studio_id": studio.pk, "year": year, **TEXT, "landmark_ids": [landmark.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["landmark_ids"] == [landmark.pk]
    patched = client.patch(
        reverse("api:annual_report_update", args=[pk]), {"highlights": "新特色"}, content_type="application/json"
    )
    assert patched.json()["highlights"] == "新特色" and patched.json()["problems"] == TEXT["problems"]
    too_many = client.patch(
        reverse("api:annual_report_update", args=[pk]), {"landmark_ids": [landmark.pk + 100]},
        content_type="application/json",
    )  # fmt: skip
    assert too_many.status_code == 422
    assert client.post(reverse("api:annual_report_submit", args=[pk])).json()["status"] == "submitted"
    assert (
        client.post(reverse("api:annual_report_check", args=[pk]), {}, content_type="application/json").status_code
        == 403
    )
    client.force_login(dept_head)
    returned = client.post(
        reverse("api:annual_report_return", args=[pk]), {"reason": "补充"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned" and returned.json()["return_reason"] == "补充"
    client.force_login(master)
    client.post(reverse("api:annual_report_submit", args=[pk]))
    client.force_login(dept_head)
    client.post(reverse("api:annual_report_check", args=[pk]), {}, content_type="application/json")
    client.force_login(teaching_affairs)
    received = client.post(reverse("api:annual_report_receive", args=[pk]), {}, content_type="application/json")
    assert received.json()["status"] == "received"
    listed = client.get(reverse("api:annual_report_list") + f"?year={year}").json()["items"]
    assert [r["id"] for r in listed] == [pk]
