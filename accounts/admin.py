from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedAdminMixin, ReadOnlyAdmin
from core.audit import log_action

from . import services
from .models import ApiToken, Department, LoginThrottle, Major, RateLimit, RoleAssignment, SignOnSession, User


class _DryRun(Exception):
    pass


def _apply_role_form(by, user, form, deleting):
    """One inline row through the same services as the 用户与角色 page: revoke the row's old role, grant the new one
    (granted_by = by). Each call checks the granting rules and writes its own audit event."""
    if form.instance.pk is not None and (deleting or form.has_changed()):
        old_department = form.initial.get("department")
        services.revoke_role(
            by=by,
            user=user,
            role=form.initial["role"],
            department=Department.objects.get(pk=old_department) if old_department else None,
        )
    if not deleting and (form.instance.pk is None or form.has_changed()):
        services.assign_role(
            by=by, user=user, role=form.cleaned_data["role"], department=form.cleaned_data.get("department")
        )


class RoleAssignmentFormSet(BaseInlineFormSet):
    """Role rows on the user page are checked by a dry run of the services (in a rolled-back savepoint), so a refused
    grant is shown on its row in Chinese and nothing is saved."""

    request = None

    def _rows(self):
        for form in self.forms:
            deleting = self.can_delete and self._should_delete_form(form)
            if deleting and form.instance.pk is None:
                continue
            if deleting or form.has_changed():
                yield form, deleting

    def clean(self):
        super().clean()
        if any(self.errors) or self.request is None or self.instance.pk is None:
            return
        for form, deleting in self._rows():
            try:
                with transaction.atomic():
                    _apply_role_form(self.request.user, self.instance, form, deleting)
                    raise _DryRun
            except _DryRun:
                pass
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                form.add_error(None, "；".join(messages))

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form, deleting in list(self._rows()):
            _apply_role_form(self.request.user, self.instance, form, deleting)
        return []


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    fk_name = "user"
    extra = 0
    fields = ["role", "department", "granted_by"]
    readonly_fields = ["granted_by"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})


@admin.register(User)
class UserAdmin(AuditedAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "department", "is_active", "is_external"]
    list_filter = ["is_active", "is_external", "department"]
    list_select_related = ["department"]
    search_fields = ["username", "display_name", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["display_name", "email", "phone", "department", "is_external"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "display_name", "department", "password1", "password2"]}),
    ]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []  # roles: after the account exists

    def save_formset(self, request, form, formset, change):
        if formset.model is RoleAssignment:
            formset.save()  # through accounts.services: each grant/revocation audits itself
            return
        super().save_formset(request, form, formset, change)

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        """The admin's 修改密码 page: the change is audited (who set whose password, never the value)."""
        before = User.objects.filter(pk=id).values_list("password", flat=True).first() if str(id).isdigit() else None
        response = super().user_change_password(request, id, form_url)
        user = User.objects.filter(pk=id).first() if before is not None else None
        if user is not None and user.password != before:
            log_action(
                actor=request.user,
                action="accounts.user.admin_password_changed",
                obj=user,
                before={"password": "（已隐藏）"},
                after={"password": "（已更改）", "usable": user.has_usable_password()},
            )
        return response


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Major)
class MajorAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "department", "is_active"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["name", "code"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["username", "ip", "failures", "locked_until", "blocked_attempts", "last_blocked_at"]
    search_fields = ["username", "ip"]

    def has_add_permission(self, request):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    """A list to look roles up. Grants and revocations are made on the user's page (or 用户与角色), through
    accounts.services, so that granted_by and the granting rules hold for every way a role is given."""

    list_display = ["user", "role", "department", "granted_by", "created_at"]
    list_filter = ["role", "department"]
    list_select_related = ["user", "department", "granted_by"]
    search_fields = ["user__username", "user__display_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.revoke_role(by=request.user, user=obj.user, role=obj.role, department=obj.department)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user", "department"):
            self.delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued through accounts.services.issue_api_token (shown once)


@admin.register(RateLimit)
class RateLimitAdmin(ReadOnlyAdmin):
    """忘记密码 request counters (accounts.security.hit): read-only, they expire with their window."""

    list_display = ["scope", "key", "count", "window_start"]
    search_fields = ["key"]


# --- django-otp's devices (accounts/otp.py) --------------------------------------------------------------------------
# Read-only here: an authenticator is set up by its owner (个人中心 → 两步验证) and removed by 系统管理员 through
# otp.reset_devices (系统管理 → 用户 → 重置两步验证, audited). django-otp's own admins would let a superuser edit a device
# or show its secret and QR code (TOTPDeviceAdmin's config/qrcode views); their registrations are replaced.
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]  # never the key

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(StaticDevice)
class StaticDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]  # never the recovery codes

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(SignOnSession)
class SignOnSessionAdmin(ReadOnlyAdmin):
    """CAS tickets (as digests) and their sessions, for single logout; written only by accounts.sso."""

    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]  # never the ticket digest or the session key
