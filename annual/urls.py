from django.urls import path

from . import views

app_name = "annual"

urlpatterns = [
    path("", views.ReportListPage.as_view(), name="list"),
    path("export.xlsx", views.ReportListPage.as_view(export=True), name="list_export"),
    path("status/", views.StatusOverviewPage.as_view(), name="status"),
    path("status/export.xlsx", views.StatusOverviewPage.as_view(export=True), name="status_export"),
    path("mine/", views.mine, name="mine"),
    path("studio/<int:studio_pk>/<int:year>/", views.studio_year, name="studio_year"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/decide/", views.report_decide, name="decide"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
]
