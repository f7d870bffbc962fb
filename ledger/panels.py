"""The ledger's parts of the studio page (studios/panels.py registries): 近期记录 and the open task 待系部审核的记录.
Both come from ONE SQL statement per page whatever the studio's history (`studio_summary`: a UNION ALL over the five
record types of their status counts and their rows, sorted counts-first, with a LIMIT), shared through page_memo."""

from django.db.models import CharField, Count, DateField, IntegerField, Max, Value
from django.urls import reverse

from studios.panels import Task, page_memo, register_open_tasks, register_panel

from .enums import RecordStatus
from .types import TYPES

RECENT = 6
# At most one count row per record type and status: these sort before the records, so the LIMIT keeps all of them.
COUNT_ROWS = len(TYPES) * len(RecordStatus)


def _union(parts):
    return parts[0].union(*parts[1:], all=True)


def _int(value):
    return Value(value, output_field=IntegerField())


def _text(value):
    return Value(value, output_field=CharField())


def _parts(studio_id):
    """Per record type two SELECTs of the same shape (part, id, title, date, status, slug, n): part 0 is the status
    counts (grouped; date is the newest record's), part 1 the records themselves."""
    parts = []
    for slug, t in TYPES.items():
        records = t.model.objects.filter(studio_id=studio_id).order_by()
        parts.append(
            records.annotate(part=_int(1), slug=_text(slug), n=_int(1)).values_list(
                "part", "id", "title", "date", "status", "slug", "n"
            )
        )
        parts.append(
            records.values("status")
            .annotate(
                part=_int(0),
                rid=_int(0),
                rtitle=_text(""),
                newest=Max("date", output_field=DateField()),
                slug=_text(slug),
                n=Count("pk"),
            )
            .values_list("part", "rid", "rtitle", "newest", "status", "slug", "n")
        )
    return parts


def studio_summary(studio_id, limit=RECENT):
    """({status: count} over the five record types, the `limit` most recent records) in one statement."""
    rows = _union(_parts(studio_id)).order_by("part", "-date", "-id")[: COUNT_ROWS + limit]
    counts, recent = {}, []
    for part, pk, title, date, status, slug, n in rows:
        if part == 0:
            counts[status] = counts.get(status, 0) + n
        elif len(recent) < limit:
            recent.append(
                {
                    "type_label": TYPES[slug].label,
                    "url": reverse("ledger:detail", args=[slug, pk]),
                    "title": title,
                    "date": date,
                    "status": RecordStatus(status).label,
                }
            )
    return counts, recent


def _summary(studio):
    return page_memo(studio, "ledger", lambda: studio_summary(studio.pk))


def recent_panel(studio, user):
    return {
        "recent": _summary(studio)[1],
        "ledger_url": reverse("ledger:index") + f"?studio={studio.pk}",
        "studio": studio,
    }


def open_tasks(studio, user):
    counts = _summary(studio)[0]
    tasks = []
    if counts.get(RecordStatus.SUBMITTED):
        tasks.append(
            Task(
                f"待系部审核的建设记录 {counts[RecordStatus.SUBMITTED]} 条",
                reverse("ledger:review_queue") + f"?studio={studio.pk}",
            )
        )
    if counts.get(RecordStatus.RETURNED):
        tasks.append(
            Task(
                f"被系部退回待修改的建设记录 {counts[RecordStatus.RETURNED]} 条",
                reverse("ledger:index") + f"?studio={studio.pk}",
                urgent=True,
            )
        )
    return tasks


def register():
    register_panel("ledger_recent", "近期记录", "ledger/panel_recent.html", recent_panel, order=40)
    register_open_tasks(open_tasks)
