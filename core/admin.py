from django.contrib import admin

from .audit import log_action
from .models import AuditEvent, Notification, StatusChange


class AuditedAdminMixin:
    """Admin edits are writes too: each save and delete leaves an audit event."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "changed" if change else "created"
        log_action(
            actor=request.user,
            action=f"{obj._meta.label_lower}.admin_{verb}",
            obj=obj,
            after={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        log_action(actor=request.user, action=f"{obj._meta.label_lower}.admin_deleted", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            log_action(actor=request.user, action=f"{obj._meta.label_lower}.admin_deleted", obj=obj)
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_name", "action", "object_type", "object_id", "ip"]
    list_filter = ["object_type"]
    search_fields = ["action", "object_id", "actor_name"]
    show_full_result_count = False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "machine", "object_id", "from_state", "to_state", "by"]
    list_filter = ["machine"]
    list_select_related = ["by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_select_related = ["recipient"]
