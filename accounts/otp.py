"""Two-factor sign-in (TOTP, django-otp) — the second step of the ONE login path (docs/security.md "两步验证").

Every way in (our sign-in page, CAS, LDAP, the admin's login) ends in django.contrib.auth.login(), which sends
user_logged_in. The receiver below marks the new session "pending" when the person holds a role of
settings.OTP_REQUIRED_FOR (系统管理员 always) or has enrolled an authenticator of his own. While pending,
OTPRequiredMiddleware lets through only the second-step pages and 退出: every other page redirects there, every
session-authenticated API call is refused (403). So no sign-on path can skip the code. Personal API tokens
(`Authorization: Bearer …`) are unaffected: they are issued from a verified session and carry no session.

Codes: a TOTP device (RFC 6238, 30 s, 6 digits; the secret shown once as a QR code rendered here, never by a remote
service) and a static device holding RECOVERY_CODES single-use recovery codes. A wrong code is a failed sign-in: it is
counted on the same throttle as a wrong password (accounts.security: lockout per 工号 + address, delay per 工号) and
audited. 系统管理员 resets someone's devices (reset_devices, audited); the person then enrols again at next sign-in.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import log_action

from . import security
from .enums import Role
from .permissions import may_manage_account, may_write_as, roles_of

PENDING_KEY = "_otp_pending"  # "verify" (has an authenticator) or "enrol" (must set one up first)
NEXT_KEY = "_otp_next"  # the page asked for before the second step
RECOVERY_CODES = 10
DEVICE_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


# --- Who needs it ---------------------------------------------------------------------------------------------------


def otp_required(user) -> bool:
    """Whether a role of `user` must sign in with a second factor (settings.OTP_REQUIRED_FOR)."""
    return bool(roles_of(user) & set(settings.OTP_REQUIRED_FOR))


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@receiver(user_logged_in, dispatch_uid="accounts.otp_second_step")
def require_second_step(sender, request, user, **kwargs):
    """Mark a new session pending when the person must (or chose to) sign in with a code."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if is_enrolled(user):
        session[PENDING_KEY] = "verify"
    elif otp_required(user):
        session[PENDING_KEY] = "enrol"


def pending(request):
    session = getattr(request, "session", None)
    return session.get(PENDING_KEY) if session is not None else None


def step_url(request):
    return reverse("accounts:otp_enrol" if pending(request) == "enrol" else "accounts:otp_verify")


