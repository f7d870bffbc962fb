from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("healthz/", views.healthz, name="healthz"),
]
