"""Two-factor sign-in (issue 14 item 4): required for admin, configurable for officer roles, one login path."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.enums import Role
from accounts.models import LoginThrottle
from core.models import AuditEvent
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_default(settings):
    """The suite turns two-factor off (config/test_settings.py); here it is the production default again."""
    settings.OTP_REQUIRED_FOR = frozenset({"admin"})


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _password_login(client, user, next_url=""):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": TEST_PASSWORD, "next": next_url})


def _enrol(client, user):
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_enrol"), {"code": _code(device)})
    assert response.status_code == 200
    return device, re.findall(r'<code class="mono fs-5">([a-z0-9]+)</code>', response.content.decode())


def test_admin_must_enrol_at_first_sign_in_and_nothing_else_is_reachable(client, admin_user):
    response = _password_login(client, admin_user)
    assert response.status_code == 302
    home = client.get(reverse("workspace:home"))
    assert home.status_code == 302 and home.url == reverse("accounts:otp_enrol")
    assert client.get(reverse("admin:index")).url == reverse("accounts:otp_enrol")
    api = client.get("/api/v1/system/users")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]

    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "otpauth" not in body  # the QR code is drawn here; the URI is not printed
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    assert otp.secret_base32(device) in body

    device, codes = _enrol(client, admin_user)
    assert len(codes) == otp.RECOVERY_CODES
    assert client.get(reverse("workspace:home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp.enrolled", object_id=str(admin_user.pk)).exists()


def test_second_sign_in_needs_the_code_and_a_wrong_code_is_refused_and_counted(client, admin_user, settings):
    _password_login(client, admin_user)
    device, _codes = _enrol(client, admin_user)
    client.post(reverse("accounts:logout"))

    _password_login(client, admin_user, next_url="/system/")
    assert client.get("/system/").url == reverse("accounts:otp_verify")
    response = client.post(
        reverse("accounts:otp_verify"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert client.get("/system/").status_code == 302  # still pending
    throttle = LoginThrottle.objects.get(username=admin_user.username, ip="127.0.0.1")
    assert throttle.failures == 1
    assert AuditEvent.objects.filter(action="accounts.otp.failed").count() == 1

    device.refresh_from_db()
    response = client.post(reverse("accounts:otp_verify"), {"code": _code(device, offset=1)})
    assert response.status_code == 302 and response.url == "/system/"
    assert client.get(reverse("workspace:home")).status_code == 200
    assert not LoginThrottle.objects.filter(username=admin_user.username, failures__gt=0, ip="127.0.0.1").exists()


def test_wrong_codes_lock_the_sign_in_like_wrong_passwords(client, admin_user, settings):
    settings.LOGIN_MAX_FAILURES = 3
    TOTPDevice.objects.create(user=admin_user, name="x", confirmed=True)
    _password_login(client, admin_user)
    for _ in range(3):
        client.post(reverse("accounts:otp_verify"), {"code": "12345x"})
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post(reverse("accounts:otp_verify"), {"code": _code(device)})
    assert "锁定" in response.content.decode()
    assert client.get(reverse("workspace:home")).status_code == 302
    # and the password step is locked for this 工号 and address too
    client.post(reverse("accounts:logout"))
    response = _password_login(client, admin_user)
    assert response.status_code == 200 and "锁定" in response.content.decode()


def test_recovery_code_works_once(client, admin_user):
    _password_login(client, admin_user)
    _device, codes = _enrol(client, admin_user)
    client.post(reverse("accounts:logout"))
    _password_login(client, admin_user)
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=admin_user).count() == otp.RECOVERY_CODES - 1
    assert AuditEvent.objects.filter(action="accounts.otp.recovery_used").exists()
    client.post(reverse("accounts:logout"))
    _password_login(client, admin_user)
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_officer_roles_are_configurable(client, settings):
    officer = UserFactory(roles=[Role.FINANCE])
    _password_login(client, officer)
    assert client.get(reverse("workspace:home")).status_code == 200  # not required by default
    client.post(reverse("accounts:logout"))
    settings.OTP_REQUIRED_FOR = frozenset({"admin", "finance", "teaching_affairs", "dev_office"})
    _password_login(client, officer)
    assert client.get(reverse("workspace:home")).url == reverse("accounts:otp_enrol")


def test_staff_without_a_device_signs_in_as_before(client, applicant):
    _password_login(client, applicant)
    assert client.get(reverse("workspace:home")).status_code == 200


def test_every_sign_on_path_gets_the_second_step(client, admin_user):
    """force_login stands for CAS/LDAP: anything ending in django.contrib.auth.login() is pending."""
    client.force_login(admin_user)
    assert client.get(reverse("workspace:home")).url == reverse("accounts:otp_enrol")


def test_api_token_is_unaffected(client, admin_user):
    from accounts import services

    _token, key = services.issue_api_token(by=admin_user, name="脚本")
    response = client.get("/api/v1/system/users", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_admin_resets_a_lost_phone_audited(client, admin_user):
    person = UserFactory(roles=[Role.TEACHING_AFFAIRS])
    TOTPDevice.objects.create(user=person, name="x", confirmed=True)
    otp._new_recovery_codes(person)
    other_admin = UserFactory(department=None, roles=[Role.ADMIN])
    TOTPDevice.objects.create(user=other_admin, name="x", confirmed=True)
    client.force_login(other_admin)
    session = client.session
    session.pop(otp.PENDING_KEY, None)
    session.save()
    response = client.post(reverse("administration:user_reset_otp", args=[person.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    event = AuditEvent.objects.get(action="accounts.otp.reset")
    assert event.actor_id == other_admin.pk and event.object_id == str(person.pk)


def test_only_admin_may_reset(admin_user):
    from django.core.exceptions import PermissionDenied

    hr = UserFactory(roles=[Role.HR])
    TOTPDevice.objects.create(user=admin_user, name="x", confirmed=True)
    with pytest.raises(PermissionDenied):
        otp.reset_devices(by=hr, user=admin_user)
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert not AuditEvent.objects.filter(action="accounts.otp.reset").exists()


def test_the_admin_shows_devices_read_only_and_never_their_secret(client, settings):
    """django-otp's own admins (editable, with the key and a QR code) are replaced by read-only ones."""
    settings.OTP_REQUIRED_FOR = frozenset()  # the superuser's own second step is not what this test is about
    superuser = UserFactory(roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=UserFactory(), name=otp.DEVICE_NAME, confirmed=True)
    client.force_login(superuser)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode() and otp.secret_base32(device) not in change.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert (
        client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}).status_code == 403
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
