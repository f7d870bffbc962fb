"""Funds rules (issue 11 items 4–5): budgets, expenditures, overspend refused then accepted with 财务部's approval,
sums exact to the fen, revoked studios and archived years refuse writes, audit events."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from core.workflow import WorkflowError
from funds import services
from funds.balances import totals_by
from funds.models import BudgetLine, Expenditure, OverrunApproval
from funds.panels import studio_year_totals
from studios import freeze
from tests.factories import UserFactory

from .helpers import categories, finance_user, funded_studio

pytestmark = pytest.mark.django_db


def _spend(studio, by, amount, *, submit=True, category=None, payee="五金公司", on=None):
    cats = categories()
    return services.create_expenditure(
        by=by,
        studio=studio,
        data={
            "date": on or timezone.localdate(),
            "amount": amount,
            "source": "school",
            "category": cats[category or "equipment"],
            "payee": payee,
            "description": "购买实训耗材",
        },
        submit=submit,
    )


def test_budget_line_by_finance_and_department_share_only_for_its_head(department):
    from accounts.enums import Role

    studio, master, finance, line = funded_studio(department)
    assert line.amount == Decimal("1000.00")
    assert AuditEvent.objects.filter(action="funds.budgetline.created", object_id=str(line.pk)).exists()
    head = UserFactory(department=department, roles=[Role.DEPT_HEAD])
    cats = categories()
    with pytest.raises(PermissionDenied):
        services.create_budget_line(
            by=head, studio=studio, year=line.year, source="school", category=cats["travel"], amount="10"
        )
    share = services.create_budget_line(
        by=head, studio=studio, year=line.year, source="department", category=cats["travel"], amount="10"
    )
    assert share.source == "department"
    with pytest.raises(PermissionDenied):
        services.create_budget_line(
            by=master, studio=studio, year=line.year, source="school", category=cats["travel"], amount="10"
        )
    with pytest.raises(ValidationError):  # the same studio × year × source × category twice
        services.create_budget_line(
            by=finance, studio=studio, year=line.year, source="school", category=cats["equipment"], amount="1"
        )


@pytest.mark.parametrize("bad", ["-1", "abc", "1.001", "1e30", "", None, 0.1, "NaN", "Infinity"])
def test_bad_amounts_are_refused_in_chinese_and_nothing_is_stored(department, bad):
    studio, master, _finance, _line = funded_studio(department)
    with pytest.raises(ValidationError) as exc:
        _spend(studio, master, bad)
    assert "金额" in str(exc.value)
    assert not Expenditure.objects.exists()


def test_overspend_refused_then_accepted_with_finance_approval(department):
    studio, master, finance, line = funded_studio(department, budget="100.00")
    first = _spend(studio, master, "60.00")
    assert first.status == "submitted"
    with pytest.raises(ValidationError) as exc:
        _spend(studio, master, "40.01")
    assert "超出预算" in str(exc.value) and "39.99" not in str(exc.value) and "40.00" in str(exc.value)
    assert Expenditure.objects.count() == 1  # the refused one left nothing behind
    draft = _spend(studio, master, "40.01", submit=False)
    with pytest.raises(ValidationError):
        services.submit_expenditure(draft, by=master)
    with pytest.raises(PermissionDenied):
        services.approve_overrun(draft, by=master, reason="我自己批准")
    with pytest.raises(ValidationError):
        services.approve_overrun(draft, by=finance, reason="  ")
    approval = services.approve_overrun(draft, by=finance, reason="设备涨价，经校长办公会同意")
    assert approval.amount == Decimal("40.01")
    services.submit_expenditure(draft, by=master)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert AuditEvent.objects.filter(action="funds.expenditure.overrun_approved", object_id=str(draft.pk)).exists()
    # a larger amount than approved needs a new approval
    other = _spend(studio, master, "1.00", submit=False)
    services.approve_overrun(other, by=finance, reason="小额超支")
    services.update_expenditure(other, by=master, data={"amount": "2.00"})
    with pytest.raises(ValidationError):
        services.submit_expenditure(other, by=master)
    assert OverrunApproval.objects.count() == 2


def test_confirm_and_return_by_finance_only_with_reason(department):
    studio, master, finance, line = funded_studio(department)
    expenditure = _spend(studio, master, "10.00")
    with pytest.raises(WorkflowError):
        services.confirm_expenditure(expenditure, by=master)
    with pytest.raises(ValidationError):
        services.return_expenditure(expenditure, by=finance, reason="")
    services.return_expenditure(expenditure, by=finance, reason="发票抬头不对")
    expenditure.refresh_from_db()
    assert expenditure.status == "returned" and expenditure.return_reason == "发票抬头不对"
    services.submit_expenditure(expenditure, by=master)
    services.confirm_expenditure(expenditure, by=finance)
    expenditure.refresh_from_db()
    assert expenditure.status == "confirmed" and expenditure.reviewed_by_id == finance.pk
    actions = set(AuditEvent.objects.filter(object_id=str(expenditure.pk)).values_list("action", flat=True))
    assert {"funds.expenditure.created", "funds.expenditure.submitted", "funds.expenditure.returned",
            "funds.expenditure.resubmitted", "funds.expenditure.confirmed"} <= actions  # fmt: skip


def test_only_master_or_exec_lead_enter_expenditures(department):
    from studios.models import Membership

    studio, master, _finance, _line = funded_studio(department)
    member = Membership.objects.filter(studio=studio, role="core").select_related("user").first()
    with pytest.raises(PermissionDenied):
        _spend(studio, member.user, "1.00")
    studio.exec_lead = member
    studio.save(update_fields=["exec_lead"])
    assert _spend(studio, member.user, "1.00").status == "submitted"


def test_sums_exact_to_the_fen(department):
    studio, master, finance, line = funded_studio(department, budget="100000.29")
    for amount in ("0.10", "0.20"):
        services.confirm_expenditure(_spend(studio, master, amount), by=finance)
    for _ in range(3):
        services.confirm_expenditure(_spend(studio, master, "33333.33", category=None), by=finance)
    confirmed_sum = Decimal("0.30") + Decimal("99999.99")
    rows = totals_by(BudgetLine.objects.filter(pk=line.pk), "source")
    assert rows[0]["confirmed"] == confirmed_sum == Decimal("100000.29")
    totals = studio_year_totals(studio.pk, line.year)
    assert totals["confirmed"] == confirmed_sum
    assert totals["balance"] == Decimal("0.00") and totals["rate"] == Decimal("100.00")
    budget, confirmed, submitted = services.line_room(line.pk)
    assert (budget, confirmed, submitted) == (Decimal("100000.29"), confirmed_sum, Decimal("0.00"))
    with pytest.raises(ValidationError, match="超出预算"):  # not one fen left
        _spend(studio, master, "0.01")


def test_budget_cannot_drop_below_commitments(department):
    studio, master, finance, line = funded_studio(department, budget="100.00")
    _spend(studio, master, "70.00")
    with pytest.raises(ValidationError):
        services.update_budget_line(line, by=finance, amount="69.99")
    services.update_budget_line(line, by=finance, amount="70.00")
    line.refresh_from_db()
    assert line.amount == Decimal("70.00")


def test_revoked_studio_and_archived_year_refuse_every_write(department):
    studio, master, finance, line = funded_studio(department)
    draft = _spend(studio, master, "1.00", submit=False)

    def frozen(studio_id, year):
        return "该年度已归档，不能修改。" if studio_id == studio.pk and year == line.year else None

    freeze.register_freeze_check(frozen)
    try:
        with pytest.raises(PermissionDenied, match="归档"):
            services.submit_expenditure(draft, by=master)
        with pytest.raises(PermissionDenied, match="归档"):
            _spend(studio, master, "1.00")
        with pytest.raises(PermissionDenied, match="归档"):
            services.update_budget_line(line, by=finance, amount="5")
    finally:
        freeze._CHECKS.remove(frozen)
    studio.status = "revoked"
    studio.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        services.submit_expenditure(draft, by=master)
    with pytest.raises(PermissionDenied):
        services.update_budget_line(line, by=finance, amount="5")
    assert Expenditure.objects.get(pk=draft.pk).status == "draft"


def test_no_budget_line_is_a_clear_refusal(department):
    studio, master, _finance, _line = funded_studio(department)
    with pytest.raises(ValidationError, match="尚无预算"):
        _spend(studio, master, "1.00", category="travel")


def test_future_date_refused(department):
    studio, master, _finance, _line = funded_studio(department)
    with pytest.raises(ValidationError, match="晚于今天"):
        _spend(studio, master, "1.00", on=timezone.localdate() + dt.timedelta(days=1))


def test_read_only_roles_write_nothing(department):
    from accounts.enums import Role

    studio, _master, _finance, line = funded_studio(department)
    inspector = finance_user()
    inspector.role_assignments.create(role=Role.INSPECTOR)
    from accounts.permissions import forget_roles

    forget_roles(inspector)
    with pytest.raises(PermissionDenied):
        services.update_budget_line(line, by=inspector, amount="5")


def test_vouchers_are_an_archive_source_and_the_indicator_counts_fen_exactly(department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archive.sources import entries
    from funds.indicators import KEY
    from plans.indicators import REGISTRY, compute

    studio, master, finance, line = funded_studio(department, budget="3.00")
    data = {
        "date": timezone.localdate(), "amount": "1.00", "source": "school", "category": categories()["equipment"],
        "payee": "某公司", "description": "耗材",
    }  # fmt: skip
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    confirmed = services.create_expenditure(
        by=master, studio=studio, data=data, voucher=SimpleUploadedFile("发票.pdf", pdf), submit=True
    )
    services.confirm_expenditure(confirmed, by=finance)
    services.create_expenditure(by=master, studio=studio, data={**data, "amount": "0.99"}, submit=True)
    found = [e for e in entries(studio.pk, line.year) if e.source == "funds.voucher"]
    assert [e.key for e in found] == [f"voucher-{confirmed.pk}"] and found[0].storage_name
    assert REGISTRY[KEY].enabled
    # 1.00 of 3.00 confirmed = 33 % (whole percent, truncated); 0.99 submitted = 33 % waiting
    assert compute([KEY], [studio.pk], line.year)[KEY][studio.pk] == (Decimal(33), Decimal(33))
