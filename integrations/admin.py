"""Read-only in the Django admin: robots are managed in 系统管理 (integrations.services, audited), messages and
delivery attempts are written by the worker, calendar links by their owner. Secrets, webhook URLs and token hashes are
never shown."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CalendarFeed, DeliveryAttempt, WebhookTarget, WorkMessage


@admin.register(WebhookTarget)
class WebhookTargetAdmin(ReadOnlyAdmin):
    list_display = ["name", "platform", "department", "role", "is_active", "updated_at"]
    list_select_related = ["department"]
    fields = ["name", "platform", "department", "role", "is_active", "created_at", "updated_at"]


@admin.register(WorkMessage)
class WorkMessageAdmin(ReadOnlyAdmin):
    list_display = ["title", "target", "status", "attempts", "created_at", "sent_at"]
    list_select_related = ["target"]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["message", "number", "at", "ok", "http_status"]
    list_select_related = ["message"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "revoked_at", "last_used_at"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "revoked_at", "last_used_at"]  # never the token hash
