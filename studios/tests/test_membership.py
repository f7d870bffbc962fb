import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from people.tests.factories import EnterpriseFactory, ExternalAffiliationFactory
from studios.enums import MembershipRole, StudioStatus
from studios.models import Membership, Studio, StudioException
from studios.services import (
    add_member,
    record_exception,
    remove_member,
    resolve_exception,
    revoke_studio,
    set_contacts,
)
from studios.tests.factories import make_studio
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(teaching_affairs, applicant, department):
    return make_studio(teaching_affairs, master=applicant, department=department, cores=3)


def _cores(studio):
    return list(
        Membership.objects.filter(studio=studio, role=MembershipRole.CORE, left_on__isnull=True).select_related("user")
    )


def test_removal_leaving_fewer_than_three_core_teachers_is_refused_with_the_rule(studio, applicant):
    first = _cores(studio)[0]
    with pytest.raises(ValidationError) as refused:
        remove_member(studio, first.pk, by=applicant, reason="调离")
    assert "骨干教师2人，少于规定的3人" in " ".join(refused.value.messages)
    first.refresh_from_db()
    assert first.left_on is None
    assert not AuditEvent.objects.filter(action="studios.membership.removed").exists()


def test_removal_allowed_with_a_recorded_exception_which_stays_until_resolved(studio, applicant, teaching_affairs):
    exception = record_exception(
        studio,
        by=teaching_affairs,
        reason="骨干教师调离，补充中",
        deadline=timezone.localdate() + dt.timedelta(days=60),
    )
    first = _cores(studio)[0]
    remove_member(studio, first.pk, by=applicant, reason="调离")
    first.refresh_from_db()
    assert first.left_on == timezone.localdate() and first.leave_reason == "调离"
    assert len(_cores(studio)) == 2
    event = AuditEvent.objects.get(action="studios.membership.removed")
    assert event.after["exception"] == exception.pk
    assert StudioException.objects.filter(studio=studio, resolved_on__isnull=True).count() == 1
    resolve_exception(exception, by=teaching_affairs, resolution="已补充骨干教师")
    assert not StudioException.objects.filter(studio=studio, resolved_on__isnull=True).exists()
    # resolved: the next removal below the minimum is refused again
    with pytest.raises(ValidationError):
        remove_member(studio, _cores(studio)[0].pk, by=applicant, reason="调离")


