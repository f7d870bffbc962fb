"""The studio page's 年度考核 panel (studios.panels): the studio's confirmed results and its 优秀 support flags, in ONE
statement (a flag is made by the confirmation of its round, so each flag sits beside a confirmed scorecard of that
year: an EXISTS on the results' rows finds it); shown when there is something to show."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from studios.panels import register_panel

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


def register():
    register_panel("evaluation", "年度考核", "evaluation/panel.html", _context, order=70)
