from django.urls import path

app_name = "news"

urlpatterns = [
    path("notices/<int:pk>/", lambda request, pk: None, name="notice"),
    path("posts/<int:pk>/", lambda request, pk: None, name="post"),
]
