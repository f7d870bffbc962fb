from django.contrib import admin

from core.admin import AuditedAdminMixin

from .enums import StudioStatus
from .models import Membership, ResponsibilityLetter, ResponsibilityLetterTemplate, Studio, StudioException


class RevokedStudioReadOnlyMixin:
    """For the admin of any model that belongs to a studio (ledger, plans …): a row of a revoked studio can be looked
    at but not changed or deleted, and nothing can be added to one (the add form's studio choices leave revoked studios
    out). Set `studio_path` to the attribute path from the row to its studio ("studio" by default)."""

    studio_path = "studio"

    def studio_of(self, obj):
        for name in self.studio_path.split("__"):
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return obj

    def _revoked(self, obj):
        studio = self.studio_of(obj) if obj is not None else None
        return studio is not None and studio.status == StudioStatus.REVOKED

    def has_change_permission(self, request, obj=None):
        return not self._revoked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._revoked(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Studio:
            kwargs["queryset"] = Studio.objects.filter(status=StudioStatus.ACTIVE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(_ReadOnly, admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "is_external", "joined_on", "join_reason", "left_on", "leave_reason"]


@admin.register(Studio)
class StudioAdmin(_ReadOnly, AuditedAdminMixin, admin.ModelAdmin):
    """Read-only: studios are created by approval or 历史登记, members change on the studio page (R1–R3 checked),
    revocation goes through the Studio workflow."""

    list_display = ["official_name", "master", "department", "source", "status", "document_number", "approved_on"]
    list_filter = ["status", "source", "department", "mode"]
    list_select_related = ["master", "department"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(_ReadOnly, AuditedAdminMixin, admin.ModelAdmin):
    """Read-only here: members change on the studio page, where R1–R3 are checked under a lock."""

    list_display = ["studio", "user", "role", "is_external", "joined_on", "left_on"]
    list_select_related = ["studio", "user"]


@admin.register(StudioException)
class StudioExceptionAdmin(_ReadOnly, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["studio", "deadline", "resolved_on", "created_by"]
    list_select_related = ["studio", "created_by"]


@admin.register(ResponsibilityLetter)
class ResponsibilityLetterAdmin(_ReadOnly, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["studio", "term_start", "term_end", "signed_on"]
    list_select_related = ["studio"]
    exclude = ["signed_file"]


@admin.register(ResponsibilityLetterTemplate)
class ResponsibilityLetterTemplateAdmin(_ReadOnly, AuditedAdminMixin, admin.ModelAdmin):
    """Versions of the 责任书 terms; edited on the 责任书模板 page (each save a new version)."""

    list_display = ["__str__", "term_years", "edited_by", "created_at"]
    list_select_related = ["edited_by"]
