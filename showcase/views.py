"""The public showcase (成果展示): no login, its own URL space /showcase/ and its own layout (nothing of a user's
session is rendered, so a response is the same for everyone and may be cached publicly).

Every page is rendered from the DTOs of showcase.public (explicit allowed fields), never from model instances.
Conditional GET: the ETag is a hash of the page's DTO (it changes with any relevant change — a new post, a name, an
honour made public — and with nothing else); a matching If-None-Match answers 304 without rendering. Responses carry
`Cache-Control: public, max-age=PUBLIC_MAX_AGE`.

Each process also keeps a page it rendered for settings.SHOWCASE_CACHE_SECONDS (default 30; 0: off), by its full path
(query string included): a repeat within that time reads no row and renders nothing. Safe because a page is the same
for everyone, and the staleness is within what Cache-Control already allows browsers and proxies (PUBLIC_MAX_AGE): a
revoked studio or withdrawn post may stay visible that long, never longer."""

import hashlib
import json
import time

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from core.search import id_param, search_text

from . import public

PUBLIC_MAX_AGE = 60
CACHE_ENTRIES = 512  # pages kept per process; a full cache is emptied (search strings must not grow it forever)
_CACHE: dict[str, tuple[float, str, str]] = {}  # full path → (expires at, etag, html)


def _cached(path):
    if settings.SHOWCASE_CACHE_SECONDS <= 0:
        return None
    entry = _CACHE.get(path)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry


def _keep(path, etag, html):
    seconds = settings.SHOWCASE_CACHE_SECONDS
    if seconds <= 0:
        return
    if len(_CACHE) >= CACHE_ENTRIES:
        _CACHE.clear()
    _CACHE[path] = (time.monotonic() + seconds, etag, html)


def _page(request):
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1


def _home_data(request):
    q = search_text(request, "q")
    department = id_param(request.GET.get("department", ""))
    trade = search_text(request, "trade", max_length=60)
    return {
        "q": q,
        "department": department,
        "trade": trade,
        **public.studio_page(q=q, department=department, trade=trade, page=_page(request)),
        "filters": public.filters(),
        "latest_posts": public.latest_posts(),
    }


def _etag_of(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def _dto_view(builder, template):
    """A public page: DTO built once per request (the ETag's source and the template's only context)."""

    def etag(request, **kwargs):
        hit = _cached(request.get_full_path())
        if hit is not None:
            request._showcase_hit = hit
            return hit[1]
        data = builder(request, **kwargs)
        if data is None:
            raise Http404("页面不存在或已不再公开。")
        request._showcase_data, request._showcase_etag = data, _etag_of(data)
        return request._showcase_etag

    @require_GET
    @condition(etag_func=etag)
    def view(request, **kwargs):
        hit = getattr(request, "_showcase_hit", None)
        if hit is not None:
            html = hit[2]
        else:
            # Rendered without the request: no context processor runs (no menu, no user, no session read), so the
            # page is the same for everyone and costs the same signed in or not.
            html = render_to_string(template, {"data": request._showcase_data, "SCHOOL_NAME": settings.SCHOOL_NAME})
            _keep(request.get_full_path(), request._showcase_etag, html)
        response = HttpResponse(html)
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return view


home = _dto_view(_home_data, "showcase/home.html")
studio = _dto_view(lambda request, pk: public.studio_detail(pk), "showcase/studio.html")
post = _dto_view(lambda request, pk: public.post_detail(pk), "showcase/post.html")
notices = _dto_view(lambda request: public.public_notices(_page(request)), "showcase/notices.html")
notice = _dto_view(lambda request, pk: public.notice_detail(pk), "showcase/notice.html")


@require_GET
def post_photo(request, pk, photo_pk):
    """A photo of a published post (stored without EXIF); ?size=thumb for the thumbnail."""
    photo = public.public_photo(pk, photo_pk)
    if photo is None:
        raise Http404("照片不存在或已不再公开。")
    field = photo.thumbnail if request.GET.get("size") == "thumb" else photo.image
    # Inline (an <img> source): the stored copy is an image re-encoded from its pixels by ledger.photos, never the
    # uploaded bytes; its type is fixed by the stored name, and the browser may not sniff another.
    kind = "image/png" if field.name.endswith(".png") else "image/jpeg"
    response = FileResponse(field.open("rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
