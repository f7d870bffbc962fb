"""The ledger's parts of the studio page (studios/panels.py registries): 近期记录 and the open task 待系部审核的记录.
Each is one SQL statement whatever the studio's history (a UNION ALL over the five record types with a LIMIT)."""

from django.db.models import CharField, Count, Value
from django.urls import reverse

from studios.panels import Task, register_open_tasks, register_panel

from .enums import RecordStatus
from .types import TYPES

RECENT = 6


def _union(parts):
    return parts[0].union(*parts[1:], all=True)


def recent_records(studio_id, limit=RECENT):
    parts = [
        t.model.objects.filter(studio_id=studio_id)
        .annotate(slug=Value(slug, output_field=CharField()))
        .values_list("id", "title", "date", "status", "slug")
        .order_by()
        for slug, t in TYPES.items()
    ]
    rows = _union(parts).order_by("-date", "-id")[:limit]
    return [
        {
            "type_label": TYPES[slug].label,
            "url": reverse("ledger:detail", args=[slug, pk]),
            "title": title,
            "date": date,
            "status": RecordStatus(status).label,
        }
        for pk, title, date, status, slug in rows
    ]


def status_counts(studio_id):
    """{status: count} over the five record types, one statement."""
    parts = [
        t.model.objects.filter(studio_id=studio_id)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
        for t in TYPES.values()
    ]
    counts = {}
    for status, n in _union(parts).order_by():
        counts[status] = counts.get(status, 0) + n
    return counts


def recent_panel(studio, user):
    return {
        "recent": recent_records(studio.pk),
        "ledger_url": reverse("ledger:index") + f"?studio={studio.pk}",
        "studio": studio,
    }


def open_tasks(studio, user):
    counts = status_counts(studio.pk)
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
