"""ops.scale's archive step (bench data): documents uploaded into every studio-year's archive, past years archived
(归档) through the row the freeze reads — so studios.freeze refuses their writes — with the audit event archiving
leaves, chained and verifiable, and packages of most archived years."""

import pytest
from django.db.models import Q
from django.utils import timezone

from archive.models import ArchiveDocument, ArchivePackage, YearArchive
from core.audit import verify_chain
from core.models import AuditEvent
from ops import scale
from studios.freeze import frozen_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_archive_documents_frozen_years_and_packages():
    counts = scale.seed_scale(scale=0.002, seed=7)
    this_year = timezone.localdate().year
    assert ArchiveDocument.objects.count() == counts["archive_documents"] >= 4 * 5 * 2
    assert not ArchiveDocument.objects.filter(file="", media_location="").exists()
    assert ArchiveDocument.objects.filter(category="rules").count() == 4 * 5  # one per studio-year
    assert not ArchiveDocument.objects.filter(~Q(file=""), sha256="").exists()

    frozen = list(YearArchive.objects.all())
    assert len(frozen) == counts["archive_years"] >= 1
    assert all(row.year < this_year for row in frozen)  # the running year is never archived
    assert all(bool(row.missing) == bool(row.override_reason) for row in frozen)
    for row in frozen:
        assert frozen_message(row.studio_id, row.year)  # the freeze reads exactly this row
    open_year = this_year
    assert frozen_message(frozen[0].studio_id, open_year) is None

    events = AuditEvent.objects.filter(object_type="archive.yeararchive")
    assert sorted(int(pk) for pk in events.values_list("object_id", flat=True)) == sorted(r.pk for r in frozen)
    assert set(events.values_list("action", flat=True)) <= {"archive.year.archived", "archive.year.overridden"}
    checked, broken, reason = verify_chain()
    assert broken is None, reason
    assert checked == AuditEvent.objects.count()

    packages = list(ArchivePackage.objects.all())
    assert len(packages) == counts["archive_packages"]
    archived = {(r.studio_id, r.year) for r in frozen}
    assert all((p.studio_id, p.year) in archived for p in packages)
    assert all(p.status in ("done", "failed") and (p.status != "done" or p.done == p.total) for p in packages)
    made = YearArchive.objects.create(
        studio_id=frozen[0].studio_id,
        year=2001,
        archived_at=frozen[0].archived_at,
        archived_by_id=frozen[0].archived_by_id,
    )
    assert made.pk > max(r.pk for r in frozen)
