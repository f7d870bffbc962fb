from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.OverviewPage.as_view(), name="overview"),
    path("overview/export.xlsx", views.OverviewPage.as_view(export=True), name="overview_export"),
    path("budgets/", views.BudgetListPage.as_view(), name="budgets"),
    path("budgets/export.xlsx", views.BudgetListPage.as_view(export=True), name="budgets_export"),
    path("budgets/<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("expenditures/", views.ExpenditureListPage.as_view(), name="expenditures"),
    path("expenditures/export.xlsx", views.ExpenditureListPage.as_view(export=True), name="expenditures_export"),
    path("expenditures/<int:pk>/", views.expenditure_detail, name="expenditure"),
    path("expenditures/<int:pk>/edit/", views.expenditure_edit, name="expenditure_edit"),
    path("expenditures/<int:pk>/submit/", views.expenditure_submit, name="expenditure_submit"),
    path("expenditures/<int:pk>/decide/", views.expenditure_decide, name="expenditure_decide"),
    path("expenditures/<int:pk>/overrun/", views.expenditure_overrun, name="expenditure_overrun"),
    path("expenditures/<int:pk>/voucher/", views.voucher, name="voucher"),
    path("expenditures/<int:pk>/voucher/upload/", views.voucher_upload, name="voucher_upload"),
    path("studio/<int:pk>/", views.studio_funds, name="studio"),
    path("studio/<int:pk>/budgets/new/", views.budget_new, name="budget_new"),
    path("studio/<int:pk>/expenditures/new/", views.expenditure_new, name="expenditure_new"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
]
