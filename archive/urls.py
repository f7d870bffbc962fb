from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.index_export, name="index_export"),
    path("pick/", views.pick, name="pick"),
    path("archive-all/", views.archive_all, name="archive_all"),
    path("addenda/new/", views.addendum, name="addendum"),
    path("studio/<int:studio_pk>/<int:year>/", views.studio_year, name="studio_year"),
    path("studio/<int:studio_pk>/<int:year>/export.xlsx", views.studio_year_export, name="studio_year_export"),
    path("studio/<int:studio_pk>/<int:year>/upload/", views.upload, name="upload"),
    path("studio/<int:studio_pk>/<int:year>/archive/", views.archive, name="archive"),
    path("studio/<int:studio_pk>/<int:year>/package/", views.package_start, name="package_start"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("packages/<int:pk>/", views.package_status, name="package_status"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
]
