"""The two machines of news.

Notice: draft → published (教学工作部 / 发改室; every person of the audience is notified in bulk after commit)
        published → withdrawn (the same roles, with a reason).
Post:   draft/returned → submitted (the studio's master or a current member)
        submitted → published | returned (the head of the studio's department; returning needs a reason).
"""

from django.urls import reverse

from accounts.models import User
from core.notifications import notify, notify_all
from core.workflow import Machine, Move
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import REVOKED_MESSAGE

from .audience import audience_users
from .enums import NoticeStatus as N
from .enums import PostStatus as P
from .models import Notice, Post
from .permissions import PUBLISHER_ROLES, is_reviewer, is_writer


def _announce(notice, by, move, note):
    notify_all(
        audience_users(notice),
        title=f"通知公告：{notice.title}",
        body=notice.body[:200],
        url=reverse("news:notice", args=[notice.pk]),
    )


def _has_content(notice, by):
    if not (notice.title or "").strip() or not (notice.body or "").strip():
        return "标题和正文不能为空。"
    return None


NOTICE_TRANSITIONS = {
    (N.DRAFT, N.PUBLISHED): Move(
        roles=PUBLISHER_ROLES, guard=_has_content, verb="published", notify=_announce, label="发布"
    ),
    (N.PUBLISHED, N.WITHDRAWN): Move(roles=PUBLISHER_ROLES, verb="withdrawn", label="撤回", reason_required=True),
}

NOTICE_MACHINE = Machine(name="news.notice", model=Notice, transitions=NOTICE_TRANSITIONS, audit_prefix="news.notice")
Notice.WORKFLOW = NOTICE_MACHINE


def _studio(post):
    return Studio.objects.get(pk=post.studio_id)


def _active(studio):
    if studio.status == StudioStatus.REVOKED:
        return REVOKED_MESSAGE.format(name=studio.official_name)
    return None


def _writer_guard(post, by):
    studio = _studio(post)
    refused = _active(studio)
    if refused:
        return refused
    if not is_writer(by, studio):
        return "只有本工作室的技能大师或成员可以提交宣传报道。"
    if not (post.title or "").strip() or not (post.body or "").strip():
        return "标题和正文不能为空。"
    return None


def _reviewer_guard(post, by):
    studio = _studio(post)
    refused = _active(studio)
    if refused:
        return refused
    if not is_reviewer(by, studio):
        return "只有本工作室所在系部的系（部）主任可以审核宣传报道。"
    return None


def _tell_author(verb):
    def send(post, by, move, note):
        author = User.objects.get(pk=post.created_by_id)
        label = {"published": "已发布", "returned": "已被系部退回"}[verb]
        notify(
            [author],
            title=f"宣传报道「{post.title}」{label}",
            body=f"退回原因：{note}" if verb == "returned" and note else "",
            url=reverse("news:post", args=[post.pk]),
        )

    return send


def _tell_heads(post, by, move, note):
    studio = _studio(post)
    heads = User.objects.filter(
        is_active=True, role_assignments__role="dept_head", role_assignments__department_id=studio.department_id
    ).distinct()
    notify(
        list(heads),
        title=f"待审核的宣传报道：{studio.official_name}「{post.title}」",
        url=reverse("news:post", args=[post.pk]),
    )


POST_TRANSITIONS = {
    (P.DRAFT, P.SUBMITTED): Move(guard=_writer_guard, verb="submitted", notify=_tell_heads, label="提交系部审核"),
    (P.RETURNED, P.SUBMITTED): Move(guard=_writer_guard, verb="resubmitted", notify=_tell_heads, label="重新提交"),
    (P.SUBMITTED, P.PUBLISHED): Move(
        roles=frozenset({"dept_head"}),
        guard=_reviewer_guard,
        verb="published",
        notify=_tell_author("published"),
        label="审核通过并发布",
    ),  # fmt: skip
    (P.SUBMITTED, P.RETURNED): Move(
        roles=frozenset({"dept_head"}),
        guard=_reviewer_guard,
        verb="returned",
        notify=_tell_author("returned"),
        label="退回",
        reason_required=True,
    ),  # fmt: skip
}

POST_MACHINE = Machine(name="news.post", model=Post, transitions=POST_TRANSITIONS, audit_prefix="news.post")
Post.WORKFLOW = POST_MACHINE
