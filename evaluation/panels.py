"""The studio page's 年度考核 panel (studios.panels): the studio's confirmed results and its 优秀 support flags, in ONE
statement (a flag is made by the confirmation of its round, so each flag sits beside a confirmed scorecard of that
year: an EXISTS on the results' rows finds it); shown when there is something to show. And the studios list's badge
「YYYY年度优秀·重点扶持」 for the studios flagged in the latest year with flags (studios.panels.register_list_badge)."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from studios.panels import register_list_badge, register_panel

from .enums import Grade, RoundStatus
from .models import Scorecard, SupportFlag


def _context(studio, user):
    flagged = SupportFlag.objects.filter(studio_id=OuterRef("studio_id"), year=OuterRef("round__year"))
    rows = list(
        Scorecard.objects.filter(studio_id=studio.pk, round__status=RoundStatus.CONFIRMED)
        .annotate(flagged=Exists(flagged))
        .order_by("-round__year")
        .values_list("pk", "round__year", "confirmed_grade", "total", "flagged")[:5]
    )
    if not rows:
        return None
    results = [row[:4] for row in rows]
    flags = [year for _pk, year, _grade, _total, flag in rows if flag]
    return {
        "results": [
            {
                "year": year,
                "grade": Grade(grade).label if grade else "",
                "total": total,
                "url": reverse("evaluation:scorecard", args=[pk]),
            }
            for pk, year, grade, total in results
        ],
        "flags": flags,
    }


def _latest_flag_year():
    """Annotated on each row of the studios list: the latest year with 优秀 flags, when this studio is flagged in it
    (a correlated subquery; NULL otherwise)."""
    latest = SupportFlag.objects.order_by("-year").values("year")[:1]
    return Subquery(SupportFlag.objects.filter(studio_id=OuterRef("pk"), year=Subquery(latest)).values("year")[:1])


def register():
    register_panel("evaluation", "年度考核", "evaluation/panel.html", _context, order=70)
    register_list_badge("support", "重点扶持", _latest_flag_year, lambda year: f"{year}年度优秀·重点扶持")
