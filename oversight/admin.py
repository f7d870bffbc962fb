"""Oversight in the admin: read-only — notes, their entries and attendance are written by oversight/services.py."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Attendance, NoteEntry, SupervisionNote


@admin.register(SupervisionNote)
class SupervisionNoteAdmin(ReadOnlyAdmin):
    list_display = ["subject", "object_repr", "office", "status", "created_by", "created_at"]
    list_filter = ["status", "office", "stage"]
    list_select_related = ["created_by"]
    show_full_result_count = False


@admin.register(NoteEntry)
class NoteEntryAdmin(ReadOnlyAdmin):
    list_display = ["note", "kind", "by", "at"]
    list_select_related = ["note", "by"]
    show_full_result_count = False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting_repr", "meeting_date", "person", "recorded_at"]
    list_select_related = ["person"]