def test_an_expired_exception_does_not_allow_a_change(studio, applicant, teaching_affairs):
    exception = record_exception(studio, by=teaching_affairs, reason="过渡", deadline=timezone.localdate())
    StudioException.objects.filter(pk=exception.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        remove_member(studio, _cores(studio)[0].pk, by=applicant, reason="调离")


def test_history_is_kept_and_rejoining_is_a_new_row(teaching_affairs, applicant, department):
    studio = make_studio(teaching_affairs, master=applicant, department=department, cores=4)
    leaver = _cores(studio)[0]
    remove_member(studio, leaver.pk, by=applicant, reason="进修", left_on=timezone.localdate())
    again = add_member(studio, by=applicant, user=leaver.user, role=MembershipRole.CORE, reason="进修结束")
    rows = list(Membership.objects.filter(studio=studio, user=leaver.user).order_by("pk"))
    assert [r.pk for r in rows] == [leaver.pk, again.pk]
    assert rows[0].left_on is not None and rows[1].left_on is None
    with pytest.raises(ValidationError, match="已是本工作室成员"):
        add_member(studio, by=applicant, user=leaver.user, role=MembershipRole.MEMBER)


def test_external_member_needs_a_partner_with_an_agreement_in_force(studio, applicant):
    good = ExternalAffiliationFactory()
    add_member(studio, by=applicant, user=good.user, role=MembershipRole.CORE, reason="企业技师")
    assert Membership.objects.filter(studio=studio, user=good.user, is_external=True, left_on__isnull=True).exists()

    not_partner = ExternalAffiliationFactory(enterprise=EnterpriseFactory(is_partner=False))
    with pytest.raises(ValidationError, match="未登记为学校合作企业"):
        add_member(studio, by=applicant, user=not_partner.user, role=MembershipRole.MEMBER)

    expired = ExternalAffiliationFactory(
        enterprise=EnterpriseFactory(agreement_start=dt.date(2020, 1, 1), agreement_end=dt.date(2023, 12, 31))
    )
    with pytest.raises(ValidationError, match="没有有效的合作协议"):
        add_member(studio, by=applicant, user=expired.user, role=MembershipRole.MEMBER)
    # on a date the agreement was in force it is accepted (R2 is checked on the joining date)
    studio_2023 = make_studio(
        applicant.__class__.objects.get(username="J9001"),
        master=UserFactory(),
        department=studio.department,
        name="另一技能大师工作室",
        approved_on=dt.date(2022, 1, 1),
    )
    add_member(
        studio_2023,
        by=applicant.__class__.objects.get(username="J9001"),
        user=expired.user,
        role=MembershipRole.MEMBER,
        joined_on=dt.date(2023, 6, 1),
    )
    unregistered = UserFactory(is_external=True, department=None)
    with pytest.raises(ValidationError, match="未登记所在企业"):
        add_member(studio, by=applicant, user=unregistered, role=MembershipRole.MEMBER)
    assert not Membership.objects.filter(user__in=[not_partner.user, unregistered]).exists()


def test_only_the_master_and_teaching_affairs_change_members(studio, outsider, dept_head, inspector):
    for user in (outsider, dept_head, inspector):
        with pytest.raises(PermissionDenied):
            add_member(studio, by=user, user=UserFactory(), role=MembershipRole.MEMBER)
    core = _cores(studio)[0]
    with pytest.raises(PermissionDenied):
        remove_member(studio, core.pk, by=core.user, reason="自己退出")
    assert Membership.objects.filter(studio=studio).count() == 4


def test_the_master_cannot_leave_and_a_reason_is_required(studio, applicant):
    master_row = Membership.objects.get(studio=studio, role=MembershipRole.MASTER)
    with pytest.raises(ValidationError, match="技能大师不能退出"):
        remove_member(studio, master_row.pk, by=applicant, reason="x")
    with pytest.raises(ValidationError, match="请填写退出原因"):
        remove_member(studio, _cores(studio)[0].pk, by=applicant, reason="  ")


def test_contacts_are_current_members_and_cleared_when_they_leave(teaching_affairs, applicant, department, outsider):
    studio = make_studio(teaching_affairs, master=applicant, department=department, cores=4)
    lead, contact = _cores(studio)[:2]
    set_contacts(studio, by=applicant, exec_lead_id=lead.pk, contact_id=contact.pk)
    studio.refresh_from_db()
    assert (studio.exec_lead_id, studio.contact_id) == (lead.pk, contact.pk)
    with pytest.raises(ValidationError, match="现有成员"):
        set_contacts(studio, by=applicant, exec_lead_id=999999, contact_id=None)
    with pytest.raises(PermissionDenied):
        set_contacts(studio, by=outsider, exec_lead_id=None, contact_id=None)
    remove_member(studio, lead.pk, by=applicant, reason="调离")
    studio.refresh_from_db()
    assert studio.exec_lead_id is None and studio.contact_id == contact.pk


def test_a_revoked_studio_refuses_every_change(studio, applicant, teaching_affairs):
    revoke_studio(studio, by=teaching_affairs, reason="考核不合格")
    studio = Studio.objects.get(pk=studio.pk)
    assert studio.status == StudioStatus.REVOKED
    with pytest.raises(PermissionDenied, match="已撤销"):
        add_member(studio, by=teaching_affairs, user=UserFactory(), role=MembershipRole.MEMBER)
    with pytest.raises(PermissionDenied, match="已撤销"):
        record_exception(studio, by=teaching_affairs, reason="x", deadline=timezone.localdate())
    with pytest.raises(PermissionDenied, match="已撤销"):
        set_contacts(studio, by=teaching_affairs, exec_lead_id=None, contact_id=None)
    assert Membership.objects.filter(studio=studio).count() == 4
