"""The archive in the admin: read-only for everyone. Documents, archiving, addenda and packages are written through
archive/services.py (permission, the freeze, the audit), which the admin would bypass; the ledger's and plans' admins
are read-only too, so an archived year cannot be changed there either."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Addendum, ArchiveDocument, ArchivePackage, YearArchive


@admin.register(ArchiveDocument)
class ArchiveDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "studio", "year", "category", "date"]
    list_filter = ["category", "year"]
    list_select_related = ["studio"]
    search_fields = ["title", "description"]
    show_full_result_count = False


@admin.register(YearArchive)
class YearArchiveAdmin(ReadOnlyAdmin):
    list_display = ["studio", "year", "archived_at", "archived_by"]
    list_select_related = ["studio", "archived_by"]


@admin.register(Addendum)
class AddendumAdmin(ReadOnlyAdmin):
    list_display = ["object_title", "studio", "year", "created_by", "created_at"]
    list_select_related = ["studio", "created_by"]


@admin.register(ArchivePackage)
class ArchivePackageAdmin(ReadOnlyAdmin):
    list_display = ["studio", "year", "status", "done", "total", "created_at"]
    list_select_related = ["studio"]
