import pytest
from django.core.exceptions import PermissionDenied

from accounts.permissions import can
from studios.enums import MembershipRole, StudioStatus
from studios.services import StudioReadOnly, ensure_writable

pytestmark = pytest.mark.django_db


def _studio(master, department, status=StudioStatus.ACTIVE):
    import datetime as dt

    from studios.enums import StudioSource
    from studios.models import Membership, Studio

    studio = Studio.objects.create(
        source=StudioSource.REGISTERED,
        official_name="测试工作室",
        plaque_name="重庆市工业学校（测试）技能大师工作室",
        master=master,
        mode="school",
        department=department,
        status=status,
        document_number="渝工校〔2020〕1号",
        approved_on=dt.date(2020, 5, 1),
    )
    Membership.objects.create(studio=studio, user=master, role=MembershipRole.MASTER, joined_on=dt.date(2020, 5, 1))
    return studio


def test_ensure_writable_refuses_a_revoked_studio_in_chinese(applicant, department):
    active = _studio(applicant, department)
    assert ensure_writable(active) is active
    revoked = _studio(applicant, department, status=StudioStatus.REVOKED)
    with pytest.raises(StudioReadOnly) as refused:
        ensure_writable(revoked)
    assert isinstance(refused.value, PermissionDenied)
    assert "已撤销" in str(refused.value) and "测试工作室" in str(refused.value)


def test_record_is_for_the_master_and_current_members_of_an_active_studio(
    applicant, department, outsider, dept_head, teaching_affairs, inspector
):
    import datetime as dt

    from studios.models import Membership

    studio = _studio(applicant, department)
    member = Membership.objects.create(
        studio=studio, user=outsider, role=MembershipRole.CORE, joined_on=dt.date(2021, 1, 1)
    )
    assert can(applicant, "record", studio)
    assert can(outsider, "record", studio)
    assert not can(dept_head, "record", studio)
    assert not can(teaching_affairs, "record", studio)
    assert not can(inspector, "record", studio)
    member.left_on = dt.date(2022, 1, 1)
    member.save()
    assert not can(outsider, "record", studio)
    studio.status = StudioStatus.REVOKED
    studio.save()
    assert not can(applicant, "record", studio)
