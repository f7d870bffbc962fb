"""The requirement check of a studio for a level: the active catalogue lines (LevelRequirement) run against the facts
of checks.gather(). One studio: five statements (four facts + the catalogue); a page of rows: the same five for all
its studios (`counts_for`)."""

from django.utils import timezone

from . import checks
from .enums import Verdict
from .models import LevelRequirement


def catalogue(levels=None):
    """{level: [LevelRequirement]} of the active lines, in order; one statement."""
    rows = LevelRequirement.objects.filter(is_active=True).order_by("level", "order", "pk")
    if levels is not None:
        rows = rows.filter(level__in=list(levels))
    result = {}
    for row in rows:
        result.setdefault(row.level, []).append(row)
    return result


def _lines(requirements, facts, today):
    lines = []
    for requirement in requirements:
        result = checks.run(requirement, facts, today)
        lines.append(
            {
                "requirement_id": requirement.pk,
                "label": requirement.label,
                "checker": requirement.checker,
                **result.as_dict(),
                "verdict_label": result.verdict_label,
            }
        )
    return lines


def check_studio(studio_id, level, today=None):
    """[line] for one studio and level: requirement_id, label, checker, verdict, verdict_label, text, url."""
    today = today or timezone.localdate()
    facts = checks.gather([studio_id]).get(int(studio_id))
    requirements = catalogue([level]).get(level, [])
    if facts is None:
        return []
    return _lines(requirements, facts, today)


def tally(lines):
    counts = dict.fromkeys(Verdict.values, 0)
    for line in lines:
        counts[line["verdict"]] += 1
    return counts


def counts_for(pairs, today=None):
    """{(studio_id, level): {verdict: n}} for many (studio_id, level) pairs in five statements."""
    pairs = list(pairs)
    if not pairs:
        return {}
    today = today or timezone.localdate()
    facts = checks.gather({sid for sid, _level in pairs})
    lines = catalogue({level for _sid, level in pairs})
    return {
        (sid, level): tally(_lines(lines.get(level, []), facts[sid], today)) for sid, level in pairs if sid in facts
    }
