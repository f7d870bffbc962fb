import datetime as dt

import pytest

from annual.reminders import _SOURCES
from evaluation import services
from evaluation.models import Scorecard
from evaluation.reminders import pending_evaluation
from tests.factories import DepartmentFactory, UserFactory

from .helpers import YEAR, people, weak_studio

pytestmark = pytest.mark.django_db


def test_evaluators_are_reminded_before_the_due_date_and_the_committee_once_submitted():
    assert pending_evaluation in _SOURCES
    dept = DepartmentFactory(code="EVR", name="提醒测试系")
    dev, committee = people(dept)
    studio, _, _ = weak_studio(dept, "提醒技能大师工作室")
    due = dt.date(YEAR + 1, 3, 10)
    round_ = services.start_round(services.create_round(by=dev, year=YEAR, due_on=due), by=dev)
    evaluator = UserFactory(department=DepartmentFactory(code="EVR2", name="评分系"))
    services.assign_evaluator(Scorecard.objects.get(round=round_, studio=studio), by=dev, evaluator=evaluator)
    assert list(pending_evaluation(due - dt.timedelta(days=5))) == []
    [reminder] = list(pending_evaluation(due - dt.timedelta(days=3)))
    assert reminder.recipient == evaluator and "还有 3 天" in reminder.title
    [late] = list(pending_evaluation(due + dt.timedelta(days=4)))
    assert late.kind == "evaluation.overdue" and late.day == due + dt.timedelta(days=1)
    services.submit_round(round_, by=dev)
    sent = list(pending_evaluation(due + dt.timedelta(days=5)))
    assert {d.recipient.pk for d in sent} == {m.pk for m in committee}
