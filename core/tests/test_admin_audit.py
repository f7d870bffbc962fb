"""Issue 8, defect 4: every write through the Django admin is audited with before/after values — the object's own
fields, inline rows, many-to-many fields, deletions and the admin's password change — and role grants made on the
user page go through accounts.services (granted_by = the acting admin)."""

import lxml.html
import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Department, RoleAssignment, User
from core.admin import AuditedAdminMixin
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.allow_lazy_loads]


def test_every_registered_model_admin_uses_the_audit_mixin():
    bare = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, AuditedAdminMixin)]
    assert bare == []


@pytest.fixture
def superuser(db):
    return UserFactory(username="A9100", department=None, is_staff=True, is_superuser=True, roles=[Role.ADMIN])


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _form_values(client, url):
    """What a browser would send back for the page's change form, as a dict of lists (name → values)."""
    response = client.get(url)
    assert response.status_code == 200
    form = next(f for f in lxml.html.fromstring(response.content.decode()).forms if f.get("id", "").endswith("_form"))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def _errors(response):
    page = lxml.html.fromstring(response.content.decode())
    return [e.text_content().strip() for e in page.cssselect(".errornote, .errorlist")]


def _post(client, url, data):
    return client.post(url, {k: (v if isinstance(v, list) else [v]) for k, v in data.items()})


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_role_granted_on_the_user_page_goes_through_the_service(admin_client, superuser, department):
    teacher = UserFactory(username="T9100", department=department)
    url = reverse("admin:accounts_user_change", args=[teacher.pk])
    data = _form_values(admin_client, url)
    prefix = "role_assignments"
    data[f"{prefix}-TOTAL_FORMS"] = ["1"]
    data[f"{prefix}-0-role"] = [Role.DEPT_HEAD.value]
    data[f"{prefix}-0-department"] = [str(department.pk)]
    data[f"{prefix}-0-user"] = [str(teacher.pk)]
    response = _post(admin_client, url, data)
    assert response.status_code == 302, _errors(response)
    grant = RoleAssignment.objects.get(user=teacher, role=Role.DEPT_HEAD)
    assert grant.granted_by_id == superuser.pk and grant.department_id == department.pk
    [event] = _events("accounts.role.assigned")
    assert event.actor_id == superuser.pk and event.object_id == str(teacher.pk)
    assert event.after == {"role": Role.DEPT_HEAD.value, "department": department.pk}

    # Revoking it on the same page goes through revoke_role.
    data = _form_values(admin_client, url)
    data[f"{prefix}-0-DELETE"] = ["on"]
    assert _post(admin_client, url, data).status_code == 302
    assert not RoleAssignment.objects.filter(user=teacher, role=Role.DEPT_HEAD).exists()
    [event] = _events("accounts.role.revoked")
    assert event.actor_id == superuser.pk and event.before["role"] == Role.DEPT_HEAD.value


def test_a_refused_grant_on_the_user_page_is_shown_and_changes_nothing(admin_client, department):
    teacher = UserFactory(username="T9101", department=department)
    url = reverse("admin:accounts_user_change", args=[teacher.pk])
    data = _form_values(admin_client, url)
    data["display_name"] = ["改了名字"]
    data["role_assignments-TOTAL_FORMS"] = ["1"]
    data["role_assignments-0-role"] = [Role.DEPT_HEAD.value]  # a 系主任 without a department: the service refuses
    data["role_assignments-0-user"] = [str(teacher.pk)]
    response = _post(admin_client, url, data)
    assert response.status_code == 200
    assert "系（部）主任必须指定负责的系部" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.display_name != "改了名字"
    assert not RoleAssignment.objects.filter(user=teacher).exists()
    assert not AuditEvent.objects.filter(action__startswith="accounts.role.").exists()
    assert not AuditEvent.objects.filter(action__contains=".admin_").exists()


def test_user_page_changes_are_logged_with_before_and_after(admin_client, superuser, department):
    teacher = UserFactory(username="T9102", display_name="旧名字", department=department)
    url = reverse("admin:accounts_user_change", args=[teacher.pk])
    data = _form_values(admin_client, url)
    data["display_name"] = ["新名字"]
    assert _post(admin_client, url, data).status_code == 302
    [event] = _events("accounts.user.admin_changed")
    assert event.actor_id == superuser.pk
    assert event.before["display_name"] == "旧名字" and event.after["display_name"] == "新名字"
    # Only what changed is listed (the form round-trip may also drop date_joined's microseconds: a real change).
    assert set(event.after) <= {"display_name", "date_joined", "last_login"} and "username" not in event.before


def test_admin_password_change_is_audited_without_the_password(admin_client, superuser):
    teacher = UserFactory(username="T9103")
    url = reverse("admin:auth_user_password_change", args=[teacher.pk])
    response = admin_client.post(
        url, {"password1": "Xy7#kLm2pQ9!", "password2": "Xy7#kLm2pQ9!", "usable_password": "true"}
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Xy7#kLm2pQ9!")
    [event] = _events("accounts.user.admin_password_changed")
    assert event.actor_id == superuser.pk and event.object_id == str(teacher.pk)
    assert "Xy7#kLm2pQ9!" not in str(event.after) and teacher.password not in str(event.after)


def test_policy_version_inline_edits_log_their_field_changes(admin_client, superuser):
    from people.models import HonorRule, PolicyVersion

    policy = PolicyVersion.objects.get(year=2026)
    rule = HonorRule.objects.filter(policy=policy).order_by("id").first()
    assert rule is not None
    url = reverse("admin:people_policyversion_change", args=[policy.pk])
    data = _form_values(admin_client, url)
    prefix = "honor_rules"
    index = next(i for i in range(50) if data.get(f"{prefix}-{i}-id") == [str(rule.pk)])
    data[f"{prefix}-{index}-min_count"] = [str(rule.min_count + 1)]
    response = _post(admin_client, url, data)
    assert response.status_code == 302, _errors(response)
    [event] = _events("people.honorrule.admin_changed")
    assert event.actor_id == superuser.pk and event.object_id == str(rule.pk)
    assert event.before == {"min_count": rule.min_count}
    assert event.after == {"min_count": rule.min_count + 1, "parent": "people.policyversion", "parent_id": policy.pk}


def test_admin_delete_records_what_was_deleted(admin_client, superuser):
    department = Department.objects.create(code="ZZ", name="待删除系")
    url = reverse("admin:accounts_department_delete", args=[department.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()
    [event] = _events("accounts.department.admin_deleted")
    assert event.before["name"] == "待删除系" and event.before["code"] == "ZZ"
    assert User.objects.filter(pk=superuser.pk).exists()
