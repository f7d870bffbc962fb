"""A 公示 posts itself as a 通知公告 when its window opens (applications.hooks.on_publicity_started): the notice lists
the applications, is posted once, and notifies nobody a second time (applications already told every staff member)."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import Application, Call, Publicity, Rubric
from applications.services import announce_publicity
from core.models import Notification
from news.models import Notice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_publicity_start_posts_one_notice_with_the_list(
    department, teaching_affairs, django_capture_on_commit_callbacks
):
    now = timezone.now()
    rubric = Rubric.objects.get_or_create(name="公示通知评分标准")[0]
    call = Call.objects.create(
        year=now.year, title="公示通知批次", opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1),
        policy_year=now.year, rubric=rubric, status="closed", created_by=teaching_affairs,
    )  # fmt: skip
    publicity = Publicity.objects.create(
        call=call, title="2026年技能大师工作室认定建议名单公示", starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(days=5), days=5, working_days=True, published_by=teaching_affairs,
    )  # fmt: skip
    for name in ("数控车工技能大师工作室", "电工技能大师工作室"):
        applicant = UserFactory(department=department)
        Application.objects.create(
            call=call, applicant=applicant, department=department, studio_name=name, status="in_publicity",
            publicity=publicity,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        count = announce_publicity(publicity.pk)
    notice = Notice.objects.get(source=f"applications.publicity:{publicity.pk}")
    assert notice.status == "published" and notice.title == publicity.title
    assert "数控车工技能大师工作室" in notice.body and "电工技能大师工作室" in notice.body
    assert Notification.objects.count() == count  # the 公示开始 announcement only, no second reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_publicity(publicity.pk) == 0
    assert Notice.objects.count() == 1