class OTPRequiredMiddleware:
    """A session that passed the password (or CAS/LDAP) step but not yet the code reaches only the second-step pages
    and 退出. Costs a session lookup, no query, for every other session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if pending(request) and request.user.is_authenticated:
            path = request.path_info
            allowed = {reverse("accounts:otp_verify"), reverse("accounts:otp_enrol"), reverse("accounts:logout")}
            if path not in allowed and not path.startswith(settings.STATIC_URL):
                if path.startswith("/api/"):
                    if "HTTP_AUTHORIZATION" not in request.META:
                        return JsonResponse({"detail": "请先完成两步验证。"}, status=403)
                    request.user = AnonymousUser()  # a personal token decides; the unverified session does not
                else:
                    if request.method == "GET" and not request.headers.get("HX-Request"):
                        request.session[NEXT_KEY] = request.get_full_path()
                    return redirect(step_url(request))
        return self.get_response(request)


# --- Secrets and QR codes -------------------------------------------------------------------------------------------


def secret_base32(device) -> str:
    """The TOTP secret as authenticator apps take it when typed in by hand (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device) -> str:
    """The device's otpauth:// URI as an inline SVG QR code, drawn here (segno): the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)


# --- Services -------------------------------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(*, by):
    """The unconfirmed authenticator `by` is setting up (kept across page loads, so the QR code stays the same)."""
    device = TOTPDevice.objects.filter(user=by, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=by, name=DEVICE_NAME, confirmed=False)
        log_action(actor=by, action="accounts.otp.enrolment_started", obj=by)
    device.user = by  # config_url names the account: no second query for it
    return device


def _refuse_if_throttled(user, ip):
    refused = security.refusal(user.get_username(), ip)
    if refused is not None:
        security.record_blocked(user.get_username(), ip, refused)
        raise PermissionDenied(refused.message())


def _count_failure(user, ip, *, action):
    failure = security.record_failure(user.get_username(), ip)
    log_action(
        actor=user,
        action=action,
        obj=user,
        after={"failures": failure.throttle.failures, "locked": bool(failure.throttle.locked_until)},
    )
    if failure.lock_started:
        log_action(
            actor=None,
            action="accounts.login.locked",
            object_type="accounts.user",
            object_id=user.get_username()[:64],
            after={"ip": failure.throttle.ip, "failures": failure.throttle.failures},
        )


def _clean_code(code) -> str:
    return "".join(str(code or "").split())[:32]


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, by, code, ip):
    """Confirm the authenticator `by` set up with a first code; returns the new recovery codes (shown once).
    A wrong code is refused with a Chinese message, counted like a wrong password, and changes nothing else."""
    _refuse_if_throttled(by, ip)
    code = _clean_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=by, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ValidationError("请刷新页面，重新扫描二维码。")
        ok = code.isdigit() and device.verify_token(code)
    if not ok:
        with transaction.atomic():
            _count_failure(by, ip, action="accounts.otp.failed")
        raise ValidationError("验证码不正确，请核对手机上的 6 位数字（注意时间同步）后重试。")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = _new_recovery_codes(by)
        security.clear(by.get_username(), ip)
        log_action(actor=by, action="accounts.otp.enrolled", obj=by, after={"recovery_codes": RECOVERY_CODES})
    return codes


def verify_code(*, by, code, ip):
    """The second step: a code of `by`'s authenticator, or one of his recovery codes (used up). Returns "totp" or
    "recovery". A wrong code raises ValidationError after being counted; a throttled 工号 gets PermissionDenied."""
    _refuse_if_throttled(by, ip)
    code = _clean_code(code)
    kind = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=by, confirmed=True).order_by("-pk").first()
        if device is not None and code.isdigit() and len(code) == device.digits and device.verify_token(code):
            kind = "totp"
        elif code:
            static = StaticDevice.objects.select_for_update().filter(user=by, confirmed=True).first()
            if static is not None and static.verify_token(code.lower()):
                kind = "recovery"
    if kind is None:
        with transaction.atomic():
            _count_failure(by, ip, action="accounts.otp.failed")
        raise ValidationError("验证码不正确。请输入身份验证器上的 6 位数字，或一个未用过的恢复码。")
    with transaction.atomic():
        security.clear(by.get_username(), ip)
        action = "accounts.otp.verified" if kind == "totp" else "accounts.otp.recovery_used"
        after = {"recovery_codes_left": recovery_codes_left(by)} if kind == "recovery" else None
        log_action(actor=by, action=action, obj=by, after=after)
    return kind


@transaction.atomic
def regenerate_recovery_codes(*, by):
    """New recovery codes for `by` (the old ones stop working); only with an authenticator enrolled."""
    if not is_enrolled(by):
        raise ValidationError("请先设置身份验证器。")
    codes = _new_recovery_codes(by)
    log_action(actor=by, action="accounts.otp.recovery_regenerated", obj=by)
    return codes


def may_reset(actor, user) -> bool:
    return may_write_as(actor, Role.ADMIN) and may_manage_account(actor, user)


@transaction.atomic
def reset_devices(*, by, user):
    """系统管理员 removes `user`'s authenticator and recovery codes (lost phone): at the next sign-in he sets up a new
    one (when his role requires it). Audited; refused for anyone but an administrator who may manage the account."""
    if not may_reset(by, user):
        raise PermissionDenied("只有系统管理员可以重置两步验证。")
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise ValidationError("该账户没有设置两步验证，无需重置。")
    log_action(actor=by, action="accounts.otp.reset", obj=user)


def finish(request, *, kind):
    """The session passed its second step: a new session id (the privilege changed), then on to the page asked for."""
    request.session.pop(PENDING_KEY, None)
    target = request.session.pop(NEXT_KEY, "") or ""
    request.session.cycle_key()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse(settings.LOGIN_REDIRECT_URL)
    return target


# --- Demo (seed_demo) -----------------------------------------------------------------------------------------------

# The demo administrator's authenticator secret: printed with the demo accounts so `make run` can be signed in to.
DEMO_SECRET_HEX = "3132333435363738393031323334353637383930"  # noqa: S105  RFC 6238's test key; demo data only


@transaction.atomic
def enrol_demo(user):
    """seed_demo: give the demo admin a known authenticator (idempotent). Never called outside the demo data."""
    if TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_SECRET_HEX).exists():
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="演示验证器", key=DEMO_SECRET_HEX, confirmed=True)
    log_action(actor=None, action="accounts.otp.enrolled", obj=user, note="seed_demo")
    return device
