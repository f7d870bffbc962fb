from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "people"

urlpatterns = [
    # 我的资历 lives under me/ so that the nav item is not "active" on every /people/ page.
    path("", RedirectView.as_view(pattern_name="people:my_record", permanent=False)),
    path("me/", views.my_record, name="my_record"),
    path("me/profile/", views.my_profile_edit, name="my_profile_edit"),
    path("me/eligibility/", views.my_eligibility, name="my_eligibility"),
    path("work/new/", views.work_edit, name="work_create"),
    path("work/<int:pk>/edit/", views.work_edit, name="work_edit"),
    path("work/<int:pk>/delete/", views.work_delete, name="work_delete"),
    path("work/<int:pk>/proof/", views.work_proof, name="work_proof"),
    path("honors/new/", views.honor_edit, name="honor_create"),
    path("honors/<int:pk>/edit/", views.honor_edit, name="honor_edit"),
    path("honors/<int:pk>/delete/", views.honor_delete, name="honor_delete"),
    path("honors/<int:pk>/certificate/", views.honor_certificate, name="honor_certificate"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/export.xlsx", views.staff_list_export, name="staff_list_export"),
    path("staff/<int:user_pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:user_pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:user_pk>/eligibility/", views.eligibility, name="eligibility"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/template.xlsx", views.roster_template, name="roster_template"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/agreement/", views.enterprise_agreement, name="enterprise_agreement"),
    path("enterprises/<int:pk>/affiliations/", views.affiliation_add, name="affiliation_add"),
    path("affiliations/<int:pk>/delete/", views.affiliation_remove, name="affiliation_remove"),
]
