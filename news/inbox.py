"""我的工作台: unread notices (everyone) and posts waiting for the department head — querysets that
core.navigation.inbox_for counts together with the other apps' in one statement."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.permissions import headed_department_ids, may_write_as
from core.navigation import InboxEntry

from .audience import audience_q
from .enums import NoticeStatus, PostStatus
from .models import Notice, NoticeRead, Post


def unread_notices(user):
    read = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk)
    return Notice.objects.filter(audience_q(user), status=NoticeStatus.PUBLISHED).exclude(Exists(read))


def news_inbox(user):
    entries = []
    entries.append(InboxEntry("未读的通知公告", unread_notices(user), reverse("news:notices"), icon="megaphone"))
    departments = headed_department_ids(user)
    if departments and may_write_as(user, "dept_head"):
        waiting = Post.objects.filter(status=PostStatus.SUBMITTED, studio__department_id__in=departments)
        entries.append(
            InboxEntry("待审核的宣传报道", waiting, reverse("news:posts") + "?status=submitted", icon="newspaper")
        )
    return entries
