"""Writes on users, roles and sign-in events. Each is atomic and leaves an audit event."""

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import log_action

from . import security
from .enums import Role
from .models import RoleAssignment, User
from .permissions import forget_roles, may_write_as


def _require_admin(by, *roles):
    if by is not None and not may_write_as(by, *(roles or (Role.ADMIN,))):
        raise PermissionDenied("您没有权限管理用户与角色。")


@transaction.atomic
def create_user(*, by, username, display_name, password=None, department=None, email="", phone="", is_external=False):
    """Create a user (by None = system, e.g. seed/import). Password validated when given, else unusable."""
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
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    log_action(
        actor=by,
        action="accounts.user.created",
        obj=user,
        after={"username": username, "department": department.pk if department else None},
    )
    return user


@transaction.atomic
def assign_role(*, by, user, role, department=None):
    _require_admin(by)
    role = Role(role)
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
    _require_admin(by)
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
    """Enable or disable an account; a disabled account's sessions stop working at once."""
    _require_admin(by, Role.ADMIN, Role.HR)
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
    return user


@transaction.atomic
def change_password(*, by, request, new_password):
    """The signed-in user changes their own password; other sessions of theirs are invalidated."""
    by.set_password(new_password)
    by.save(update_fields=["password"])
    update_session_auth_hash(request, by)
    log_action(actor=by, action="accounts.user.password_changed", obj=by)


def record_login(*, user, ip):
    security.clear(user.get_username(), ip)
    log_action(actor=user, action="accounts.login.succeeded", obj=user)


def record_failed_login(*, username, ip):
    throttle = security.record_failure(username, ip)
    log_action(
        actor=None,
        action="accounts.login.failed",
        object_type="accounts.user",
        object_id=username[:64],
        after={"failures": throttle.failures, "locked": bool(throttle.locked_until)},
    )
    return throttle


def record_blocked_login(*, username, ip):
    log_action(actor=None, action="accounts.login.blocked", object_type="accounts.user", object_id=username[:64])


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
    """Create a personal API token for `by`; returns (token row, plaintext key shown once)."""
    import hashlib
    import secrets

    from .models import ApiToken

    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by, name=name[:100], key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8]
    )
    log_action(actor=by, action="accounts.api_token.issued", obj=by, after={"token": token.prefix})
    return token, key


@transaction.atomic
def revoke_api_token(*, by, token):
    from django.utils import timezone

    from .models import ApiToken

    if token.user_id != by.pk and not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只能吊销自己的令牌。")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    log_action(actor=by, action="accounts.api_token.revoked", obj=token, after={"token": token.prefix})
