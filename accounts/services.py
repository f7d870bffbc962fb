"""Writes on users, roles and sign-in events. Each is atomic and leaves an audit event."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import log_action
from core.tasks import send_notification_email

from . import security
from .enums import Role
from .models import ApiToken, Department, Major, RoleAssignment, User, password_fingerprint
from .permissions import (
    EXTERNAL_ROLES,
    NO_API_ACCESS_MESSAGE,
    forget_roles,
    grantable_roles,
    may_manage_account,
    may_use_api_tokens,
    may_write_as,
    roles_of,
)
from .tokens import activation_tokens, encode_uid, reset_tokens


def _require_admin(by, *roles):
    if by is not None and not may_write_as(by, *(roles or (Role.ADMIN,))):
        raise PermissionDenied("您没有权限管理用户与角色。")


@transaction.atomic
def create_user(*, by, username, display_name, password=None, department=None, email="", phone="", is_external=False):
    """Create a user (by None = system, e.g. seed/import). Password validated when given, else unusable.
    Admin and 人事部 create any account; 校企办 only external (校外) ones, for the members partner enterprises send."""
    if not (is_external and by is not None and may_write_as(by, Role.COOP_OFFICE)):
        _require_admin(by, Role.ADMIN, Role.HR)
    user = User(
        username=username,
        display_name=display_name,
        department=department,
        email=email,
        phone=phone,
        is_external=is_external,
    )
    user.full_clean(exclude=["password"])
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():  # a savepoint: two officers creating the same 工号 at once
            user.save()
    except IntegrityError:
        raise ValidationError({"username": "该工号已存在。"}) from None
    log_action(
        actor=by,
        action="accounts.user.created",
        obj=user,
        after={
            "username": username,
            "display_name": display_name,
            "department": department.pk if department else None,
            "is_external": is_external,
        },
    )
    return user


def _require_grant(by, user, role):
    """by None = system (seed, import). Otherwise the role must be one `by` may grant, on an account he manages
    (never his own: nobody raises or lowers his own rights)."""
    if by is None:
        return
    if by.pk == user.pk:
        raise PermissionDenied("您不能修改自己的角色，请联系系统管理员。")
    if role not in grantable_roles(by):
        raise PermissionDenied(f"您没有权限授予或撤销「{Role(role).label}」角色。")
    if not may_write_as(by, Role.ADMIN, Role.HR):
        return  # teaching affairs keeps the expert pool: any account may be an expert
    if not may_manage_account(by, user):
        raise PermissionDenied("您没有权限管理该账户的角色。")


@transaction.atomic
def assign_role(*, by, user, role, department=None):
    """Grant `role` (granted_by = by). Admin grants every role, 人事部 the officer roles, 教学工作部 评审专家."""
    role = Role(role)
    _require_grant(by, user, role)
    if role == Role.STAFF:
        raise ValidationError("「教职工」角色无需授予：每个校内账户都自动具有。")
    if user.is_external and role not in EXTERNAL_ROLES:
        raise ValidationError(f"校外人员不能担任「{role.label}」。")
    if not user.is_active:
        raise ValidationError("该账户已停用，不能授予角色。")
    if role == Role.DEPT_HEAD and department is None:
        raise ValidationError("系（部）主任必须指定负责的系部。")
    if role != Role.DEPT_HEAD:
        department = None
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, department=department, defaults={"granted_by": by}
    )
    if created:
        log_action(
            actor=by,
            action="accounts.role.assigned",
            obj=user,
            after={"role": role.value, "department": department.pk if department else None},
        )
    forget_roles(user)
    return assignment


@transaction.atomic
def revoke_role(*, by, user, role, department=None):
    role = Role(role)
    _require_grant(by, user, role)
    deleted, _ = RoleAssignment.objects.filter(user=user, role=role, department=department).delete()
    if deleted:
        log_action(
            actor=by,
            action="accounts.role.revoked",
            obj=user,
            before={"role": str(role), "department": department.pk if department else None},
        )
    forget_roles(user)
    return bool(deleted)


@transaction.atomic
def set_active(*, by, user, active):
    """Enable or disable an account; a disabled account's sessions stop working at once. Admin: any account but his
    own; 人事部: accounts without admin/discipline-office rights (accounts.permissions.may_manage_account)."""
    if by is not None and not may_manage_account(by, user):
        raise PermissionDenied("您没有权限启用或停用该账户。")
    if user.is_active == active:
        return user
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    log_action(
        actor=by,
        action="accounts.user.enabled" if active else "accounts.user.disabled",
        obj=user,
        after={"is_active": active},
    )
    if not active:
        revoke_all_api_tokens(user=user, by=by, reason="account_disabled")
    return user


def _temporary_password() -> str:
    """12 characters from an alphabet without look-alikes (0/O, 1/l/I), always with every character class."""
    import secrets

    groups = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?")
    chars = [secrets.choice(g) for g in groups]
    alphabet = "".join(groups)
    chars += [secrets.choice(alphabet) for _ in range(12 - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def reset_password(*, by, user):
    """An officer (admin, or 人事部 for accounts it manages) sets a temporary password, shown to him once and never
    stored in clear or in the audit log; the owner must change it at the next sign-in. The owner's sessions end.
    Returns the temporary password."""
    if not may_manage_account(by, user):
        raise PermissionDenied("您没有权限重置该账户的密码。")
    if not user.is_active:
        raise ValidationError("该账户已停用，请先启用再重置密码。")
    temporary = _temporary_password()
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor=by, action="accounts.user.password_reset", obj=user, after={"must_change_password": True})
    revoke_all_api_tokens(user=user, by=by, reason="password_reset")
    return temporary


@transaction.atomic
def change_password(*, by, request, new_password):
    """The signed-in user changes their own password; other sessions of theirs are invalidated."""
    by.set_password(new_password)
    by.must_change_password = False  # a temporary password set by an officer has now been replaced
    by.save(update_fields=["password", "must_change_password"])
    update_session_auth_hash(request, by)
    log_action(actor=by, action="accounts.user.password_changed", obj=by)
    revoke_all_api_tokens(user=by, by=by, reason="password_changed")


# Sign-in events. Called only by the auth signal receivers (accounts/signals.py), so every way in — our login page,
# the admin (which redirects to it), force_login, any future sign-on path — is throttled and audited exactly once.


@transaction.atomic
def record_login(*, user, ip):
    security.clear(user.get_username(), ip)
    log_action(actor=user, action="accounts.login.succeeded", obj=user)


@transaction.atomic
def record_failed_login(*, username, ip):
    """Count the failure (accounts.security) and audit it; a lock or a delay that starts with it gets one event more.
    Attempts refused while locked/delayed are not audited one by one (counted on the throttle row instead)."""
    failure = security.record_failure(username, ip)
    throttle = failure.throttle
    subject = {"object_type": "accounts.user", "object_id": username[:64]}
    log_action(
        actor=None,
        action="accounts.login.failed",
        after={"failures": throttle.failures, "locked": bool(throttle.locked_until)},
        **subject,
    )
    if failure.lock_started:
        log_action(
            actor=None,
            action="accounts.login.locked",
            after={"ip": throttle.ip, "failures": throttle.failures, "locked_until": throttle.locked_until},
            **subject,
        )
    if failure.delay_started:
        log_action(
            actor=None,
            action="accounts.login.throttled",
            after={"failures": failure.account.failures, "delayed_until": failure.account.locked_until},
            **subject,
        )
    return failure


def record_logout(*, user):
    log_action(actor=user, action="accounts.logout", obj=user)


def record_access_denied(*, user, path, reason=""):
    log_action(
        actor=user if user is not None and user.is_authenticated else None,
        action="accounts.access.denied",
        object_type="url",
        object_id=path[:64],
        note=f"{path[:500]} {reason}".strip(),
    )


@transaction.atomic
def issue_api_token(*, by, name):
    """Create a personal API token for `by`; returns (token row, plaintext key shown once). Only for those whose
    work uses the API (accounts.permissions.may_use_api_tokens): anyone else is refused, whatever page or script
    calls this."""
    if not may_use_api_tokens(by):
        raise PermissionDenied(NO_API_ACCESS_MESSAGE)
    import hashlib
    import secrets

    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name[:100],
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        password_fingerprint=password_fingerprint(by),
    )
    log_action(
        actor=by,
        action="accounts.api_token.issued",
        obj=by,
        after={"token": token.prefix, "expires_at": token.expires_at},
    )
    return token, key


def revoke_all_api_tokens(*, user, by, reason):
    """End every live token of `user` (password changed or reset, account disabled): one audit event listing them.
    Call inside the caller's transaction. Tokens are also bound to the password (TokenAuth), whatever sets it."""

    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    prefixes = sorted(live.values_list("prefix", flat=True))
    if prefixes:
        live.update(revoked_at=timezone.now())
        log_action(
            actor=by, action="accounts.api_token.revoked", obj=user, after={"tokens": prefixes, "reason": reason}
        )
    return len(prefixes)


