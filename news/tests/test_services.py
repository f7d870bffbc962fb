"""Notices reach exactly their audience; receipts; system notices; posts' review machine; the indicator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.enums import Role
from core.models import AuditEvent, Notification
from core.workflow import WorkflowError
from ledger.tests.helpers import jpeg_with_gps, make_studio
from news import services
from news.enums import NoticeStatus, PostStatus
from news.models import Notice, NoticeRead
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _titles(user):
    return set(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.fixture
def people(department, other_department, teaching_affairs, dept_head):
    a = UserFactory(department=department, display_name="甲")
    b = UserFactory(department=other_department, display_name="乙")
    ext = UserFactory(department=department, display_name="外聘", is_external=True)
    gone = UserFactory(department=department, display_name="离职", is_active=False)
    fin = UserFactory(department=other_department, display_name="财务", roles=[Role.FINANCE])
    return {"a": a, "b": b, "ext": ext, "gone": gone, "fin": fin, "head": dept_head, "ta": teaching_affairs}


def test_notices_reach_exactly_their_audience(people, department):
    ta = people["ta"]
    everyone = services.create_notice(by=ta, title="全体通知", body="正文")
    dept = services.create_notice(by=ta, title="系部通知", body="正文", audience="department", department=department)
    role = services.create_notice(by=ta, title="财务通知", body="正文", audience="role", role=Role.FINANCE)
    for notice in (everyone, dept, role):
        services.publish_notice(notice, by=ta)
    title = "通知公告：{}".format
    assert title("全体通知") in _titles(people["a"]) and title("全体通知") in _titles(people["b"])
    assert title("全体通知") not in _titles(people["ext"]) and not _titles(people["gone"])
    dept_got = set(
        Notification.objects.filter(title=title("系部通知")).values_list("recipient__display_name", flat=True)
    )
    assert dept_got == {"甲", "外聘", "系主任甲"}
    role_got = set(Notification.objects.filter(title=title("财务通知")).values_list("recipient_id", flat=True))
    assert role_got == {people["fin"].pk}


def test_system_notice_posts_once_per_source(people):
    n1 = services.post_system_notice(title="考核结果", body="结果如下", audience="dept_head", source="evaluation:1")
    n2 = services.post_system_notice(title="考核结果", body="结果如下", audience="dept_head", source="evaluation:1")
    assert n1.pk == n2.pk and n1.status == NoticeStatus.PUBLISHED
    assert Notification.objects.filter(title="通知公告：考核结果").count() == 1
    assert AuditEvent.objects.filter(action="news.notice.posted").count() == 1


def test_only_publishers_create_and_withdraw_needs_reason(people):
    with pytest.raises(PermissionDenied):
        services.create_notice(by=people["a"], title="x", body="y")
    notice = services.create_notice(by=people["ta"], title="x", body="y")
    with pytest.raises(WorkflowError):
        services.publish_notice(notice, by=people["head"])
    services.publish_notice(notice, by=people["ta"])
    with pytest.raises(WorkflowError):
        services.withdraw_notice(notice, by=people["ta"], reason="")
    services.withdraw_notice(notice, by=people["ta"], reason="内容有误")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdraw_reason == "内容有误"


def test_read_receipt_once_and_only_for_audience(people, department):
    ta = people["ta"]
    notice = services.create_notice(by=ta, title="x", body="y", audience="department", department=department)
    assert services.mark_read(notice, user=people["a"]) is False  # draft
    services.publish_notice(notice, by=ta)
    notice.refresh_from_db()
    assert services.mark_read(notice, user=people["a"]) is True
    assert services.mark_read(notice, user=people["a"]) is False
    assert services.mark_read(notice, user=people["b"]) is False  # not in the audience
    assert list(NoticeRead.objects.values_list("user_id", flat=True)) == [people["a"].pk]


def test_bad_audience_is_refused_in_chinese(people):
    with pytest.raises(ValidationError) as err:
        services.create_notice(by=people["ta"], title="x", body="y", audience="department", department=None)
    assert "系部" in str(err.value)
    with pytest.raises(ValidationError):
        services.create_notice(by=people["ta"], title="x", body="y", audience="role", role="nope")
    assert not Notice.objects.exists()


def test_post_review_machine(department, dept_head, other_dept_head):
    studio, master, team = make_studio(department)
    post = services.create_post(studio, by=team[0], title="我们的活动", body="内容")
    photo = services.add_post_photo(post, by=master, upload=jpeg_with_gps())
    from PIL import Image

    with photo.image.open("rb") as f:
        assert not Image.open(f).getexif()
    services.submit_post(post, by=team[0])
    with pytest.raises(WorkflowError):
        services.publish_post(post, by=other_dept_head)
    with pytest.raises(WorkflowError):
        services.return_post(post, by=dept_head, reason="")
    services.return_post(post, by=dept_head, reason="请补充照片说明")
    post.refresh_from_db()
    assert post.status == PostStatus.RETURNED and post.return_reason == "请补充照片说明"
    services.update_post(post, by=master, title="我们的活动（修改）", body="内容")
    services.submit_post(post, by=master)
    services.publish_post(post, by=dept_head)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at and post.reviewed_by_id == dept_head.pk
    with pytest.raises(ValidationError):
        services.update_post(post, by=master, title="改", body="改")


def test_outsider_cannot_write_posts(department, outsider):
    studio, _master, _team = make_studio(department)
    with pytest.raises(PermissionDenied):
        services.create_post(studio, by=outsider, title="x", body="y")
