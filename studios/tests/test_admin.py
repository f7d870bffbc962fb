import pytest
from django.test import RequestFactory

from studios.admin import RevokedStudioReadOnlyMixin, StudioAdmin
from studios.models import Studio, StudioException
from studios.services import revoke_studio
from studios.tests.factories import make_studio

pytestmark = pytest.mark.django_db


class _Base:
    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


class ExampleAdmin(RevokedStudioReadOnlyMixin, _Base):
    """An admin of a record that belongs to a studio, as the ledger/plans apps write it."""


def test_records_of_a_revoked_studio_are_read_only_in_the_admin(teaching_affairs, applicant, department, admin_user):
    studio = make_studio(teaching_affairs, master=applicant, department=department)
    record = StudioException(studio=studio)
    request = RequestFactory().get("/")
    request.user = admin_user
    admin = ExampleAdmin()
    assert admin.has_change_permission(request, record) and admin.has_delete_permission(request, record)
    revoke_studio(studio, by=teaching_affairs, reason="考核不合格")
    record.studio = Studio.objects.get(pk=studio.pk)
    assert not admin.has_change_permission(request, record)
    assert not admin.has_delete_permission(request, record)
    assert not StudioAdmin(Studio, None).has_change_permission(request, record.studio)


@pytest.mark.allow_lazy_loads
def test_admin_pages_of_studios_answer(client, admin_user, teaching_affairs, applicant, department):
    studio = make_studio(teaching_affairs, master=applicant, department=department)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for url in (
        "/admin/studios/studio/",
        f"/admin/studios/studio/{studio.pk}/change/",
        "/admin/studios/studioexception/",
        "/admin/studios/responsibilityletter/",
        "/admin/studios/responsibilitylettertemplate/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post(f"/admin/studios/studio/{studio.pk}/change/", {"official_name": "改名"}).status_code == 403