@transaction.atomic
def revoke_api_token(*, by, token):

    if token.user_id != by.pk and not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只能吊销自己的令牌。")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    log_action(actor=by, action="accounts.api_token.revoked", obj=token, after={"token": token.prefix})


# --- Departments and majors (系统管理 › 数据字典) ------------------------------------------------------------------------

DEPARTMENT_FIELDS = ("name", "code", "is_active")
MAJOR_FIELDS = ("department", "name", "code", "is_active")


def _dictionary_snapshot(obj, fields):
    return {name: (getattr(obj, f"{name}_id") if name == "department" else getattr(obj, name)) for name in fields}


def _save_dictionary_row(obj, *, by, data, fields, action):
    created = obj.pk is None
    before = None if created else _dictionary_snapshot(obj, fields)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError("名称或代码与已有记录重复。") from None
    log_action(
        actor=by,
        action=f"{action}.{'created' if created else 'changed'}",
        obj=obj,
        before=before,
        after=_dictionary_snapshot(obj, fields),
    )
    return obj


@transaction.atomic
def save_department(department=None, *, by, data):
    """Create or change a 系部 (admin). A department is never deleted (people and history point to it): disable it."""

    _require_admin(by)
    department = Department.objects.select_for_update().get(pk=department.pk) if department and department.pk else None
    department = department or Department()
    return _save_dictionary_row(department, by=by, data=data, fields=DEPARTMENT_FIELDS, action="accounts.department")


