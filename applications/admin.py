from django.contrib import admin

from core.admin import AuditedAdminMixin

from .models import (
    Application,
    ApplicationMember,
    Attachment,
    Call,
    CommitteeMeeting,
    Objection,
    Publicity,
    ReviewAssignment,
    Revote,
    Rubric,
    RubricCriterion,
    Vote,
    WorkdayOverride,
)


class ReadOnlyInline(admin.TabularInline):
    """Shown, never edited: every listed field is read-only (a non-editable field such as uploaded_at in `fields`
    made the whole change page fail)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or ())

    def get_queryset(self, request):
        related = [f for f in self.fields or () if self.model._meta.get_field(f).is_relation]
        queryset = super().get_queryset(request)
        return queryset.select_related(*related) if related else queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    inlines = [CriterionInline]


@admin.register(Call)
class CallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year", "status", "opens_at", "closes_at", "blind_review"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_workday", "reason"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class MemberInline(ReadOnlyInline):
    model = ApplicationMember
    fields = ["user", "role"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "original_name", "uploaded_at"]


@admin.register(Application)
class ApplicationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read-only: applications change only through the workflow and services (history + audit)."""

    list_display = ["studio_name", "applicant", "department", "call", "status"]
    list_filter = ["status", "call", "department"]
    list_select_related = ["applicant", "department", "call"]
    search_fields = ["studio_name", "applicant__display_name", "applicant__username"]
    inlines = [MemberInline, AttachmentInline]

    def get_queryset(self, request):
        # the read-only change page shows every relation
        return (
            super()
            .get_queryset(request)
            .select_related("applicant", "department", "call", "publicity", "recommended_by")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment, Vote, Publicity, Objection, CommitteeMeeting, ApplicationMember, Attachment, Revote)
class ReadOnlyRecordAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RubricCriterion)
class RubricCriterionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["rubric", "order", "code", "label", "weight", "min_score", "max_score"]
    list_filter = ["rubric"]
    list_select_related = ["rubric"]
