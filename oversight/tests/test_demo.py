"""seed_demo records 罗纪检's attendance at the demo's recognition committee meeting (applications demo) and at its
evaluation meeting (evaluation demo), through oversight.services (audited), once however often it runs."""

import pytest
from django.core.management import call_command

from applications.enums import MeetingStatus
from applications.models import CommitteeMeeting, Vote
from core.models import AuditEvent
from evaluation.models import EvaluationMeeting
from oversight.models import Attendance

pytestmark = pytest.mark.django_db


def test_seed_demo_records_the_inspectors_attendance_at_both_meetings_once():
    for _ in range(2):  # idempotent
        call_command("seed_demo", "--quiet", "--password", "Demo@2026")
    [committee] = CommitteeMeeting.objects.all()
    assert committee.status == MeetingStatus.CLOSED
    assert list(committee.agenda.values_list("applicant__username", flat=True)) == ["T2001"]
    assert Vote.objects.filter(meeting=committee, choice="for").count() == committee.members_present.count() == 5
    [evaluation] = EvaluationMeeting.objects.all()
    rows = {
        (a.content_type.model, a.object_id, a.person.username)
        for a in Attendance.objects.select_related("content_type", "person")
    }
    assert rows == {("committeemeeting", committee.pk, "K0001"), ("evaluationmeeting", evaluation.pk, "K0001")}
    assert AuditEvent.objects.filter(action="oversight.attendance.recorded").count() == 2
