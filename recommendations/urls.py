from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("export.xlsx", views.recommendation_list_export, name="list_export"),
    path("new/", views.recommendation_new, name="new"),
    path("requirements/", views.requirements, name="requirements"),
    path("studio/<int:studio_pk>/", views.studio_rows, name="studio_rows"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/submit/", views.recommendation_submit, name="submit"),
    path("<int:pk>/withdraw/", views.recommendation_withdraw, name="withdraw"),
    path("<int:pk>/outcome/", views.recommendation_outcome, name="outcome"),
    path("<int:pk>/dossier.<str:fmt>", views.recommendation_dossier, name="dossier"),
]
