from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("calls/", views.call_list, name="call_list"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("committee/", views.meeting_list, name="meeting_list"),
    path("publicity/", views.publicity_list, name="publicity_list"),
]
