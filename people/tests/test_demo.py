"""seed_demo: idempotent; T1001 is eligible and can lead T1002–T1004; T2001 is not eligible."""

from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import User
from people.models import Enterprise, Honor, StaffProfile, WorkPeriod
from people.rules import MemberSpec, check_master_eligibility, check_team_composition

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 1)


def _counts():
    return (StaffProfile.objects.count(), WorkPeriod.objects.count(), Honor.objects.count(), Enterprise.objects.count())


def test_seed_demo_is_idempotent_and_makes_t1001_eligible():
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    first = _counts()
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    assert _counts() == first and first[0] == 5
    users = {
        u.username: u for u in User.objects.filter(username__in=["T1001", "T1002", "T1003", "T1004", "T2001", "W0001"])
    }
    report = check_master_eligibility(users["T1001"], on=ON)
    assert report.ok, [r.message for r in report.failures]
    assert not check_master_eligibility(users["T2001"], on=ON).ok
    members = [MemberSpec(users[u], "core") for u in ("T1002", "T1003", "T1004")]
    assert check_team_composition(users["T1001"], members, "school", on=ON).ok
    joint = check_team_composition(users["T1001"], [*members, MemberSpec(users["W0001"], "core")], "joint", on=ON)
    assert joint.ok, [r.message for r in joint.failures]
    profile = StaffProfile.objects.get(user=users["T1001"])
    assert profile.id_number_masked.startswith("500***") and profile.reveal_id_number().endswith(
        profile.id_number_masked[-4:]
    )
