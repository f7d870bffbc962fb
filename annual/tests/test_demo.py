import pytest
from django.core.management import call_command

from annual.models import AnnualReport, ReportStatus
from annual.services import reporting_year
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_studio_report_received_other_draft_and_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    year = reporting_year()
    received = AnnualReport.objects.select_related("checked_by").get(studio__master__username="T2001", year=year)
    assert received.status == ReportStatus.RECEIVED and received.late is False and received.submitted_at
    assert received.landmarks.count() <= 3 and received.checked_by.username == "H2001"
    events, reports = AuditEvent.objects.count(), AnnualReport.objects.count()
    call_command("seed_demo", quiet=True)
    assert AuditEvent.objects.count() == events and AnnualReport.objects.count() == reports
