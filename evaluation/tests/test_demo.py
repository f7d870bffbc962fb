import pytest

from accounts.enums import Role
from evaluation.demo import seed_demo
from evaluation.enums import Grade, RoundStatus
from evaluation.models import EvaluationRound, Scorecard, SupportFlag
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_confirms_last_years_round_with_one_excellent_and_is_idempotent():
    department = DepartmentFactory(code="JX", name="机械工程系")
    UserFactory(username="H1001", department=department, roles=[Role.DEPT_HEAD])  # confirms the demo's records
    UserFactory(username="D0001", department=None, roles=[Role.DEV_OFFICE])
    UserFactory(username="J0001", department=None, roles=[Role.TEACHING_AFFAIRS])
    for n in range(1, 7):
        UserFactory(username=f"C000{n}", department=None, roles=[Role.COMMITTEE])
    seed_demo("demo-password-1")
    seed_demo("demo-password-1")
    [round_] = EvaluationRound.objects.all()
    assert round_.status == RoundStatus.CONFIRMED
    grades = list(Scorecard.objects.filter(round=round_).values_list("confirmed_grade", flat=True))
    assert grades.count(Grade.EXCELLENT) == 1 and Grade.GOOD in grades
    assert SupportFlag.objects.count() == 1
    assert not Studio.objects.filter(status="revoked").exists()
