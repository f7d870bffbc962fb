"""Ledger records in the admin: read-only for everyone (records are written through ledger/services.py, where the
permission, the workflow and studios.services.ensure_writable apply — so a revoked studio's records cannot be
changed here either)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Attachment, MentorshipNote, ProjectStageRecord
from .types import TYPES


class RecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "studio", "date", "status"]
    list_filter = ["status"]
    list_select_related = ["studio"]
    search_fields = ["title", "studio__official_name"]
    date_hierarchy = "date"
    show_full_result_count = False


for _type in TYPES.values():
    admin.site.register(_type.model, type(f"{_type.model.__name__}Admin", (RecordAdmin,), {}))


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "uploaded_by", "created_at"]
    list_select_related = ["uploaded_by"]
    show_full_result_count = False


@admin.register(MentorshipNote)
class MentorshipNoteAdmin(ReadOnlyAdmin):
    list_display = ["mentorship", "date", "by"]
    list_select_related = ["mentorship", "by"]


@admin.register(ProjectStageRecord)
class ProjectStageRecordAdmin(ReadOnlyAdmin):
    list_display = ["project", "stage", "date", "by"]
    list_select_related = ["project", "by"]