@transaction.atomic
def save_major(major=None, *, by, data):
    """Create or change a 专业 (admin). Disabled majors stay on old records but are not offered for new ones."""

    _require_admin(by)
    major = Major.objects.select_for_update().get(pk=major.pk) if major is not None and major.pk else Major()
    return _save_dictionary_row(major, by=by, data=data, fields=MAJOR_FIELDS, action="accounts.major")


# --- First-login activation and 忘记密码 (one-time links, accounts/tokens.py) ----------------------------------------

# 忘记密码 limits: requests per address per hour, and e-mails per account per hour.
RESET_REQUESTS_PER_IP_PER_HOUR = 10
RESET_MAILS_PER_ACCOUNT_PER_HOUR = 3


def _send_link_mail(user, *, subject, body):
    """Queue the mail once the transaction commits (the existing notifications e-mail task)."""
    if user.email:
        transaction.on_commit(lambda: send_notification_email.enqueue(to=user.email, subject=subject, body=body))


def may_issue_activation(by, user) -> bool:
    """人事部 and admin issue activation links; 人事部 not for an admin or a superuser (no taking over higher rights)."""

    if by is None:
        return True  # the system (roster import, seed)
    if not by.is_authenticated or by.pk == user.pk:
        return False
    if may_write_as(by, Role.ADMIN):
        return True
    if not may_write_as(by, Role.HR):
        return False
    return not (user.is_superuser or Role.ADMIN in roles_of(user))


