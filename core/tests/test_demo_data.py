"""`make run` on a fresh clone shows the whole life (issue 9 item 14): an open call whatever today's date, a committee
that can reach the default quorum, an approved studio; e-mails to the console; the Chinese error pages."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from applications.forms import MeetingForm
from applications.models import Application, Call
from core.models import AuditEvent
from studios.models import Studio

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _seed():
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")


def _counts():
    return (
        User.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
        Studio.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_call_is_open_today_and_seeding_twice_changes_nothing():
    _seed()
    counts = _counts()
    _seed()
    assert _counts() == counts
    now = timezone.now()
    call = Call.objects.get(year=timezone.localdate().year, title__contains="技能大师工作室申报")
    assert call.status == "open" and call.opens_at <= now < call.closes_at
    assert (call.closes_at - now).days >= 30  # open long enough to walk through the demo


def test_a_later_run_reopens_a_demo_call_that_has_run_out():
    _seed()
    call = Call.objects.get(year=timezone.localdate().year, title__contains="技能大师工作室申报")
    past = timezone.now() - timezone.timedelta(days=400)
    Call.objects.filter(pk=call.pk).update(opens_at=past, closes_at=past + timezone.timedelta(days=30), status="closed")
    _seed()
    call.refresh_from_db()
    assert call.status == "open" and call.opens_at <= timezone.now() < call.closes_at
    assert AuditEvent.objects.filter(action="applications.call.changed", object_id=str(call.pk)).count() == 1


def test_demo_committee_reaches_the_default_quorum():
    _seed()
    members = User.objects.filter(is_active=True, role_assignments__role=Role.COMMITTEE).distinct().count()
    assert members >= MeetingForm.base_fields["quorum"].initial


def test_an_approved_demo_studio_exists():
    _seed()
    studio = Studio.objects.select_related("master", "application").get(master__username="T2001")
    assert studio.status == "active" and studio.application.status == "approved"
    assert studio.approved_on < timezone.localdate()
    assert studio.memberships.filter(user__username="T2001", role="master").exists()


def test_make_run_sends_mail_to_the_console_and_runs_without_debug():
    recipe = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    worker = next(line for line in recipe.splitlines() if "db_worker" in line)
    server = next(line for line in recipe.splitlines() if "runserver" in line)
    for line in (worker, server):
        assert "EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}" in line
        assert "DEBUG=${DEBUG:-0}" in line
