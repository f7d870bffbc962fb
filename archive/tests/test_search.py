"""The archive search runs in SQL (archive.sources.search_filter in every source) and finds exactly what the Python
test it replaced found — `q.lower() in f"{title} {description}".lower()` over every entry of the studio-year — on
SQLite and PostgreSQL; and a search reads a fixed number of statements whatever the number of items."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive import services
from archive.sources import entries, sources
from funds.models import BudgetLine, Expenditure, SpendingCategory
from funds.services import ensure_default_categories
from ledger.models import Achievement, Activity, Attachment, Meeting
from plans.enums import PlanKind
from plans.services import ensure_indicator_set
from plans.tests.helpers import approved_plan
from studios.models import ResponsibilityLetter, ResponsibilityLetterTemplate

from .helpers import day, last_year, studio_with_year

pytestmark = pytest.mark.django_db

QUERIES = (
    "数控", "数控车工", "车工技能", "工作总结 数控", "活动", "已确认", "待系部审核", "草稿", "现场照片", "照片",
    "签到表", "存放位置", "资料室", "00:12", "元", "1230.00", "0.10 元", "1,000", "经费支出凭证：", "重庆", "ABC", "abc",
    "年度工作计划（第1版）", "建设方案", "年", "（第", "责任书（", "至", "-01-", "%", "_", "\\", "'", " · ", "·",
    "不存在的内容", "SIGN", "pdf", "数控\x00",
)  # fmt: skip


def old_search(studio_id, year, q, category=None):
    """The Python search this replaced: every entry read, then filtered."""
    return [
        e.key for e in entries(studio_id, year, category=category) if q.lower() in f"{e.title} {e.description}".lower()
    ]


def new_search(studio_id, year, q, category=None):
    return [e.key for e in entries(studio_id, year, category=category, q=q)]


def _archive(department, dept_head, teaching_affairs, finance):
    """A studio-year with an entry of every source: ledger records of several statuses with attachments, an approved
    annual plan and construction plan, a signed responsibility letter, uploaded documents (one a video stored
    elsewhere) and vouchers of expenditures whose amounts print with two places."""
    studio, master, team, activity, meeting, docs = studio_with_year(department, dept_head)
    year = last_year()
    Activity.objects.create(
        studio=studio, date=day(7, 1), title="ABC 竞赛辅导", kind="competition", status="draft", created_by=master,
        description="100% 完成_率 'quoted' \\ back · 点",
    )  # fmt: skip
    achievement = Achievement.objects.create(
        studio=studio, date=day(8, 1), title="数控车床夹具专利", kind="patent", level="city", status="submitted",
        created_by=master, description="x" * 300,
    )  # fmt: skip
    Attachment.objects.create(
        achievement=achievement,
        kind="certificate",
        file="ledger/x.pdf",
        original_name="SIGN-证书.PDF",
        uploaded_by=master,
    )
    services.upload_document(
        studio, by=master, year=year, category="media", title="技能展示视频", date=day(9, 1), description="",
        upload=None, media_location="资料室二号柜", media_duration="00:12:30",
    )  # fmt: skip
    ensure_indicator_set(year - 1)
    ensure_indicator_set(year)
    approved_plan(studio, master, dept_head, teaching_affairs, kind=PlanKind.ANNUAL, year=year)
    approved_plan(studio, master, dept_head, teaching_affairs, kind=PlanKind.CONSTRUCTION, year=year - 1)
    template = (
        ResponsibilityLetterTemplate.objects.order_by("pk").first() or ResponsibilityLetterTemplate.objects.create()
    )
    ResponsibilityLetter.objects.create(
        studio=studio, template=template, term_start=dt.date(year - 1, 1, 1), term_end=dt.date(year + 1, 12, 31),
        generated_by=teaching_affairs, signed_on=dt.date(year - 1, 1, 5), signed_file="studios/letters/x.pdf",
        signed_file_name="责任书扫描件.pdf", signed_by=master,
    )  # fmt: skip
    ensure_default_categories()
    line = BudgetLine.objects.create(
        studio=studio, year=year, source="school", category=SpendingCategory.objects.order_by("pk").first(),
        amount=Decimal("100000.00"), created_by=finance,
    )  # fmt: skip
    for amount, status, payee in (("1230.00", "confirmed", "重庆机电"), ("0.10", "submitted", "ABC 公司"),
                                  ("33333.33", "returned", "重庆数控"), ("5.00", "draft", "草稿单位")):  # fmt: skip
        Expenditure.objects.create(
            studio=studio, budget_line=line, date=day(10, 1), amount=Decimal(amount), payee=payee,
            description="采购数控刀具一批" * 20, voucher="funds/v.pdf", voucher_name="v.pdf", status=status,
            created_by=master,
        )  # fmt: skip
    return studio, year


def test_sql_search_finds_what_the_python_search_found(department, dept_head, teaching_affairs, finance):
    studio, year = _archive(department, dept_head, teaching_affairs, finance)
    every = list(entries(studio.pk, year))
    assert {e.source for e in every} == {s.key for s in sources()}  # every source has an entry
    assert all(s.searchable for s in sources())  # and every source searches in SQL
    misses = []
    for q in QUERIES:
        expected = old_search(studio.pk, year, q)
        assert new_search(studio.pk, year, q) == expected, q
        assert new_search(studio.pk, year, q, category="research") == old_search(studio.pk, year, q, "research"), q
        if not expected:
            misses.append(q)
    assert misses == ["1,000", "不存在的内容", "数控\x00"]  # the others hit: the lists compared are not both empty
    # each entry's whole text, and pieces across the title/description boundary, find that entry in SQL as in Python
    for e in every:
        text = f"{e.title} {e.description}"
        for q in (text, text[-12:], f"{e.title[-3:]} {e.description[:3]}", text.upper()):
            assert new_search(studio.pk, year, q) == old_search(studio.pk, year, q), (e.source, q)
            assert e.key in new_search(studio.pk, year, q) or not q.isascii()


def test_the_page_and_the_api_search_in_sql(client, login, department, dept_head, teaching_affairs, finance):
    studio, year = _archive(department, dept_head, teaching_affairs, finance)
    login(teaching_affairs)
    url = reverse("archive:studio_year", args=[studio.pk, year])
    html = client.get(url, {"q": "数控"}).text
    expected = [e for e in entries(studio.pk, year) if "数控" in f"{e.title} {e.description}"]
    assert len(expected) >= 4 and html.count('data-testid="list-row"') == len(expected)
    assert "ABC 竞赛辅导" not in html
    response = client.get(url, {"q": "数控\x00"})  # a NUL never matches (and never reaches PostgreSQL)
    assert response.status_code == 200 and 'data-testid="list-row"' not in response.text
    response = client.get(f"/api/v1/archive/studios/{studio.pk}/{year}/items", {"q": "abc", "limit": 100})
    titles = sorted(item["title"] for item in response.json()["items"])
    assert titles == sorted(e.title for e in entries(studio.pk, year) if "abc" in f"{e.title} {e.description}".lower())
    assert "ABC 竞赛辅导" in titles


def test_a_search_reads_the_same_statements_for_few_and_many_items(
    client, login, department, dept_head, teaching_affairs
):
    studio, master, _team, _activity, _meeting, _docs = studio_with_year(department, dept_head)
    year = last_year()
    login(teaching_affairs)
    url = reverse("archive:studio_year", args=[studio.pk, year])
    api = f"/api/v1/archive/studios/{studio.pk}/{year}/items"
    client.get(url)

    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            result = fn()
        return len(ctx.captured_queries), result

    small = [count(lambda: list(entries(studio.pk, year, q="数控")))[0]]
    small.append(count(lambda: client.get(url, {"q": "数控"}))[0])
    small.append(count(lambda: client.get(api, {"q": "数控"}))[0])
    rows = Activity.objects.bulk_create(
        Activity(studio=studio, date=day(1 + i % 12, 1 + i % 28), title=f"数控批量活动{i}", kind="exchange",
                 status="confirmed", created_by=master)
        for i in range(400)
    )  # fmt: skip
    Attachment.objects.bulk_create(
        Attachment(activity=r, kind="photo", file=f"ledger/p{r.pk}.jpg", original_name="数控.jpg", uploaded_by=master)
        for r in rows
    )
    Meeting.objects.bulk_create(
        Meeting(studio=studio, date=day(2), title=f"例会{i}", minutes="纪要", created_by=master) for i in range(200)
    )
    n, found = count(lambda: list(entries(studio.pk, year, q="数控")))
    assert len(found) >= 800 and n == small[0]
    n, response = count(lambda: client.get(url, {"q": "数控"}))
    assert response.text.count('data-testid="list-row"') >= 800 and n == small[1]
    n, response = count(lambda: client.get(api, {"q": "数控"}))
    assert response.json()["count"] >= 800 and n == small[2]
