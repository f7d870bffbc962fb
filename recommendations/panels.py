"""The studio page's 推荐申报 panel (studios.panels): the studio's recommendations and their outcomes, newest first.

The studio page has a budget of 12 statements; this panel costs none there: it names the URL of its rows
(`studio_rows`, one statement) and htmx loads them once the page is shown (without JavaScript the link opens them)."""

from django.urls import reverse

from accounts.permissions import visible_to
from studios.panels import register_panel

from .enums import RecommendationStatus, TargetLevel
from .models import Recommendation

PANEL_ROWS = 5


def _context(studio, user):
    if not user.is_authenticated:
        return None
    return {"url": reverse("recommendations:studio_rows", args=[studio.pk])}


def rows_for(studio_id, user):
    """The panel's rows: the recommendations of the studio that `user` may read, newest first, in ONE statement."""
    rows = (
        visible_to(user, Recommendation)
        .filter(studio_id=studio_id)
        .order_by("-year", "-pk")
        .values_list("pk", "year", "level", "status", "outcome_document", "outcome_on")[:PANEL_ROWS]
    )
    return [
        {
            "year": year,
            "level": TargetLevel(level).label,
            "status": RecommendationStatus(status).label,
            "approved": status == RecommendationStatus.APPROVED,
            "document": document,
            "on": on,
            "url": reverse("recommendations:detail", args=[pk]),
        }
        for pk, year, level, status, document, on in rows
    ]


def register():
    register_panel("recommendations", "推荐申报", "recommendations/panel.html", _context, order=75)
