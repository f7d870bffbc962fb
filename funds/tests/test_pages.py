"""Funds pages and API: the studio funds page, the lists and their exports (经费台账), the overview across studios,
the expenditure form with its voucher, 财务部's decision box and overrun approval — totals agree to the fen in the
page, the xlsx and the API; query counts are the same for 1 and many rows."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from funds import services
from funds.indicators import KEY
from funds.models import Expenditure
from plans.indicators import compute
from tests.factories import UserFactory

from .helpers import categories, funded_studio

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(amount, category="equipment", payee="五金公司"):
    return {
        "date": timezone.localdate(),
        "amount": amount,
        "source": "school",
        "category": categories()[category],
        "payee": payee,
        "description": "购买实训耗材",
    }


def _exact_world(department):
    """0.10 + 0.20 and 33,333.33 × 3 confirmed on one line of 100,000.29: 100,000.29 confirmed, balance 0.00."""
    studio, master, finance, line = funded_studio(department, budget="100000.29")
    for amount in ("0.10", "0.20", "33333.33", "33333.33", "33333.33"):
        e = services.create_expenditure(by=master, studio=studio, data=_data(amount), submit=True)
        services.confirm_expenditure(e, by=finance)
    return studio, master, finance, line


def _xlsx_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def test_sums_reconcile_to_the_fen_in_page_export_and_api(client, department):
    studio, master, finance, line = _exact_world(department)
    client.force_login(finance)
    page = client.get(reverse("funds:studio", args=[studio.pk])).content.decode()
    assert "100000.29" in page and "0.00" in page
    listing = client.get(reverse("funds:expenditures") + f"?studio={studio.pk}").content.decode()
    assert "符合条件的支出合计：<strong>100000.29</strong>" in listing
    rows = _xlsx_rows(client.get(reverse("funds:expenditures_export") + f"?studio={studio.pk}"))
    total_row = rows[-1]
    assert total_row[0] == "合计" and total_row[7] == "100000.29"
    assert sorted(r[7] for r in rows if r[0] not in ("合计",) and r[7] and r[7][0].isdigit() and r[0] != "支出日期")[
        :2
    ] == ["0.10", "0.20"]
    overview = client.get(reverse("funds:overview")).content.decode()
    assert "100000.29" in overview and "100.00" in overview
    api = client.get(reverse("api:funds_summary")).json()
    assert api["total"]["confirmed"] == "100000.29" and api["total"]["balance"] == "0.00"
    assert api["by_source"][0]["confirmed"] == "100000.29"
    listed = client.get(reverse("api:funds_expenditure_list") + "?limit=100").json()["items"]
    assert sum(Decimal(e["amount"]) for e in listed) == Decimal("100000.29")
    budgets = client.get(reverse("api:funds_budget_list")).json()["items"]
    assert budgets[0]["confirmed"] == "100000.29" and budgets[0]["balance"] == "0.00"
    # the indicator: 100 % executed (integer percent from fen arithmetic)
    assert compute([KEY], [studio.pk], line.year)[KEY][studio.pk][0] == Decimal(100)


def test_expenditure_form_with_voucher_then_finance_confirms_through_the_decision_box(client, department):
    studio, master, finance, line = funded_studio(department)
    client.force_login(master)
    response = client.post(
        reverse("funds:expenditure_new", args=[studio.pk]),
        {
            "date": timezone.localdate().isoformat(), "amount": "12.30", "source": "school",
            "category": categories()["equipment"].pk, "payee": "五金公司", "description": "刀具",
            "voucher": SimpleUploadedFile("发票.pdf", PDF, "application/pdf"), "action": "submit",
        },
    )  # fmt: skip
    expenditure = Expenditure.objects.get()
    assert response.status_code == 302 and expenditure.status == "submitted" and expenditure.voucher
    assert expenditure.amount == Decimal("12.30") and expenditure.voucher_name == "发票.pdf"
    assert client.get(reverse("funds:voucher", args=[expenditure.pk])).status_code == 200
    client.force_login(finance)
    home = client.get(reverse("workspace:home")).content.decode()
    assert "待确认的经费支出" in home
    detail = client.get(reverse("funds:expenditure", args=[expenditure.pk])).content.decode()
    assert 'data-testid="decision-box"' in detail
    response = client.post(reverse("funds:expenditure_decide", args=[expenditure.pk]), {"target": "returned"})
    expenditure.refresh_from_db()
    assert expenditure.status == "submitted"  # 退回 without a reason changes nothing
    client.post(reverse("funds:expenditure_decide", args=[expenditure.pk]), {"target": "confirmed", "note": ""})
    expenditure.refresh_from_db()
    assert expenditure.status == "confirmed" and expenditure.reviewed_by_id == finance.pk


def test_overspend_in_the_page_is_a_chinese_form_error_then_allowed_after_approval(client, department):
    studio, master, finance, line = funded_studio(department, budget="10.00")
    client.force_login(master)
    body = {
        "date": timezone.localdate().isoformat(), "amount": "10.01", "source": "school",
        "category": categories()["equipment"].pk, "payee": "五金公司", "description": "刀具", "action": "submit",
    }  # fmt: skip
    response = client.post(reverse("funds:expenditure_new", args=[studio.pk]), body)
    assert response.status_code == 200 and "超出预算" in response.content.decode()
    assert not Expenditure.objects.exists()
    body["action"] = "save"
    client.post(reverse("funds:expenditure_new", args=[studio.pk]), body)
    draft = Expenditure.objects.get()
    client.force_login(finance)
    client.post(reverse("funds:expenditure_overrun", args=[draft.pk]), {"reason": "专项追加，已报批"})
    client.force_login(master)
    client.post(reverse("funds:expenditure_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_api_overspend_422_then_overrun_and_submit(client, department):
    studio, master, finance, line = funded_studio(department, budget="10.00")
    client.force_login(master)
    body = {
        "studio_id": studio.pk, "date": timezone.localdate().isoformat(), "amount": "10.01", "source": "school",
        "category_id": categories()["equipment"].pk, "payee": "五金公司", "description": "刀具", "submit": True,
    }  # fmt: skip
    response = client.post(reverse("api:funds_expenditure_create"), body, content_type="application/json")
    assert response.status_code == 422 and "超出预算" in response.json()["detail"]
    body["submit"] = False
    created = client.post(reverse("api:funds_expenditure_create"), body, content_type="application/json").json()
    assert created["amount"] == "10.01" and created["status"] == "draft"
    client.force_login(finance)
    url = reverse("api:funds_expenditure_overrun", args=[created["id"]])
    assert client.post(url, {"reason": "追加"}, content_type="application/json").status_code == 201
    client.force_login(master)
    done = client.post(reverse("api:funds_expenditure_submit", args=[created["id"]]))
    assert done.status_code == 200 and done.json()["status"] == "submitted"


def _many(studio, master, finance, line, n):
    rows = [
        Expenditure(
            studio=studio, budget_line=line, date=timezone.localdate(), amount=Decimal("1.00"), payee=f"供应商{i}",
            description="批量", status=["confirmed", "submitted", "draft"][i % 3], created_by=master,
        )
        for i in range(n)
    ]  # fmt: skip
    Expenditure.objects.bulk_create(rows)


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["funds:expenditures", "funds:budgets", "funds:overview", "funds:studio", "funds:expenditures_export"]
)
def test_query_counts_constant_for_one_and_many_rows(client, department, other_department, url_name):
    finance = UserFactory(department=None, roles=[Role.FINANCE])
    counts = []
    for n, dept in ((1, department), (120, other_department)):
        studio, master, _f, line = funded_studio(dept, budget="100000.00", name=f"工作室{n}")
        _many(studio, master, finance, line, n)
        if n > 1:
            cats = categories()
            for code in ("materials", "travel", "labour"):
                services.create_budget_line(
                    by=finance, studio=studio, year=line.year, source="government", category=cats[code], amount="5"
                )
        client.force_login(finance)
        args = [studio.pk] if url_name == "funds:studio" else []
        counts.append(_count(client, reverse(url_name, args=args)))
    assert counts[0] == counts[1], counts


def test_studio_page_funds_panel_adds_one_statement_and_hides_from_strangers(client, department):
    studio, master, finance, line = _exact_world(department)
    client.force_login(master)
    html = client.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert 'data-testid="funds-panel"' in html and "100000.29" in html
    stranger = UserFactory()
    client.force_login(stranger)
    html = client.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert 'data-testid="funds-panel"' not in html
    from funds.panels import funds_panel

    with CaptureQueriesContext(connection) as ctx:
        funds_panel(studio, master)
    assert len(ctx.captured_queries) == 1


def test_category_dictionary_by_finance(client, department):
    finance = UserFactory(department=None, roles=[Role.FINANCE])
    categories()
    client.force_login(finance)
    response = client.post(reverse("funds:categories"), {"name": "知识产权", "order": "7", "active": "on"})
    assert response.status_code == 302
    from funds.models import SpendingCategory

    assert SpendingCategory.objects.filter(name="知识产权", active=True).exists()
    client.force_login(UserFactory())
    assert client.get(reverse("funds:categories")).status_code == 403