@transaction.atomic
def issue_activation(*, by, user, base_url=""):
    """An officer (or the roster import, by=None) issues a first-login link for an account that has never had a
    password. Returns the link's path (shown to the officer once; e-mailed too when the person has an address)."""

    if not may_issue_activation(by, user):
        raise PermissionDenied("您没有权限为该账户生成激活链接。")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError("该账户已停用，不能激活。")
    if user.has_usable_password():
        raise ValidationError("该账户已设置过密码，无需激活；忘记密码请使用登录页的「忘记密码」。")
    path = reverse("accounts:activate", args=[encode_uid(user), activation_tokens.make_token(user)])
    log_action(
        actor=by,
        action="accounts.activation.issued",
        obj=user,
        after={"days": settings.ACCOUNT_ACTIVATION_DAYS, "emailed": bool(user.email)},
    )
    _send_link_mail(
        user,
        subject="账户激活",
        body=(
            f"{user.display_name}，您好：\n\n请在 {settings.ACCOUNT_ACTIVATION_DAYS} 天内打开下面的链接设置登录密码"
            f"（工号 {user.username}），链接只能使用一次：\n{base_url}{path}"
        ),
    )
    return path


def _set_password_by_link(*, user, new_password, action):

    validate_password(new_password, user)
    user.set_password(new_password)
    update = ["password"]
    if hasattr(user, "must_change_password"):
        user.must_change_password = False  # he chose this password himself
        update.append("must_change_password")
    user.save(update_fields=update)
    log_action(actor=user, action=action, obj=user)
    revoke_all_api_tokens(user=user, by=user, reason="password_reset")


@transaction.atomic
def activate_account(*, user, token, new_password):
    """The person sets his first password through an activation link (valid once, ACCOUNT_ACTIVATION_DAYS)."""

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or user.has_usable_password() or not activation_tokens.check_token(user, token):
        raise ValidationError("激活链接无效、已使用或已过期，请联系人事部重新生成。")
    _set_password_by_link(user=user, new_password=new_password, action="accounts.user.activated")
    return user


@transaction.atomic
def reset_password_by_link(*, user, token, new_password):
    """The owner sets a new password through a 忘记密码 link (valid once, PASSWORD_RESET_MINUTES)."""

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not reset_tokens.check_token(user, token):
        raise ValidationError("重置链接无效、已使用或已过期，请重新申请。")
    _set_password_by_link(user=user, new_password=new_password, action="accounts.user.password_reset_by_link")
    return user


def request_password_reset(*, identifier, ip, base_url=""):
    """忘记密码: e-mail a one-time link to the active account(s) whose 工号 or e-mail is `identifier`. The caller
    answers the same whatever happens (no account, no e-mail, rate-limited) — nothing tells whether an account exists.
    Rate-limited per address and per account; each accepted request is audited. Returns how many mails were queued."""
    from datetime import timedelta

    from django.db.models import Q

    identifier = (identifier or "").strip()[:150]
    hour = timedelta(hours=1)
    if not identifier or not security.hit("reset-ip", ip, limit=RESET_REQUESTS_PER_IP_PER_HOUR, window=hour):
        return 0
    query = Q(username=identifier)
    if "@" in identifier:
        query |= Q(email__iexact=identifier)
    users = list(User.objects.filter(query, is_active=True).exclude(email="").order_by("pk")[:5])
    sent = 0
    with transaction.atomic():
        for user in users:
            if not security.hit("reset-user", str(user.pk), limit=RESET_MAILS_PER_ACCOUNT_PER_HOUR, window=hour):
                continue
            path = reverse("accounts:password_reset_confirm", args=[encode_uid(user), reset_tokens.make_token(user)])
            _send_link_mail(
                user,
                subject="重置密码",
                body=(
                    f"{user.display_name}，您好：\n\n有人（可能是您本人）申请重置工号 {user.username} 的登录密码。"
                    f"如是您本人，请在 {settings.PASSWORD_RESET_MINUTES} 分钟内打开下面的链接设置新密码，"
                    f"链接只能使用一次：\n{base_url}{path}\n\n如不是您本人申请，请忽略本邮件，您的密码不会改变。"
                ),
            )
            log_action(actor=None, action="accounts.password_reset.requested", obj=user, after={"emailed": True})
            sent += 1
        if not users:
            log_action(
                actor=None,
                action="accounts.password_reset.requested",
                object_type="accounts.user",
                object_id=identifier[:64],
                after={"matched": 0},
            )
    return sent
