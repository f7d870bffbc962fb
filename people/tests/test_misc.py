"""Policy copy for a new year, the inbox entries, external members' enterprise registration."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import Role
from core.navigation import inbox_for
from people.models import ExternalAffiliation, HonorRule, PolicyVersion
from people.rules import Verdict, check_master_eligibility
from people.services import copy_policy_version
from tests.factories import UserFactory

from .factories import EnterpriseFactory, ExternalAffiliationFactory, HonorFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop(db):
    return UserFactory(username="Q9001", department=None, roles=[Role.COOP_OFFICE])


def test_admin_copies_policy_to_next_year_and_edits_it(admin_user):
    version = PolicyVersion.objects.get(year=2026)
    new = copy_policy_version(version, by=admin_user, year=2027)
    assert HonorRule.objects.filter(policy=new).count() == HonorRule.objects.filter(policy=version).count() == 6
    PolicyVersion.objects.filter(pk=new.pk).update(master_max_age=50)
    profile = StaffProfileFactory(birth_date=date(1979, 6, 1))
    assert check_master_eligibility(profile.user, on=date(2026, 12, 31)).get("R4").verdict == Verdict.FAIL
    assert check_master_eligibility(profile.user, on=date(2027, 1, 1)).get("R4").verdict == Verdict.PASS
    with pytest.raises(ValidationError):
        copy_policy_version(version, by=admin_user, year=2027)


def test_only_admin_copies_policy(teaching_affairs):
    with pytest.raises(PermissionDenied):
        copy_policy_version(PolicyVersion.objects.get(year=2026), by=teaching_affairs, year=2027)
    assert not PolicyVersion.objects.filter(year=2027).exists()


def test_admin_action_copies(admin_user, login):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    version = PolicyVersion.objects.get(year=2026)
    response = login(admin_user).post(
        "/admin/people/policyversion/", {"action": "copy_to_next_year", "_selected_action": [version.pk]}
    )
    assert response.status_code == 302
    assert PolicyVersion.objects.filter(year=2027).exists()


def test_inbox_counts_honours_without_certificate(applicant):
    HonorFactory(user=applicant, certificate="")
    HonorFactory(user=applicant)
    entries = inbox_for(applicant)
    assert [e.count for e in entries if "荣誉证书待上传" in e.title] == [1]


def test_inbox_for_coop_office_expiring_agreements(coop):
    today = timezone.localdate()
    EnterpriseFactory(agreement_start=today - timedelta(days=300), agreement_end=today + timedelta(days=30))
    EnterpriseFactory(agreement_start=today - timedelta(days=300), agreement_end=today + timedelta(days=300))
    assert [e.count for e in inbox_for(coop) if "合作协议" in e.title] == [1]


def test_coop_office_registers_and_removes_external_member(coop, login):
    enterprise = EnterpriseFactory()
    external = UserFactory(is_external=True, department=None)
    client = login(coop)
    response = client.post(
        f"/people/enterprises/{enterprise.pk}/affiliations/", {"user": external.pk, "position": "技师"}
    )
    assert response.status_code == 302
    affiliation = ExternalAffiliation.objects.get(user=external)
    assert affiliation.enterprise_id == enterprise.pk and affiliation.position == "技师"
    assert client.post(f"/people/affiliations/{affiliation.pk}/delete/").status_code == 302
    assert not ExternalAffiliation.objects.exists()


def test_staff_cannot_register_external_members(applicant, login):
    enterprise = EnterpriseFactory()
    external = UserFactory(is_external=True, department=None)
    response = login(applicant).post(f"/people/enterprises/{enterprise.pk}/affiliations/", {"user": external.pk})
    assert response.status_code == 403
    affiliation = ExternalAffiliationFactory()
    assert login(applicant).post(f"/people/affiliations/{affiliation.pk}/delete/").status_code == 403
    assert ExternalAffiliation.objects.count() == 1
