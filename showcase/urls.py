from django.urls import path

from . import views

app_name = "showcase"

urlpatterns = [
    path("", views.home, name="home"),
    path("studios/<int:pk>/", views.studio, name="studio"),
    path("posts/<int:pk>/", views.post, name="post"),
    path("posts/<int:pk>/photos/<int:photo_pk>/", views.post_photo, name="post_photo"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
]
