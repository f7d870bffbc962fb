"""Every screen renders for the role it is for (and the admin shows the clear ID number to the admin only)."""

from datetime import date

import pytest

from accounts.enums import Role
from tests.factories import UserFactory

from .factories import EnterpriseFactory, HonorFactory, StaffProfileFactory, WorkPeriodFactory, make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db):
    return UserFactory(username="R9001", department=None, roles=[Role.HR])


@pytest.fixture
def coop(db):
    return UserFactory(username="Q9001", department=None, roles=[Role.COOP_OFFICE])


def test_staff_pages(applicant, login):
    StaffProfileFactory(user=applicant)
    period, honor = WorkPeriodFactory(user=applicant), HonorFactory(user=applicant)
    client = login(applicant)
    for url, text in [
        ("/people/me/", "我的资历"),
        ("/people/me/profile/", "完善我的档案"),
        ("/people/work/new/", "添加企业工作/实践经历"),
        (f"/people/work/{period.pk}/edit/", "修改企业经历"),
        ("/people/honors/new/", "添加荣誉/奖项"),
        (f"/people/honors/{honor.pk}/edit/", "修改荣誉/奖项"),
        ("/people/me/eligibility/", "技能大师资格预审"),
        ("/people/enterprises/", "合作企业名录"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_owner_updates_own_profile(applicant, login):
    from tests.factories import MajorFactory

    major = MajorFactory(name="数控技术应用")
    response = login(applicant).post(
        "/people/me/profile/", {"title": "讲师", "phone": "13800138000", "majors": [major.pk]}
    )
    assert response.status_code == 302
    from people.models import StaffProfile

    profile = StaffProfile.objects.prefetch_related("majors").get(user=applicant)
    assert profile.title == "讲师" and [m.name for m in profile.majors.all()] == ["数控技术应用"]


def test_my_record_query_count(applicant, login, django_assert_max_num_queries):
    StaffProfileFactory(user=applicant)
    for _ in range(10):
        WorkPeriodFactory(user=applicant)
        HonorFactory(user=applicant)
    client = login(applicant)
    with django_assert_max_num_queries(12):
        response = client.get("/people/me/")
    assert response.content.decode().count("/certificate/") == 10


def test_hr_pages(applicant, hr, login):
    StaffProfileFactory(user=applicant)
    client = login(hr)
    for url in [
        "/people/staff/",
        f"/people/staff/{applicant.pk}/",
        f"/people/staff/{applicant.pk}/edit/",
        "/people/roster/import/",
        f"/people/staff/{applicant.pk}/eligibility/",
    ]:
        assert client.get(url).status_code == 200, url


def test_coop_pages(coop, login):
    enterprise = EnterpriseFactory(is_partner=False)
    client = login(coop)
    for url in [
        "/people/enterprises/",
        "/people/enterprises/new/",
        f"/people/enterprises/{enterprise.pk}/",
        f"/people/enterprises/{enterprise.pk}/edit/",
    ]:
        assert client.get(url).status_code == 200, url
    assert "未登记为学校合作企业" in client.get(f"/people/enterprises/{enterprise.pk}/").content.decode()


def test_admin_sees_clear_id_others_masked(applicant, admin_user, login):
    from people import services

    hr = UserFactory(roles=[Role.HR], department=None)
    number = make_id_number(date(1985, 6, 15))
    profile = services.save_profile(by=hr, user=applicant, data={"birth_date": date(1985, 6, 15)}, id_number=number)
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    body = login(admin_user).get(f"/admin/people/staffprofile/{profile.pk}/change/").content.decode()
    assert number in body
    hr.is_staff = True
    hr.save()
    from django.contrib.auth.models import Permission

    hr.user_permissions.add(*Permission.objects.filter(codename__in=["view_staffprofile", "change_staffprofile"]))
    body = login(hr).get(f"/admin/people/staffprofile/{profile.pk}/change/").content.decode()
    assert number not in body and profile.id_number_masked in body
