from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedAdminMixin

from .models import ApiToken, Department, LoginThrottle, Major, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "department"]


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
    list_display = ["username", "ip", "failures", "locked_until"]
    search_fields = ["username", "ip"]

    def has_add_permission(self, request):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "department", "granted_by", "created_at"]
    list_filter = ["role", "department"]
    list_select_related = ["user", "department", "granted_by"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued through accounts.services.issue_api_token (shown once)
