"""News in the admin, read-only: notices, receipts and posts are written through news/services.py (permission,
workflow, audit); the public flags of honours and achievements through showcase/services.py."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Notice, NoticeAttachment, NoticeRead, Post, PostPhoto


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "audience", "is_public", "status", "published_at"]
    list_filter = ["status", "audience", "is_public"]
    show_full_result_count = False


@admin.register(NoticeAttachment)
class NoticeAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "notice", "size", "uploaded_at"]
    list_select_related = ["notice"]
    show_full_result_count = False


@admin.register(NoticeRead)
class NoticeReadAdmin(ReadOnlyAdmin):
    list_display = ["notice", "user", "read_at"]
    list_select_related = ["notice", "user"]
    show_full_result_count = False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["title", "studio", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["studio"]
    show_full_result_count = False


@admin.register(PostPhoto)
class PostPhotoAdmin(ReadOnlyAdmin):
    list_display = ["post", "caption", "size", "uploaded_at"]
    list_select_related = ["post"]
    show_full_result_count = False
