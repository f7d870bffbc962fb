"""A 公示 posts itself as a 通知公告 (filled into applications.hooks.on_publicity_started in apps.ready()).

applications has already told every staff member (announce_publicity): the notice is posted without a second
notification; it keeps the list where everyone finds notices, with read receipts. It is posted after the
announcement's commit (its own transaction): the announcement's cost stays what applications bounds, and a failure
here never undoes the 公示. post_system_notice's `source` makes a repeated call a no-op."""

from django.db import transaction
from django.utils import timezone

from applications.models import Application, Publicity

from .services import post_system_notice


def publicity_notice(publicity):
    """The hook: schedule the notice for after the announcement commits."""
    publicity_id = publicity.pk
    transaction.on_commit(lambda: post_publicity_notice(publicity_id), robust=True)


def post_publicity_notice(publicity_id):
    publicity = Publicity.objects.get(pk=publicity_id)
    rows = (
        Application.objects.filter(publicity=publicity)
        .select_related("applicant", "department")
        .order_by("department__name", "pk")
    )
    lines = [
        f"{n}. {a.studio_name or '（未命名）'}——{a.applicant.display_name}（{a.department.name}）"
        for n, a in enumerate(rows, start=1)
    ]
    start = timezone.localtime(publicity.starts_at)
    end = timezone.localtime(publicity.ends_at)
    body = (
        f"公示期：{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}。\n\n公示名单：\n"
        + "\n".join(lines)
        + "\n\n如有异议，请在公示期内通过平台「公示」页面实名提出。"
    )
    return post_system_notice(
        title=publicity.title[:120],
        body=body[:10000],
        source=f"applications.publicity:{publicity.pk}",
        notify=False,
    )
