from django.contrib import admin

from core.admin import AuditedAdminMixin

from .models import Membership, Studio


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "is_external", "joined_on", "left_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Studio)
class StudioAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read-only: studios are created by approval and revoked through the Studio workflow."""

    list_display = ["official_name", "master", "department", "status", "document_number", "approved_on"]
    list_filter = ["status", "department", "mode"]
    list_select_related = ["master", "department"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read-only here: memberships are created with the studio."""

    list_display = ["studio", "user", "role", "is_external", "joined_on", "left_on"]
    list_select_related = ["studio", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
