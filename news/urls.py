from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("notices/", views.NoticeListPage.as_view(), name="notices"),
    path("notices/export.xlsx", views.NoticeListPage.as_view(export=True), name="notices_export"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/unread/", views.UnreadListPage.as_view(), name="notice_unread"),
    path("notices/unread/export.xlsx", views.UnreadListPage.as_view(export=True), name="notice_unread_export"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/<int:pk>/attachments/", views.notice_attachment_upload, name="notice_attachment_upload"),
    path("notices/<int:pk>/attachments/<int:attachment_pk>/", views.notice_attachment, name="notice_attachment"),
    path("posts/", views.PostListPage.as_view(), name="posts"),
    path("posts/export.xlsx", views.PostListPage.as_view(export=True), name="posts_export"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/photos/", views.post_photo_upload, name="post_photo_upload"),
    path("posts/<int:pk>/photos/<int:photo_pk>/", views.post_photo, name="post_photo"),
    path("posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("posts/<int:pk>/decide/", views.post_decide, name="post_decide"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
]
