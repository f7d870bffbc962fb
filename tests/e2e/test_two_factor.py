"""Two-factor sign-in in a real browser (issue 14 item 4): 系统管理员 signs in with his password, is sent to set up an
authenticator (the key read from the page, as one would type it into a phone app), confirms with a code, keeps the
recovery codes and reaches 我的工作台. At the next sign-in a wrong code is refused in Chinese and the right one lets
him in."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.enums import Role
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret_base32, drift=0):
    """What an authenticator app shows for a key typed in by hand (RFC 6238: 30 s, 6 digits)."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def _password_step(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("工号").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_admin_enrols_then_signs_in_with_a_code(page, live_server, password, settings, screenshot):
    settings.OTP_REQUIRED_FOR = frozenset({"admin"})  # the production default (the suite turns it off)
    admin = UserFactory(username="A0001", display_name="赵管理", department=None, roles=[Role.ADMIN])

    _password_step(page, live_server, admin, password)
    page.wait_for_url(re.compile(r"/accounts/otp/setup/$"))
    expect(page.get_by_role("heading", name="设置两步验证")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()  # drawn on our server, no remote image
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.goto(f"{live_server.url}/studios/")  # nothing else is reachable before the second step
    page.wait_for_url(re.compile(r"/accounts/otp/setup/$"))

    page.get_by_label("验证码").fill(_code(secret))
    page.get_by_role("button", name="确认并启用").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    screenshot("two-factor-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{live_server.url}/studios/")  # on to the page asked for before the second step
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    assert TOTPDevice.objects.get(user=admin).confirmed

    page.context.clear_cookies()  # a new browser session: the next sign-in asks for a code
    _password_step(page, live_server, admin, password)
    page.wait_for_url(re.compile(r"/accounts/otp/$"))
    valid = {_code(secret, drift) for drift in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    page.get_by_label("验证码").fill(wrong)
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    assert page.url.endswith("/accounts/otp/")
    assert AuditEvent.objects.filter(action="accounts.otp.failed", object_id=str(admin.pk)).count() == 1
    screenshot("two-factor-wrong-code")

    page.get_by_label("验证码").fill(_code(secret, drift=1))  # the next window: the enrolment's code is used up
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    assert AuditEvent.objects.filter(action="accounts.otp.verified", object_id=str(admin.pk)).exists()
