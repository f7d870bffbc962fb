"""Annual reports and reminders in the admin, read-only: annual/services.py and send_reminders own every write
(permission, revoked studios, the workflow and the audit)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AnnualReport, Reminder


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["studio", "year", "status", "submitted_at", "late"]
    list_filter = ["status", "late", "year"]
    list_select_related = ["studio"]
    search_fields = ["studio__official_name"]
    show_full_result_count = False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "day", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    show_full_result_count = False
