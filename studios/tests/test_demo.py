import pytest
from django.core.management import call_command

from core.models import AuditEvent
from studios.models import Membership, ResponsibilityLetter, Studio

pytestmark = pytest.mark.django_db


def test_demo_studio_has_its_team_contacts_and_a_signed_letter_and_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    studio = Studio.objects.select_related("exec_lead__user", "contact__user").get(master__username="T2001")
    current = Membership.objects.filter(studio=studio, left_on__isnull=True)
    assert current.filter(role="core").count() >= 3
    assert studio.exec_lead.user.username == "T2002" and studio.contact.user.username == "T2005"
    letter = ResponsibilityLetter.objects.get(studio=studio)
    assert letter.signed_on and letter.signed_file.read(5) == b"%PDF-"
    events = AuditEvent.objects.count()
    call_command("seed_demo", quiet=True)
    assert AuditEvent.objects.count() == events and current.count() == 5
