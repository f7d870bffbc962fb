"""The indicator `publicity_reports` (宣传报道, plans.indicators): per studio, the posts published (by the head of
the studio's department) with a publish date in the year; waiting = posts submitted and not yet decided. One grouped
SELECT over news_post that joins compute()'s one UNION statement."""

from django.db.models import CharField, Count, Q, Value

from plans.indicators import provide_computation

from .enums import PostStatus
from .models import Post

KEY = "publicity_reports"


def parts(studio_ids, year):
    return [
        Post.objects.filter(studio_id__in=studio_ids)
        .filter(Q(status=PostStatus.PUBLISHED, published_at__year=year) | Q(status=PostStatus.SUBMITTED))
        .order_by()
        .values("studio_id")
        .annotate(
            c=Count("pk", filter=Q(status=PostStatus.PUBLISHED)),
            w=Count("pk", filter=Q(status=PostStatus.SUBMITTED)),
            tag=Value(KEY, output_field=CharField()),
        )
        .values_list("studio_id", "tag", "c", "w")
    ]


def records(studio_ids, year, *, waiting=False):
    if waiting:
        return Post.objects.filter(studio_id__in=studio_ids, status=PostStatus.SUBMITTED)
    return Post.objects.filter(studio_id__in=studio_ids, status=PostStatus.PUBLISHED, published_at__year=year)


def register():
    provide_computation(KEY, parts, label="宣传报道：年度内经系部审核发布的报道（篇）", records=records)
