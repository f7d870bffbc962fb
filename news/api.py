"""REST API of news, mounted at /api/v1/news/: notices (my list, read — which writes my receipt —, create, update,
attach, publish, withdraw, receipts with the unread people) and posts (list, read, create, update, delete a draft,
photo upload, submit, publish, return). Writes go through news.services: the permissions, the workflow (409) and the
audit are those of the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, model_text
from core.pagination import BoundedPagination
from studios.models import Studio

from . import services
from .audience import audience_users
from .enums import NoticeStatus
from .models import Notice, NoticeRead, Post, PostPhoto
from .permissions import sees_receipts

router = Router(tags=["news"])
PREFIX = "news"


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    audience: str
    audience_department_id: int | None
    audience_role: str
    is_public: bool
    status: str
    published_at: dt.datetime | None
    withdraw_reason: str
    is_read: bool
    attachments: list[dict]


class NoticeIn(Schema):
    title: model_text(Notice, "title", min_length=1)
    body: model_text(Notice, "body", min_length=1)
    audience: Code = Field("all", description="all（全体教职工）/ department（指定系部）/ role（指定角色）")
    department_id: Id | None = None
    role: Code = ""
    is_public: bool = False


class WithdrawIn(Schema):
    reason: model_text(Notice, "withdraw_reason", min_length=1)


class ReceiptsOut(Schema):
    total: int
    read: int
    unread: int
    unread_people: list[dict]


class PostOut(Schema):
    id: int
    studio_id: int
    title: str
    body: str
    status: str
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    return_reason: str
    photos: list[dict]


class PostIn(Schema):
    studio_id: Id | None = Field(None, description="新增时必填")
    title: model_text(Post, "title", min_length=1)
    body: model_text(Post, "body", min_length=1)


class ReturnIn(Schema):
    reason: model_text(Post, "return_reason", min_length=1)


def _notice_out(n, is_read=None):
    if is_read is None:
        is_read = getattr(n, "is_read", False)
    return {
        "id": n.pk, "title": n.title, "body": n.body, "audience": n.audience,
        "audience_department_id": n.audience_department_id, "audience_role": n.audience_role,
        "is_public": n.is_public, "status": n.status, "published_at": n.published_at,
        "withdraw_reason": n.withdraw_reason, "is_read": is_read,
        "attachments": [{"id": a.pk, "name": a.original_name, "size": a.size} for a in n.attachments.all()],
    }  # fmt: skip


def _notices(request):
    mine = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=request.auth.pk)
    return visible_to(request.auth, Notice).annotate(is_read=Exists(mine)).prefetch_related("attachments")


def _notice(request, pk, action="view"):
    return get_object_for_user(request, _notices(request), pk, action=action)


class _Mapped:
    def __init__(self, rows, fn):
        self.rows, self.fn = rows, fn

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, item):
        return [self.fn(row) for row in self.rows[item]]


@router.get("/notices/", url_name="news_notice_list", response=list[NoticeOut], summary="我的通知公告")
@paginate(BoundedPagination)
def list_notices(request, status: Code | None = None, unread: bool | None = None):
    rows = _notices(request).order_by("-published_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    if unread is not None:
        rows = rows.filter(is_read=not unread)
    return _Mapped(rows, _notice_out)


@router.get("/notices/{int:pk}", url_name="news_notice_get", response=NoticeOut, summary="阅读通知（记录已读）")
def get_notice(request, pk: Id):
    notice = _notice(request, pk)
    wrote = services.mark_read(notice, user=request.auth)
    return _notice_out(notice, is_read=notice.is_read or wrote)


def _service_kwargs(payload):
    return {
        "title": payload.title, "body": payload.body, "audience": payload.audience,
        "department": payload.department_id, "role": payload.role, "is_public": payload.is_public,
    }  # fmt: skip


@router.post(
    "/notices/", url_name="news_notice_create", response={201: NoticeOut}, summary="起草通知（教学工作部、发改室）"
)
def create_notice(request, payload: NoticeIn):
    notice = services.create_notice(by=request.auth, **_service_kwargs(payload))
    return Status(201, _notice_out(_notice(request, notice.pk)))


@router.patch("/notices/{int:pk}", url_name="news_notice_update", response=NoticeOut, summary="修改通知草稿")
def update_notice(request, pk: Id, payload: NoticeIn):
    notice = _notice(request, pk, action="edit")
    services.update_notice(notice, by=request.auth, **_service_kwargs(payload))
    return _notice_out(_notice(request, pk))


@router.post(
    "/notices/{int:pk}/attachments", url_name="news_notice_attach", response=NoticeOut,
    summary="上传通知附件（multipart：file）",
)  # fmt: skip
def attach_notice_file(request, pk: Id, file: File[UploadedFile]):
    notice = _notice(request, pk, action="upload")
    services.add_notice_attachment(notice, by=request.auth, upload=file)
    return _notice_out(_notice(request, pk))


@router.post("/notices/{int:pk}/publish", url_name="news_notice_publish", response=NoticeOut, summary="发布通知")
def publish_notice(request, pk: Id):
    notice = _notice(request, pk, action="publish")
    services.publish_notice(notice, by=request.auth)
    return _notice_out(_notice(request, pk))


@router.post("/notices/{int:pk}/withdraw", url_name="news_notice_withdraw", response=NoticeOut, summary="撤回通知")
def withdraw_notice(request, pk: Id, payload: WithdrawIn):
    notice = _notice(request, pk, action="withdraw")
    services.withdraw_notice(notice, by=request.auth, reason=payload.reason)
    return _notice_out(_notice(request, pk))


RECEIPT_PEOPLE_MAX = 500


@router.get(
    "/notices/{int:pk}/receipts", url_name="news_notice_receipts", response=ReceiptsOut,
    summary="阅读情况：已读/未读人数与未读名单（至多 500 人）",
)  # fmt: skip
def notice_receipts(request, pk: Id):
    notice = _notice(request, pk)
    if not sees_receipts(request.auth):
        raise PermissionDenied("只有发布部门、系统管理员和监督部门可以查看阅读情况。")
    if notice.status == NoticeStatus.DRAFT:
        raise ValidationError("草稿尚未发布，没有阅读情况。")
    people = audience_users(notice)
    total = people.count()
    read = NoticeRead.objects.filter(notice=notice, user__in=people).count()
    unread = (
        people.exclude(Exists(NoticeRead.objects.filter(notice_id=notice.pk, user_id=OuterRef("pk"))))
        .order_by("username")
        .values("id", "username", "display_name")[:RECEIPT_PEOPLE_MAX]
    )
    return {"total": total, "read": read, "unread": total - read, "unread_people": list(unread)}


# --- posts ----------------------------------------------------------------------------------------------------------


def _post_out(p):
    return {
        "id": p.pk, "studio_id": p.studio_id, "title": p.title, "body": p.body, "status": p.status,
        "submitted_at": p.submitted_at, "published_at": p.published_at, "return_reason": p.return_reason,
        "photos": [{"id": ph.pk, "caption": ph.caption} for ph in p.photos.all()],
    }  # fmt: skip


def _posts(request):
    return visible_to(request.auth, Post).select_related("studio").prefetch_related("photos")


def _post(request, pk, action="view"):
    return get_object_for_user(request, _posts(request), pk, action=action)


@router.get("/posts/", url_name="news_post_list", response=list[PostOut], summary="宣传报道列表")
@paginate(BoundedPagination)
def list_posts(request, status: Code | None = None, studio_id: Id | None = None):
    rows = _posts(request).order_by("-updated_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    return _Mapped(rows, _post_out)


@router.get("/posts/{int:pk}", url_name="news_post_get", response=PostOut, summary="宣传报道详情")
def get_post(request, pk: Id):
    return _post_out(_post(request, pk))


@router.post(
    "/posts/", url_name="news_post_create", response={201: PostOut}, summary="撰写报道（工作室技能大师或成员）"
)
def create_post(request, payload: PostIn):
    if payload.studio_id is None:
        raise ValidationError("请指定工作室（studio_id）。")
    studio = get_object_for_user(request, Studio, payload.studio_id)
    post = services.create_post(studio, by=request.auth, title=payload.title, body=payload.body)
    return Status(201, _post_out(_post(request, post.pk)))


@router.patch("/posts/{int:pk}", url_name="news_post_update", response=PostOut, summary="修改草稿或被退回的报道")
def update_post(request, pk: Id, payload: PostIn):
    post = _post(request, pk, action="edit")
    services.update_post(post, by=request.auth, title=payload.title, body=payload.body)
    return _post_out(_post(request, pk))


@router.delete("/posts/{int:pk}", url_name="news_post_delete", response={204: None}, summary="删除报道草稿")
def delete_post(request, pk: Id):
    post = _post(request, pk, action="delete")
    services.delete_post(post, by=request.auth)
    return Status(204, None)


@router.post(
    "/posts/{int:pk}/photos", url_name="news_post_photo", response=PostOut,
    summary="上传报道照片（multipart：file，JPG/PNG；去除 EXIF）",
)  # fmt: skip
def upload_post_photo(request, pk: Id, file: File[UploadedFile], caption: model_text(PostPhoto, "caption") = ""):
    post = _post(request, pk, action="upload")
    services.add_post_photo(post, by=request.auth, upload=file, caption=caption)
    return _post_out(_post(request, pk))


@router.post("/posts/{int:pk}/submit", url_name="news_post_submit", response=PostOut, summary="提交系部审核")
def submit_post(request, pk: Id):
    post = _post(request, pk, action="submit")
    services.submit_post(post, by=request.auth)
    return _post_out(_post(request, pk))


@router.post(
    "/posts/{int:pk}/publish", url_name="news_post_publish", response=PostOut, summary="审核通过并发布（系部主任）"
)
def publish_post(request, pk: Id):
    post = _post(request, pk, action="publish")
    services.publish_post(post, by=request.auth)
    return _post_out(_post(request, pk))


@router.post(
    "/posts/{int:pk}/return", url_name="news_post_return", response=PostOut, summary="退回报道（系部主任，须填写原因）"
)
def return_post(request, pk: Id, payload: ReturnIn):
    post = _post(request, pk, action="return")
    services.return_post(post, by=request.auth, reason=payload.reason)
    return _post_out(_post(request, pk))
