"""Plans in the admin: read-only for everyone. Plans and the indicator dictionary are written through plans/services.py
(the review machine, the lock on approved plans, weights summing to 100, studios.services.ensure_writable), which the
admin would bypass."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Indicator, IndicatorSet, Plan, PlanTarget, PlanTask


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ReadOnlyAdmin):
    list_display = ["year"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["indicator_set", "key", "name", "weight"]
    list_select_related = ["indicator_set"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["studio", "kind", "year", "version", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["studio"]
    show_full_result_count = False


@admin.register(PlanTask)
class PlanTaskAdmin(ReadOnlyAdmin):
    list_display = ["plan", "title", "owner", "due_on"]
    list_select_related = ["plan", "owner"]


@admin.register(PlanTarget)
class PlanTargetAdmin(ReadOnlyAdmin):
    list_display = ["plan", "indicator", "target"]
    list_select_related = ["plan", "indicator"]
