"""推荐申报 in the admin: the requirement catalogue is edited here (audited like every admin write; each line's
parameters are checked against its checker by LevelRequirement.clean()); recommendations are read-only — they are
written through recommendations/services.py (permission, workflow, audit, frozen snapshot)."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import LevelRequirement, Recommendation


@admin.register(LevelRequirement)
class LevelRequirementAdmin(AuditedModelAdmin):
    list_display = ["level", "order", "label", "checker", "number", "choice", "is_active"]
    list_filter = ["level", "is_active"]
    ordering = ["level", "order", "id"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["studio", "level", "year", "status", "outcome_document"]
    list_filter = ["level", "status", "year"]
    list_select_related = ["studio"]
