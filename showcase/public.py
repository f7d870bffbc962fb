"""The public DTOs of the showcase: plain dicts built from explicit field lists — the ONLY data the public pages and
the public API ever see. Never a model instance in a public template: a field added to a model later cannot leak.

What is public (nothing else): an active studio's plaque name, official name, department name, trade (职业工种) and
direction (主要工作方向) from its application, approval date; the master's name, professional title (职称) and the
honours he or his department head marked public; current members' names and membership roles; the landmark
achievements marked public (confirmed); the posts published by the department; the notices marked public.
Never: ID number, phone, birth date, e-mail, 工号, addresses, files other than the published posts' photos.
Every function costs a fixed number of queries whatever the data size."""

from django.db.models import Q

from accounts.models import Department
from core.pagination import CappedPaginator
from ledger.enums import RecordStatus
from ledger.models import Achievement
from news.enums import NoticeStatus, PostStatus
from news.models import Notice, Post, PostPhoto
from people.models import Honor, StaffProfile
from studios.enums import MembershipRole, StudioStatus, role_rank
from studios.models import Membership, Studio

PAGE_SIZE = 12
POSTS_ON_STUDIO = 20
NOTICES_PAGE = 20


def _date(value):
    return value.isoformat() if value else None


def _dt(value):
    return value.isoformat(timespec="seconds") if value else None


def active_studios():
    return Studio.objects.filter(status=StudioStatus.ACTIVE)


def _trade(studio):
    application = studio.application if studio.application_id else None
    return (application.occupation if application else "") or ""


def _direction(studio):
    application = studio.application if studio.application_id else None
    return (application.main_directions if application else "") or ""


def studio_card(studio):
    return {
        "id": studio.pk,
        "plaque_name": studio.plaque_name,
        "name": studio.official_name,
        "department": studio.department.name,
        "trade": _trade(studio),
        "master": studio.master.display_name,
    }


def _studio_rows():
    return active_studios().select_related("department", "master", "application").only(
        "pk", "plaque_name", "official_name", "status", "department__name", "master__display_name",
        "application__occupation",
    )  # fmt: skip


