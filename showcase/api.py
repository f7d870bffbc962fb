"""The public, read-only API of the showcase at /api/v1/showcase/ (no authentication): the same DTOs as the pages
(showcase.public) — only explicitly published fields. Plus two signed-in operations by which a master (or the
department head) marks an honour or a landmark achievement public (showcase.services, audited)."""

from django.http import Http404
from ninja import Router, Schema

from accounts.permissions import get_object_for_user
from core.apitypes import Id, text
from ledger.models import Achievement
from people.models import Honor

from . import public, services

router = Router(tags=["showcase"])
PREFIX = "showcase"


class PublicFlagIn(Schema):
    public: bool


def _or_404(data):
    if data is None:
        raise Http404
    return data


@router.get(
    "/studios/", auth=None, url_name="showcase_studio_list", summary="公开：工作室列表（搜索、按系部和工种筛选）"
)
def list_studios(
    request, q: text(50) = "", department: Id | None = None, trade: text(60) = "", page: int = 1
):  # fmt: skip
    page = page if 0 < page < 100000 else 1
    return {**public.studio_page(q=q, department=department, trade=trade, page=page), "filters": public.filters()}


@router.get("/studios/{int:pk}", auth=None, url_name="showcase_studio_get", summary="公开：工作室页面")
def get_studio(request, pk: Id):
    return _or_404(public.studio_detail(pk))


@router.get("/posts/", auth=None, url_name="showcase_post_list", summary="公开：最新宣传报道")
def list_posts(request):
    return public.latest_posts(limit=20)


@router.get("/posts/{int:pk}", auth=None, url_name="showcase_post_get", summary="公开：宣传报道")
def get_post(request, pk: Id):
    return _or_404(public.post_detail(pk))


@router.get("/notices/", auth=None, url_name="showcase_notice_list", summary="公开：通知公告")
def list_notices(request, page: int = 1):
    return public.public_notices(page if 0 < page < 100000 else 1)


@router.get("/notices/{int:pk}", auth=None, url_name="showcase_notice_get", summary="公开：通知公告详情")
def get_notice(request, pk: Id):
    return _or_404(public.notice_detail(pk))


@router.post(
    "/honors/{int:pk}/public", url_name="showcase_honor_public", summary="荣誉是否在成果展示页公开（本人或系部主任）"
)
def set_honor_public(request, pk: Id, payload: PublicFlagIn):
    honor = get_object_for_user(request, Honor.objects.select_related("user"), pk)
    honor = services.set_honor_public(honor, by=request.auth, public=payload.public)
    return {"id": honor.pk, "is_public": honor.is_public}


@router.post(
    "/achievements/{int:pk}/public", url_name="showcase_achievement_public",
    summary="标志性成果是否在成果展示页公开（技能大师或系部主任）",
)  # fmt: skip
def set_achievement_public(request, pk: Id, payload: PublicFlagIn):
    achievement = get_object_for_user(request, Achievement.objects.select_related("studio"), pk)
    achievement = services.set_achievement_public(achievement, by=request.auth, public=payload.public)
    return {"id": achievement.pk, "public": achievement.public}
