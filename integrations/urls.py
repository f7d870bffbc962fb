from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("webhooks/", views.webhook_list, name="webhook_list"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
]
