"""seed_scale's annual step: last year's reports for most scale studios, with a status mix, readable by the list."""

import pytest
from django.utils import timezone

from annual.models import AnnualReport
from ops import scale
from studios.models import Studio

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_writes_last_years_reports():
    counts = scale.seed_scale(scale=0.002, seed=7)
    reports = AnnualReport.objects.all()
    assert counts["annual_reports"] == reports.count() > 0
    assert reports.count() <= Studio.objects.count()
    assert set(reports.values_list("year", flat=True)) == {timezone.localdate().year - 1}
    for report in reports:
        assert (report.submitted_at is None) == (report.status == "draft")
        assert (report.received_by_id is not None) == (report.status == "received")
