"""A small world for the dashboards: studios in two departments (one revoked, one 校企联办), applications at several
stages, approved annual plans with confirmed records, budget lines and expenditures, confirmed grades and annual
reports. Rows the dashboards only read are made directly; budget lines through funds.services."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from applications.models import Application, Call, Rubric
from evaluation.enums import Grade, RoundStatus
from evaluation.models import EvaluationRound, Scorecard
from evaluation.tests.helpers import plan_with_targets, report
from funds import services as funds_services
from funds.enums import ExpenditureStatus
from funds.models import Expenditure
from funds.tests.helpers import categories, finance_user
from ledger.tests.helpers import make_studio
from plans.services import ensure_indicator_set
from plans.tests.helpers import activity
from tests.factories import UserFactory

THIS_YEAR = timezone.localdate().year
GRADES = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL]


def build_world(department, other_department, *, studios=3, tag="甲"):
    """`studios` studios per department; returns the list of studios."""
    ensure_indicator_set(THIS_YEAR - 1)
    finance = finance_user()
    cats = categories()
    rubric = Rubric.objects.create(name=f"评审标准{tag}")
    now = timezone.now()
    call = Call.objects.create(
        year=THIS_YEAR, title=f"申报批次{tag}", opens_at=now - dt.timedelta(days=5), closes_at=now + dt.timedelta(days=5),
        policy_year=2026, rubric=rubric, created_by=finance,
    )  # fmt: skip
    stages = ["submitted", "recommended", "under_review", "in_publicity", "approved", "draft"]
    made = []
    rounds = {}
    for year in (THIS_YEAR - 2, THIS_YEAR - 1):
        rounds[year], _ = EvaluationRound.objects.get_or_create(
            year=year,
            defaults={"title": f"{year}年度考核", "status": RoundStatus.CONFIRMED, "due_on": dt.date(year + 1, 3, 1),
                      "created_by": finance},
        )  # fmt: skip
    n = 0
    for dept in (department, other_department):
        for i in range(studios):
            n += 1
            studio, master, _team = make_studio(
                dept, name=f"{tag}{dept.name}工作室{i}", mode="joint" if i % 2 else "school", members=0
            )
            made.append(studio)
            applicant = UserFactory(department=dept)
            Application.objects.create(
                call=call,
                applicant=applicant,
                department=dept,
                studio_name=f"{tag}申报{n}",
                status=stages[n % len(stages)],
            )
            plan_with_targets(studio, THIS_YEAR, exchange_events=2 + i, plan_and_meetings=1)
            plan_with_targets(studio, THIS_YEAR - 1, exchange_events=1)
            activity(studio, master, date=dt.date(THIS_YEAR, 1, 10), kind="exchange")
            activity(studio, master, date=dt.date(THIS_YEAR - 1, 5, 10), kind="exchange")
            line = funds_services.create_budget_line(
                by=finance, studio=studio, year=THIS_YEAR, source="school", category=cats["equipment"],
                amount=Decimal("1000.00"),
            )  # fmt: skip
            for amount, status in (("120.50", ExpenditureStatus.CONFIRMED), ("30.00", ExpenditureStatus.SUBMITTED)):
                Expenditure.objects.create(
                    studio=studio, budget_line=line, date=dt.date(THIS_YEAR, 1, 5), amount=Decimal(amount),
                    payee="供应商", status=status, created_by=master,
                )  # fmt: skip
            for year, round_ in rounds.items():
                Scorecard.objects.create(round=round_, studio=studio, confirmed_grade=GRADES[(n + year) % 4])
                report(studio, year, late=(n + year) % 3 == 0)
            if i == studios - 1 and dept == other_department:
                studio.status = "revoked"  # after its records: a revoked studio takes no new ones
                studio.save(update_fields=["status"])
    return made
