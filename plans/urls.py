from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("export.xlsx", views.plan_list_export, name="list_export"),
    path("studio/<int:studio_pk>/", views.studio_plans, name="studio"),
    path("studio/<int:studio_pk>/new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/move/", views.plan_move, name="move"),
    path("<int:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("actual/", views.actual_school, name="actual_school"),
    path("actual/export.xlsx", views.actual_school_export, name="actual_school_export"),
    path("actual/department/<int:department_pk>/", views.actual_department, name="actual_department"),
    path("actual/studio/<int:studio_pk>/", views.actual_studio, name="actual_studio"),
    path("actual/studio/<int:studio_pk>/<slug:key>/", views.actual_records, name="actual_records"),
    path("indicators/", views.indicator_sets, name="indicator_sets"),
    path("indicators/<int:pk>/", views.indicator_set_edit, name="indicator_set_edit"),
]
