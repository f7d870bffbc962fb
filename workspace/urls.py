from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.xlsx", views.audit_list_export, name="audit_list_export"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
