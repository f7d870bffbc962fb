"""seed_demo gives the demo studio a ledger (issue 9 item 14, issue 10): idempotent, audited, with real photos, and the
plan-vs-actual of the demo studio shows confirmed actuals equal to a direct count of the countable records."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone
from PIL import Image

from core.models import AuditEvent
from ledger.enums import ActivityKind, AttachmentKind, RecordStatus
from ledger.models import Activity, Attachment, MentorshipNote, ProjectStageRecord
from ledger.types import TYPES
from plans.actuals import table
from studios.models import Studio

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")


def _counts():
    rows = {
        slug: t.model.objects.values("status").annotate(n=Count("pk")).order_by("status") for slug, t in TYPES.items()
    }
    return (
        {slug: {r["status"]: r["n"] for r in qs} for slug, qs in rows.items()},
        Attachment.objects.count(),
        MentorshipNote.objects.count(),
        ProjectStageRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def _direct_social_training(studio, year):
    """Participants of confirmed 社会培训 activities of `year` that carry a photo or a sign-in sheet — counted here
    without plans/indicators.py."""
    ids = set(
        Attachment.objects.filter(
            activity__studio=studio,
            activity__status=RecordStatus.CONFIRMED,
            activity__kind=ActivityKind.SOCIAL_TRAINING,
            activity__date__year=year,
            kind__in=[AttachmentKind.PHOTO, AttachmentKind.SIGN_IN],
        ).values_list("activity_id", flat=True)
    )
    return Activity.objects.filter(pk__in=ids).aggregate(total=Sum("participants"))["total"] or 0


def test_seed_demo_twice_yields_the_same_rows_and_the_records_went_through_the_services():
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    by_status, attachments, notes, stages, _ = first
    statuses = {status for per_type in by_status.values() for status in per_type}
    assert {RecordStatus.CONFIRMED, RecordStatus.SUBMITTED, RecordStatus.RETURNED} <= statuses
    assert sum(per_type.get(RecordStatus.RETURNED, 0) for per_type in by_status.values()) == 1
    assert all(per_type for per_type in by_status.values())  # every record type has demo rows
    assert attachments and notes and stages
    # Each record was created, submitted and reviewed through ledger.services: its audit events exist.
    for record_type in TYPES.values():
        for record in record_type.model.objects.exclude(status=RecordStatus.DRAFT):
            actions = set(
                AuditEvent.objects.filter(
                    object_id=str(record.pk), action__startswith=f"ledger.{record_type.name}."
                ).values_list("action", flat=True)
            )
            assert f"ledger.{record_type.name}.created" in actions, record.title
            assert f"ledger.{record_type.name}.submitted" in actions, record.title
    call_command("verify_audit")
    photo = Attachment.objects.filter(kind=AttachmentKind.PHOTO).first()
    with photo.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG" and image.width >= 320
    assert photo.thumbnail


def test_demo_studio_plan_vs_actual_shows_the_confirmed_records():
    _seed()
    studio = Studio.objects.get(master__username="T2001")
    year = timezone.localdate().year
    _, cells = table([studio.pk], year)
    by_key = {c.indicator.key: c for c in cells[studio.pk]}

    social = by_key["social_training"]
    assert social.confirmed == _direct_social_training(studio, year) > 0
    waiting_participants = Activity.objects.filter(
        studio=studio, status=RecordStatus.SUBMITTED, kind=ActivityKind.SOCIAL_TRAINING, date__year=year
    ).aggregate(total=Sum("participants"))["total"]
    assert social.waiting == waiting_participants > 0

    exchange = by_key["exchange_events"]
    direct_exchange = (
        Activity.objects.filter(
            studio=studio,
            status=RecordStatus.CONFIRMED,
            kind__in=[ActivityKind.EXCHANGE, ActivityKind.PROMOTION],
            date__year=year,
            attachments__kind__in=[AttachmentKind.PHOTO, AttachmentKind.SIGN_IN],
        )
        .values("pk")
        .distinct()
        .count()
    )
    assert exchange.confirmed == direct_exchange > 0
    # Non-zero confirmed actuals across several indicators, and the department has records waiting.
    nonzero = [key for key, c in by_key.items() if c.confirmed]
    assert len(nonzero) >= 5, nonzero
    assert sum(c.waiting or 0 for c in cells[studio.pk]) > 0
