"""Writes of news: notices (draft, attachments, publish, withdraw, read receipts, system notices) and posts (draft,
photos, submit, publish, return). Each takes `by=`, runs in one transaction and writes its audit event there."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department
from accounts.permissions import can, may_write_as, require_write_access
from core.audit import log_action
from core.notifications import notify_all
from core.uploads import detect_kind, validate_upload
from core.workflow import transition
from ledger.photos import clean_image
from studios.models import Studio

from .audience import audience_users, in_audience
from .enums import Audience, NoticeStatus, PostStatus
from .models import Notice, NoticeAttachment, NoticeRead, Post, PostPhoto
from .permissions import PUBLISHER_ROLES, is_writer

MAX_NOTICE_ATTACHMENTS = 10
MAX_POST_PHOTOS = 12


def _text(value, model, field, label, *, required=True):
    value = (value or "").strip()
    limit = model._meta.get_field(field).max_length
    if required and not value:
        raise ValidationError({field: f"请填写{label}。"})
    if "\x00" in value:
        raise ValidationError({field: f"{label}含有不允许的字符。"})
    if limit and len(value) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 字。"})
    return value


def _audience(audience, department, role):
    """(audience, department or None, role code or "") checked; a Chinese refusal for anything incomplete."""
    if audience not in Audience.values:
        raise ValidationError({"audience": "请选择发布范围。"})
    if audience == Audience.DEPARTMENT:
        if isinstance(department, int | str):
            department = (
                Department.objects.filter(pk=department, is_active=True).first() if str(department).isdigit() else None
            )
        if department is None:
            raise ValidationError({"audience_department": "请选择接收通知的系部。"})
        return audience, department, ""
    if audience == Audience.ROLE:
        if role not in Role.values:
            raise ValidationError({"audience_role": "请选择接收通知的角色。"})
        return audience, None, role
    return audience, None, ""


def _snapshot(notice):
    return {
        "title": notice.title,
        "audience": notice.audience,
        "audience_department": notice.audience_department_id,
        "audience_role": notice.audience_role,
        "is_public": notice.is_public,
    }


# --- notices --------------------------------------------------------------------------------------------------------


def _require_publisher(by):
    require_write_access(by)
    if not may_write_as(by, *PUBLISHER_ROLES):
        raise PermissionDenied("只有教学工作部和发展改革研究室可以发布通知公告。")


def create_notice(*, by, title, body, audience=Audience.ALL, department=None, role="", is_public=False):
    """A draft notice (教学工作部 / 发改室)."""
    _require_publisher(by)
    title = _text(title, Notice, "title", "标题")
    body = _text(body, Notice, "body", "正文")
    audience, department, role = _audience(audience, department, role)
    with transaction.atomic():
        notice = Notice.objects.create(
            title=title, body=body, audience=audience, audience_department=department, audience_role=role,
            is_public=bool(is_public), created_by=by,
        )  # fmt: skip
        log_action(actor=by, action="news.notice.created", obj=notice, after=_snapshot(notice))
    return notice


def update_notice(notice, *, by, title, body, audience=Audience.ALL, department=None, role="", is_public=False):
    _require_publisher(by)
    title = _text(title, Notice, "title", "标题")
    body = _text(body, Notice, "body", "正文")
    audience, department, role = _audience(audience, department, role)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.DRAFT:
            raise ValidationError("通知已发布，不能再修改；如有错误请撤回后重新发布。")
        before = _snapshot(notice)
        notice.title, notice.body, notice.is_public = title, body, bool(is_public)
        notice.audience, notice.audience_department, notice.audience_role = audience, department, role
        notice.save()
        log_action(actor=by, action="news.notice.updated", obj=notice, before=before, after=_snapshot(notice))
    return notice


def add_notice_attachment(notice, *, by, upload):
    _require_publisher(by)
    if upload is None:
        raise ValidationError({"file": "请选择要上传的文件。"})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = os.path.basename(getattr(upload, "name", "") or "")[:200] or "附件"
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.DRAFT:
            raise ValidationError({"file": "通知已发布，不能再添加附件。"})
        if NoticeAttachment.objects.filter(notice=notice).count() >= MAX_NOTICE_ATTACHMENTS:
            raise ValidationError({"file": f"每条通知最多 {MAX_NOTICE_ATTACHMENTS} 个附件。"})
        attachment = NoticeAttachment(notice=notice, original_name=name, size=upload.size, uploaded_by=by)
        attachment.file.save(name, upload, save=False)
        try:
            attachment.save()
            log_action(
                actor=by, action="news.notice.attachment_added", obj=notice,
                after={"attachment": attachment.pk, "name": name, "size": attachment.size},
            )  # fmt: skip
        except BaseException:
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def publish_notice(notice, *, by):
    """Draft → published: every person of the audience is notified in bulk after commit (core.notifications)."""
    return transition(notice, NoticeStatus.PUBLISHED, by=by, changes={"published_at": timezone.now()})


def withdraw_notice(notice, *, by, reason):
    reason = (reason or "").strip()[: Notice._meta.get_field("withdraw_reason").max_length]
    return transition(
        notice, NoticeStatus.WITHDRAWN, by=by, note=reason,
        changes={"withdrawn_at": timezone.now(), "withdraw_reason": reason},
    )  # fmt: skip


def post_system_notice(*, title, body, audience=Audience.ALL, public=False, source=None, by=None, notify=True):
    """A notice the platform posts itself (a 公示 starts, evaluation results …): created published at once and the
    audience notified after commit. `audience` is "all" (every staff member), a Department (or its id) for that
    department, or a role code (accounts.enums.Role, e.g. "dept_head"). `source` names where it comes from (e.g.
    "applications.publicity:12"); a second call with the same source returns the notice already posted.
    `by` is the person whose action caused it, or None for the platform. `notify=False`: the caller has already
    told the audience (the 公示 announcement), the notice is only posted."""
    if isinstance(audience, Department):
        audience, department, role = Audience.DEPARTMENT, audience, ""
    elif audience in (Audience.ALL, None, ""):
        audience, department, role = Audience.ALL, None, ""
    elif audience == Audience.DEPARTMENT or audience == Audience.ROLE:
        raise ValidationError("请直接传入系部或角色代码作为发布范围。")
    elif str(audience) in Role.values:
        audience, department, role = Audience.ROLE, None, str(audience)
    else:
        audience, department, role = _audience(Audience.DEPARTMENT, audience, "")
    title = _text(title, Notice, "title", "标题")[:120]
    body = _text(body, Notice, "body", "正文")
    source = (source or "")[: Notice._meta.get_field("source").max_length]
    with transaction.atomic():
        if source:
            existing = Notice.objects.filter(source=source).first()
            if existing is not None:
                return existing
        notice = Notice.objects.create(
            title=title, body=body, audience=audience, audience_department=department, audience_role=role,
            is_public=bool(public), status=NoticeStatus.PUBLISHED, published_at=timezone.now(), source=source,
            created_by=by if getattr(by, "pk", None) else None,
        )  # fmt: skip
        log_action(actor=by, action="news.notice.posted", obj=notice, after={**_snapshot(notice), "source": source})
        if notify:
            transaction.on_commit(
                lambda: notify_all(
                    audience_users(notice),
                    title=f"通知公告：{notice.title}",
                    body=notice.body[:200],
                    url=reverse("news:notice", args=[notice.pk]),
                )
            )
    return notice


def mark_read(notice, *, user):
    """The read receipt: written once, the first time a person of the audience opens the notice. Returns True when
    this call wrote it. Not audited (a receipt is itself the record; opening a page is no decision)."""
    if notice.status == NoticeStatus.DRAFT or not user.is_authenticated:
        return False
    if not in_audience(user, notice):
        return False
    if NoticeRead.objects.filter(notice_id=notice.pk, user_id=user.pk).exists():
        return False
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice_id=notice.pk, user_id=user.pk)
    except IntegrityError:  # opened twice at the same moment: one receipt
        return False
    return True


# --- posts ----------------------------------------------------------------------------------------------------------


def _post_snapshot(post):
    return {"title": post.title, "studio": post.studio_id, "status": post.status}


def create_post(studio, *, by, title, body):
    require_write_access(by)
    title = _text(title, Post, "title", "标题")
    body = _text(body, Post, "body", "正文")
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        if not is_writer(by, studio):
            raise PermissionDenied("只有本工作室的技能大师或成员可以撰写宣传报道。")
        post = Post.objects.create(studio=studio, title=title, body=body, created_by=by)
        log_action(actor=by, action="news.post.created", obj=post, after=_post_snapshot(post))
    return post


def _editable_post(post, by):
    post = Post.objects.select_for_update().select_related("studio").get(pk=post.pk)
    if not can(by, "edit", post):
        if not post.is_editable:
            raise ValidationError("报道已提交或已发布，不能再修改。")
        raise PermissionDenied("只有本工作室的技能大师或成员可以修改宣传报道。")
    return post


def update_post(post, *, by, title, body):
    require_write_access(by)
    title = _text(title, Post, "title", "标题")
    body = _text(body, Post, "body", "正文")
    with transaction.atomic():
        post = _editable_post(post, by)
        before = _post_snapshot(post)
        post.title, post.body = title, body
        post.save(update_fields=["title", "body", "updated_at"])
        log_action(actor=by, action="news.post.updated", obj=post, before=before, after=_post_snapshot(post))
    return post


def delete_post(post, *, by):
    require_write_access(by)
    with transaction.atomic():
        post = _editable_post(post, by)
        if post.status != PostStatus.DRAFT:
            raise ValidationError("只有草稿可以删除。")
        files = [f for photo in post.photos.all() for f in (photo.image, photo.thumbnail)]
        log_action(actor=by, action="news.post.deleted", obj=post, before=_post_snapshot(post))
        post.photos.all().delete()
        post.delete()
        names = [(f.storage, f.name) for f in files if f]
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def add_post_photo(post, *, by, upload, caption=""):
    """A photo (JPG/PNG, content-checked) stored without EXIF and with a thumbnail, on a draft or returned post."""
    require_write_access(by)
    caption = _text(caption, PostPhoto, "caption", "照片说明", required=False)
    if upload is None:
        raise ValidationError({"file": "请选择要上传的照片。"})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    ext = detect_kind(getattr(upload, "file", upload))
    if ext not in ("jpg", "png"):
        raise ValidationError({"file": "照片须为 JPG 或 PNG 图片。"})
    stored, thumb = clean_image(upload, ext)
    with transaction.atomic():
        post = _editable_post(post, by)
        if PostPhoto.objects.filter(post=post).count() >= MAX_POST_PHOTOS:
            raise ValidationError({"file": f"每篇报道最多 {MAX_POST_PHOTOS} 张照片。"})
        photo = PostPhoto(post=post, caption=caption, size=stored.size)
        photo.image.save("photo.png" if ext == "png" else "photo.jpg", stored, save=False)
        photo.thumbnail.save("thumb.jpg", thumb, save=False)
        try:
            photo.save()
            log_action(
                actor=by, action="news.post.photo_added", obj=post, after={"photo": photo.pk, "size": photo.size}
            )
        except BaseException:
            for field in (photo.image, photo.thumbnail):
                if field:
                    field.storage.delete(field.name)
            raise
    return photo


def submit_post(post, *, by):
    return transition(post, PostStatus.SUBMITTED, by=by, changes={"submitted_at": timezone.now(), "return_reason": ""})


def publish_post(post, *, by):
    return transition(post, PostStatus.PUBLISHED, by=by, changes={"published_at": timezone.now(), "reviewed_by": by})


def return_post(post, *, by, reason):
    reason = (reason or "").strip()[: Post._meta.get_field("return_reason").max_length]
    return transition(
        post, PostStatus.RETURNED, by=by, note=reason, changes={"return_reason": reason, "reviewed_by": by}
    )
