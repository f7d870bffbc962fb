"""统一身份认证: what CAS (accounts.cas) and LDAP (accounts.ldap) share, and who may still sign in with a local password.

Every sign-on path ends in django.contrib.auth.authenticate() and login(), so it gets what the password login gets:
- the throttle (accounts.security) is checked before anything else — a 工号 locked by wrong passwords from an address
  is locked for CAS and LDAP from that address too (check_throttle, the same refusal LockoutModelBackend raises);
- a wrong LDAP password returns None from authenticate(): Django's user_login_failed counts and audits it
  (accounts.signals), exactly as a wrong local password;
- a refusal that is not a wrong password (unknown 工号, disabled account, directory unreachable) is audited once here
  (accounts.sso.refused) and shown with its own message, without counting towards the lockout;
- login() sends user_logged_in: the audit event, the session's start time (absolute lifetime, accounts.middleware)
  and the second step of two-factor sign-in (accounts.otp) follow, whatever the path.

LOCAL_LOGIN decides who still signs in with a password kept here: "all", or "admin-only" (系统管理员 and superusers —
the way in when the school's CAS or directory is down). Default: "all" when neither CAS nor LDAP is configured,
"admin-only" when one is.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import log_action
from core.middleware import client_ip

from . import security, services
from .backends import LockoutModelBackend, refused_attempt
from .enums import Role
from .models import RoleAssignment, User
from .permissions import EXTERNAL_ROLES, forget_roles

LOCAL_LOGIN_CHOICES = ("all", "admin-only")
METHOD_LABELS = {"cas": "统一身份认证（CAS）", "ldap": "LDAP 目录"}


def cas_enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", ""))


def ldap_enabled() -> bool:
    return bool(getattr(settings, "LDAP_SERVER_URI", ""))


def local_login_rule() -> str:
    rule = getattr(settings, "LOCAL_LOGIN", "") or ("admin-only" if cas_enabled() or ldap_enabled() else "all")
    return rule if rule in LOCAL_LOGIN_CHOICES else "admin-only"


def local_login_allowed(user) -> bool:
    """Whether `user` may sign in with a password kept by this platform (LOCAL_LOGIN)."""
    if local_login_rule() == "all" or user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()


@dataclass(frozen=True)
class SignOnRefusal:
    """A sign-on refused for a reason other than a wrong password; the login form shows message() (as it shows the
    lockout's accounts.security.Refusal)."""

    reason: str
    text: str

    def message(self) -> str:
        return self.text


REFUSALS = {
    "unknown": "统一身份认证已通过，但工号「{username}」在本平台没有账户。请联系人事部开通后再登录。",
    "created": "已为工号「{username}」建立账户，待人事部核对信息并启用后即可登录。",
    "inactive": "该账户已停用，请联系系统管理员。",
    "invalid_username": "统一身份认证返回的工号「{username}」不符合本平台的工号格式，请联系系统管理员。",
    "unavailable": "统一身份认证服务暂时无法连接，请稍后再试；如急需登录，请联系系统管理员。",
    "invalid_ticket": "统一身份认证的登录凭据无效或已过期，请重新登录。",
}


def refuse(request, *, method, reason, username=""):
    """Refuse this sign-on with its own message: audited once (accounts.sso.refused), not counted as a wrong password.
    Raises PermissionDenied, which authenticate() turns into user_login_failed (whose receiver skips it)."""
    refusal = SignOnRefusal(reason, REFUSALS[reason].format(username=username[:32]))
    log_action(
        actor=None,
        action="accounts.sso.refused",
        object_type="accounts.user",
        object_id=username[:64],
        after={"method": method, "reason": reason},
    )
    refused_attempt.set(refusal)
    if request is not None:
        request.login_refusal = refusal
    raise PermissionDenied(refusal.message())


def check_throttle(request, username):
    """The password login's lockout and delay, for a sign-on path that has no password to give LockoutModelBackend:
    refused (and counted on the throttle row) exactly as there."""
    ip = client_ip(request)
    refused = security.refusal(username, ip)
    if refused is not None:
        security.record_blocked(username, ip, refused)
        refused_attempt.set(refused)
        if request is not None:
            request.login_refusal = refused
        raise PermissionDenied(refused.message())


@transaction.atomic
def create_pending_account(*, username, display_name, email, method):
    """CAS_CREATE_UNKNOWN / LDAP_CREATE_UNKNOWN: a disabled account for a 工号 the school's sign-on vouched for, for
    人事部 to complete and enable. Audited (accounts.user.created, accounts.user.disabled, accounts.sso.account_created).
    Returns the account, or the existing one when a concurrent sign-on created it first."""
    try:
        user = services.create_user(
            by=None, username=username, display_name=(display_name or username)[:50], email=email[:254]
        )
    except ValidationError as exc:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        raise exc
    services.set_active(by=None, user=user, active=False)
    log_action(
        actor=None,
        action="accounts.sso.account_created",
        obj=user,
        after={"method": method},
        note=f"经{METHOD_LABELS[method]}首次登录自动建立，待人事部启用",
    )
    return user


def match_account(request, *, method, username, display_name="", email=""):
    """The account of a 工号 the school's sign-on vouched for, or a refusal (unknown, created-pending, disabled)."""
    username = (username or "").strip()
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError:
        refuse(request, method=method, reason="invalid_username", username=username)
    user = User.objects.filter(username=username).first()
    if user is None:
        if not getattr(settings, f"{method.upper()}_CREATE_UNKNOWN", False):
            refuse(request, method=method, reason="unknown", username=username)
        create_pending_account(username=username, display_name=display_name, email=email or "", method=method)
        refuse(request, method=method, reason="created", username=username)
    if not user.is_active:
        refuse(request, method=method, reason="inactive", username=username)
    return user


def sync_roles(user, granted, managed):
    """Directory groups → roles. `managed`: the roles LDAP_GROUP_ROLES names (the directory decides them);
    `granted`: those of them the person's groups give. 系统管理员 is never granted from outside (settings refuse it
    in the mapping; skipped here as well). Through accounts.services (audited, by=None: the system)."""
    managed = {Role(r) for r in managed} - {Role.ADMIN, Role.DEPT_HEAD, Role.STAFF}
    granted = {Role(r) for r in granted} & managed
    held = set(RoleAssignment.objects.filter(user=user, role__in=managed).values_list("role", flat=True))
    for role in sorted(granted - held):
        if user.is_external and role not in EXTERNAL_ROLES:
            continue
        services.assign_role(by=None, user=user, role=role)
    for role in sorted(held - granted):
        services.revoke_role(by=None, user=user, role=Role(role))
    forget_roles(user)


class _LocalRule(ModelBackend):
    """Runs between LockoutModelBackend's throttle check and ModelBackend's password check (see LocalPasswordBackend)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and local_login_rule() != "all":
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is not None and not local_login_allowed(user):
                get_user_model()().set_password(password)  # the same hashing time as a checked password
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LocalPasswordBackend(LockoutModelBackend, _LocalRule):
    """The password login (LockoutModelBackend: throttle first) under the LOCAL_LOGIN rule. A person who must use the
    school's sign-on is not checked against a local password: authenticate() goes on to the next backend (LDAP), and
    if none accepts him the attempt is a failed sign-in (counted and audited) — the same answer as a wrong password,
    so the page does not tell who may use a password. Sessions of every path are loaded by LockoutModelBackend's
    get_user (one query with the unread-notification count)."""
