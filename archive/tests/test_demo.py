import pytest
from django.core.management import call_command
from django.utils import timezone

from archive.models import ArchiveDocument, YearArchive
from core.models import AuditEvent
from studios.models import Studio

pytestmark = pytest.mark.django_db


def test_demo_archives_last_year_of_the_demo_studio_and_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    studio = Studio.objects.get(master__username="T2001")
    year = timezone.localdate().year - 1
    if studio.approved_on.year > year:
        assert not YearArchive.objects.exists()  # the demo studio did not exist last year: nothing to archive
        return
    row = YearArchive.objects.select_related("archived_by").get(studio=studio, year=year)
    assert row.archived_by.username == "J0001"
    assert set(ArchiveDocument.objects.filter(studio=studio, year=year).values_list("category", flat=True)) == {
        "rules",
        "annual",
    }
    events = AuditEvent.objects.count()
    call_command("seed_demo", quiet=True)
    assert AuditEvent.objects.count() == events and YearArchive.objects.count() == 1
