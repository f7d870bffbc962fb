"""The studio page's 年度考核 panel (studios.panels): the studio's confirmed results and its 优秀 support flags, in one
statement each; shown when there is something to show."""

from django.urls import reverse

from studios.panels import register_panel

from .enums import Grade, RoundStatus
from .models import Scorecard, SupportFlag


def _context(studio, user):
    results = list(
        Scorecard.objects.filter(studio_id=studio.pk, round__status=RoundStatus.CONFIRMED)
        .order_by("-round__year")
        .values_list("pk", "round__year", "confirmed_grade", "total")[:5]
    )
    flags = list(SupportFlag.objects.filter(studio_id=studio.pk).order_by("-year").values_list("year", flat=True)[:5])
    if not results and not flags:
        return None
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
