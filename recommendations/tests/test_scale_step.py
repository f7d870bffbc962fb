"""ops/scale.py's 推荐申报 step: one studio in twenty gets a 市级 draft, every second is submitted with its check frozen,
every fourth approved (its level raised) — through the services."""

import pytest

from accounts.enums import Role
from ops import scale
from recommendations.models import Recommendation
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import city_ready_studio

pytestmark = pytest.mark.django_db


def test_scale_step_makes_drafts_submissions_and_approvals():
    dept = DepartmentFactory(code="RSC", name="推荐规模测试系")
    UserFactory(username=f"{scale.PREFIX}999999", department=None, roles=[Role.DEV_OFFICE])
    studios = [city_ready_studio(dept, name=f"规模{i}", apprentices=1)[0] for i in range(5)]
    ctx = scale.Ctx(0.05, 7)  # _n(100, 0.05) = 5 studios at most
    ctx.studios = [(s.pk, s.master_id, s.department_id) for s in studios for _ in range(20)][:100]
    scale.step_recommendations(ctx)
    assert ctx.counts["recommendations"] == Recommendation.objects.count() == 5
    assert Recommendation.objects.filter(status="submitted").count() == ctx.counts["recommendations_submitted"] - 2
    assert Recommendation.objects.filter(status="approved").count() == ctx.counts["recommendations_approved"] == 2
    assert Studio.objects.filter(level="city").count() == 2
    assert all(r.snapshot["lines"] for r in Recommendation.objects.exclude(status="draft"))
