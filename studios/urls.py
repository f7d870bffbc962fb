from django.urls import path

from . import views

app_name = "studios"

urlpatterns = [
    path("", views.studio_list, name="list"),
    path("export.xlsx", views.studio_list_export, name="list_export"),
    path("<int:pk>/", views.studio_detail, name="detail"),
    path("<int:pk>/approval-notice.pdf", views.approval_notice, name="approval_notice"),
]
