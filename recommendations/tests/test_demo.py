import pytest

from accounts.enums import Role
from evaluation.demo import seed_demo as evaluation_demo
from recommendations.demo import seed_demo
from recommendations.enums import RecommendationStatus
from recommendations.models import Recommendation
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_approves_a_city_recommendation_and_drafts_a_province_one_idempotently():
    department = DepartmentFactory(code="JX", name="机械工程系")
    UserFactory(username="H1001", department=department, roles=[Role.DEPT_HEAD])
    UserFactory(username="D0001", department=None, roles=[Role.DEV_OFFICE])
    UserFactory(username="J0001", department=None, roles=[Role.TEACHING_AFFAIRS])
    for n in range(1, 7):
        UserFactory(username=f"C000{n}", department=None, roles=[Role.COMMITTEE])
    evaluation_demo("demo-password-1")
    seed_demo("demo-password-1")
    seed_demo("demo-password-1")
    rows = list(Recommendation.objects.order_by("year").values_list("studio_id", "level", "status"))
    assert [(level, status) for _s, level, status in rows] == [
        ("city", RecommendationStatus.APPROVED),
        ("province", RecommendationStatus.DRAFT),
    ]
    assert Studio.objects.get(pk=rows[0][0]).level == "city"
    city = Recommendation.objects.get(level="city")
    assert city.snapshot["lines"] and all(
        line.get("confirmation") for line in city.snapshot["lines"] if line["verdict"] == "manual"
    )
