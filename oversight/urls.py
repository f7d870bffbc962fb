from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.console, name="console"),
    path("attendance/", views.attendance_record, name="attendance"),
    path("notes/", views.NoteListPage.as_view(), name="notes"),
    path("notes/export.xlsx", views.NoteListPage.as_view(export=True), name="notes_export"),
    path("notes/new/", views.note_new, name="note_new"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("notes/<int:pk>/answer/", views.note_answer, name="note_answer"),
    path("notes/<int:pk>/close/", views.note_close, name="note_close"),
    path("notes/<int:pk>/reopen/", views.note_reopen, name="note_reopen"),
    path("notes/<int:pk>/correct/", views.note_correct, name="note_correct"),
    path("flags/", views.flag_list, name="flags"),
]
