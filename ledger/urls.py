from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views.review_queue, name="review_queue"),
]
for _slug, (_list, _export) in views.LIST_VIEWS.items():
    urlpatterns += [
        path(f"{_slug}/", _list, name=_slug),
        path(f"{_slug}/export.xlsx", _export, name=f"{_slug}_export"),
    ]
urlpatterns += [
    path("<slug:kind>/new/", views.record_new, name="new"),
    path("<slug:kind>/batch-confirm/", views.batch_confirm, name="batch_confirm"),
    path("<slug:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:kind>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("<slug:kind>/<int:pk>/submit/", views.record_submit, name="submit"),
    path("<slug:kind>/<int:pk>/confirm/", views.record_confirm, name="confirm"),
    path("<slug:kind>/<int:pk>/return/", views.record_return, name="return"),
    path("<slug:kind>/<int:pk>/spot-check/", views.record_spot_check, name="spot_check"),
    path("<slug:kind>/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<slug:kind>/<int:pk>/notes/", views.progress_note, name="note"),
    path("<slug:kind>/<int:pk>/stages/", views.project_stage, name="stage"),
    path("<slug:kind>/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path(
        "<slug:kind>/<int:pk>/attachments/<int:attachment_pk>/thumb.jpg",
        views.attachment_file,
        {"thumb": True},
        name="attachment_thumb",
    ),
]
