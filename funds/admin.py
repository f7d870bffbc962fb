"""Funds in the admin. The spending-category dictionary is edited here by the system administrator (and on the
支出类别 page by 财务部) — every save goes through funds.services.save_category (permission, validation, audit);
categories are never deleted (budget lines point at them: deactivate instead). Budget lines, expenditures and
overrun approvals are read-only here: they are written through funds/services.py, where the permission, the budget
check, studios' ensure_writable and the year freeze (studios.freeze) apply."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from . import services
from .models import BudgetLine, Expenditure, OverrunApproval, SpendingCategory


@admin.register(SpendingCategory)
class SpendingCategoryAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "order", "active"]
    fields = ["code", "name", "order", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.save_category(
            by=request.user,
            name=obj.name,
            order=obj.order,
            active=obj.active,
            code=obj.code,
            category=obj if change else None,
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """No many-to-many fields: the service's audit event is the record of the change."""


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["studio", "year", "source", "category", "amount"]
    list_filter = ["year", "source"]
    list_select_related = ["studio", "category"]
    show_full_result_count = False


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyAdmin):
    list_display = ["date", "studio", "payee", "amount", "status"]
    list_filter = ["status"]
    list_select_related = ["studio"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(OverrunApproval)
class OverrunApprovalAdmin(ReadOnlyAdmin):
    list_display = ["expenditure", "amount", "approved_by", "approved_at"]
    list_select_related = ["expenditure", "approved_by"]
