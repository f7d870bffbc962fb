from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditedAdminMixin

from .models import Department, LoginThrottle, Major, RoleAssignment, User


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
