from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/otp/reset/", views.user_reset_otp, name="user_reset_otp"),
    path("users/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("users/<int:pk>/roles/<int:assignment_pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("users/<int:pk>/work/new/", views.work_create, name="work_create"),
    path("users/<int:pk>/honors/new/", views.honor_create, name="honor_create"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/<int:pk>/remove/", views.expert_remove, name="expert_remove"),
    path("policy/", views.policy_list, name="policy_list"),
    path("policy/next/", views.policy_copy, name="policy_copy"),
    path("policy/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/new/", views.rubric_create, name="rubric_create"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("rubrics/<int:pk>/criteria/<int:criterion_pk>/", views.criterion_edit, name="criterion_edit"),
    path("rubrics/<int:pk>/criteria/<int:criterion_pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/new/", views.holiday_create, name="holiday_create"),
    path("holidays/<int:pk>/", views.holiday_edit, name="holiday_edit"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("dictionaries/", views.dictionary_index, name="dictionary_index"),
    path("dictionaries/departments/new/", views.department_edit, name="department_create"),
    path("dictionaries/departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("dictionaries/majors/new/", views.major_edit, name="major_create"),
    path("dictionaries/majors/<int:pk>/", views.major_edit, name="major_edit"),
    path("dictionaries/honor-kinds/new/", views.honor_kind_edit, name="honor_kind_create"),
    path("dictionaries/honor-kinds/<int:pk>/", views.honor_kind_edit, name="honor_kind_edit"),
]