def filters():
    """The choices of the home page's filters: departments with an active studio, trades of active studios."""
    departments = list(
        Department.objects.filter(pk__in=active_studios().values("department_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    trades = sorted(
        {t for t in active_studios().exclude(application=None).values_list("application__occupation", flat=True) if t}
    )
    return {"departments": [{"id": pk, "name": name} for pk, name in departments], "trades": trades}


def studio_page(*, q="", department=None, trade="", page=1):
    """Home: active studios, searched by name (plaque, official or master's) and filtered by department and trade."""
    rows = _studio_rows()
    if q:
        rows = rows.filter(
            Q(plaque_name__icontains=q) | Q(official_name__icontains=q) | Q(master__display_name__icontains=q)
        )
    if department:
        rows = rows.filter(department_id=department)
    if trade:
        rows = rows.filter(application__occupation=trade)
    paginator = CappedPaginator(rows.order_by("department__name", "official_name", "pk"), PAGE_SIZE, cap=1000)
    page_obj = paginator.get_page(page)
    return {
        "studios": [studio_card(s) for s in page_obj],
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "has_next": page_obj.has_next(),
        "has_previous": page_obj.has_previous(),
        "capped": paginator.capped,
    }


def _post_card(post, photos):
    return {
        "id": post.pk,
        "title": post.title,
        "studio_id": post.studio_id,
        "studio": post.studio.plaque_name,
        "published_at": _dt(post.published_at),
        "summary": post.body[:120],
        "thumbnail": photos[0]["id"] if photos else None,
    }


def _photos_by_post(post_ids):
    result = {}
    for pk, post_id, caption in (
        PostPhoto.objects.filter(post_id__in=post_ids).order_by("pk").values_list("pk", "post_id", "caption")
    ):
        result.setdefault(post_id, []).append({"id": pk, "caption": caption})
    return result


def published_posts():
    return Post.objects.filter(status=PostStatus.PUBLISHED, studio__status=StudioStatus.ACTIVE)


def studio_detail(studio_id):
    """The studio page's DTO, or None (not found, or revoked: a revoked studio disappears)."""
    studio = active_studios().select_related("department", "master", "application").filter(pk=studio_id).first()
    if studio is None:
        return None
    master = studio.master
    title = StaffProfile.objects.filter(user_id=master.pk).values_list("title", flat=True).first() or ""
    honours = [
        {
            "title": h.title,
            "level": h.get_level_display(),
            "rank": h.get_rank_display() if h.rank else "",
            "year": h.date.year,
        }
        for h in Honor.objects.filter(user_id=master.pk, is_public=True).order_by("-date", "pk")
    ]
    members = [
        {"name": m.user.display_name, "role": m.get_role_display()}
        for m in Membership.objects.filter(studio_id=studio.pk, left_on__isnull=True)
        .exclude(role=MembershipRole.MASTER)
        .select_related("user")
        .only("role", "user__display_name")
        .order_by(role_rank(), "joined_on", "pk")
    ]
    achievements = [
        {"title": a.title, "kind": a.get_kind_display(), "level": a.get_level_display(), "rank": a.rank,
         "date": _date(a.grant_date or a.date)}
        for a in Achievement.objects.filter(
            studio_id=studio.pk, landmark=True, public=True, status=RecordStatus.CONFIRMED
        ).order_by("-date", "-pk")
    ]  # fmt: skip
    posts = list(
        published_posts()
        .filter(studio_id=studio.pk)
        .select_related("studio")
        .order_by("-published_at", "-pk")[:POSTS_ON_STUDIO]
    )
    photos = _photos_by_post([p.pk for p in posts])
    return {
        **studio_card(studio),
        "approved_on": _date(studio.approved_on),
        "level": studio.get_level_display(),
        "direction": _direction(studio),
        "master_profile": {"name": master.display_name, "title": title, "trade": _trade(studio), "honours": honours},
        "members": members,
        "achievements": achievements,
        "posts": [_post_card(p, photos.get(p.pk, [])) for p in posts],
    }


def latest_posts(limit=6):
    posts = list(published_posts().select_related("studio").order_by("-published_at", "-pk")[:limit])
    photos = _photos_by_post([p.pk for p in posts])
    return [_post_card(p, photos.get(p.pk, [])) for p in posts]


def post_detail(post_id):
    post = published_posts().select_related("studio").filter(pk=post_id).first()
    if post is None:
        return None
    photos = _photos_by_post([post.pk]).get(post.pk, [])
    return {
        "id": post.pk,
        "title": post.title,
        "body": post.body,
        "studio_id": post.studio_id,
        "studio": post.studio.plaque_name,
        "published_at": _dt(post.published_at),
        "photos": photos,
    }


def public_photo(post_id, photo_id):
    """The PostPhoto of a published post of an active studio (for serving its file), or None."""
    return PostPhoto.objects.filter(pk=photo_id, post_id=post_id, post__in=published_posts()).first()


def public_notices(page=1):
    rows = (
        Notice.objects.filter(is_public=True, status=NoticeStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .only("pk", "title", "body", "published_at")
    )
    paginator = CappedPaginator(rows, NOTICES_PAGE, cap=1000)
    page_obj = paginator.get_page(page)
    return {
        "notices": [
            {"id": n.pk, "title": n.title, "published_at": _dt(n.published_at), "summary": n.body[:120]}
            for n in page_obj
        ],
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "has_next": page_obj.has_next(),
        "has_previous": page_obj.has_previous(),
    }


def notice_detail(notice_id):
    notice = Notice.objects.filter(pk=notice_id, is_public=True, status=NoticeStatus.PUBLISHED).first()
    if notice is None:
        return None
    return {"id": notice.pk, "title": notice.title, "body": notice.body, "published_at": _dt(notice.published_at)}
