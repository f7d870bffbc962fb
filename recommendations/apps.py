from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """推荐申报 (R22): studios recommended to 市级/省级/国家级, the requirement catalogue and its checkers, the frozen
    check at submission, the outcome (which raises the studio's level) and the dossier."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = "推荐申报"

    def ready(self):
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_nav

        from . import panels, workflow  # noqa: F401  (attaches WORKFLOW to Recommendation)
        from .models import LevelRequirement, Recommendation
        from .permissions import READER_ROLES, RecommendationPolicy, RequirementPolicy

        register_policy(Recommendation, RecommendationPolicy())
        register_policy(LevelRequirement, RequirementPolicy())
        register_nav(
            NavItem("推荐申报", "recommendations:list", "award", order=62, group="考核评估", roles=READER_ROLES)
        )
        panels.register()
