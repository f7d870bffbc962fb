"""API parity for 建设指标体系: the page 「新建年度指标体系」 has its API operation (POST /api/v1/plans/indicator-sets),
which copies the newest earlier year's set through the same service; only the administrator may, and a refusal
writes nothing."""

import datetime as dt
import json

import pytest

from core.models import AuditEvent
from plans.models import IndicatorSet

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
URL = "/api/v1/plans/indicator-sets"


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_api_starts_a_year_as_a_copy_of_the_newest_earlier_set(client, admin_user):
    source = IndicatorSet.objects.get(year=YEAR)
    source_rows = sorted(source.indicators.values_list("key", "name", "weight"))
    client.force_login(admin_user)
    response = _post(client, {"year": YEAR + 3})
    assert response.status_code == 201, response.content
    created = IndicatorSet.objects.get(year=YEAR + 3)
    assert response.json()["id"] == created.pk
    assert sorted(created.indicators.values_list("key", "name", "weight")) == source_rows
    assert created.note == f"由{YEAR}年度复制"
    assert AuditEvent.objects.filter(action="plans.indicator_set.created", object_id=str(created.pk)).count() == 1


def test_api_refuses_an_existing_year_or_a_non_administrator_and_writes_nothing(client, admin_user, teaching_affairs):
    client.force_login(teaching_affairs)
    events = AuditEvent.objects.filter(action="plans.indicator_set.created").count()
    response = _post(client, {"year": YEAR + 3})
    assert response.status_code == 403
    assert not IndicatorSet.objects.filter(year=YEAR + 3).exists()
    client.force_login(admin_user)
    response = _post(client, {"year": YEAR})
    assert response.status_code in (400, 409, 422)
    assert "已经存在" in response.json()["detail"]
    assert IndicatorSet.objects.filter(year=YEAR).count() == 1
    assert AuditEvent.objects.filter(action="plans.indicator_set.created").count() == events
