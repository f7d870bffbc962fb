from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """年度考核: rounds, computed scorecards, graded results with consequences; upward recommendation (推荐申报) dossiers."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "年度考核与推荐"

    def ready(self):
        pass
