from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """年度考核: rounds, computed scorecards, committee votes, graded results with consequences (推荐申报 is the
    recommendations app)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "年度考核"

    def ready(self):
        from accounts.enums import Role
        from accounts.permissions import register_policy
        from core.navigation import NavItem, register_inbox, register_nav

        from . import panels, workflow  # noqa: F401  (attaches WORKFLOW to EvaluationRound)
        from .inbox import committee_inbox, evaluator_inbox, vote_inbox
        from .models import EvaluationRound, Scorecard
        from .permissions import RoundPolicy, ScorecardPolicy

        register_policy(EvaluationRound, RoundPolicy())
        register_policy(Scorecard, ScorecardPolicy())
        register_nav(
            NavItem(
                "年度考核",
                "evaluation:rounds",
                "clipboard-check",
                order=60,
                group="考核评估",
                roles=frozenset(
                    {
                        Role.DEV_OFFICE,
                        Role.COMMITTEE,
                        Role.TEACHING_AFFAIRS,
                        Role.INSPECTOR,
                        Role.LEADERSHIP,
                        Role.ADMIN,
                    }
                ),
            )  # fmt: skip
        )
        register_nav(NavItem("我的考核评分", "evaluation:my_scorecards", "pencil-square", order=61, group="考核评估"))
        register_inbox(evaluator_inbox)
        register_inbox(committee_inbox)
        register_inbox(vote_inbox)
        panels.register()
        from annual.reminders import register_reminder_source

        from .reminders import pending_evaluation

        register_reminder_source(pending_evaluation)
