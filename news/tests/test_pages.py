"""News pages: the reader's list (audience only, unread badge), the receipt on opening, the publisher's counts and
unread list/export, the post flow through the pages, bad input refused in Chinese."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from ledger.tests.helpers import jpeg_with_gps, make_studio
from news import services
from news.inbox import unread_notices
from news.models import Notice, NoticeRead, Post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(department, other_department, teaching_affairs):
    ta = teaching_affairs
    everyone = services.create_notice(by=ta, title="全体通知甲", body="正文")
    mine = services.create_notice(by=ta, title="机械系通知", body="正文", audience="department", department=department)
    theirs = services.create_notice(
        by=ta, title="电气系通知", body="正文", audience="department", department=other_department
    )
    draft = services.create_notice(by=ta, title="草稿通知", body="正文")
    for n in (everyone, mine, theirs):
        services.publish_notice(n, by=ta)
    return {"all": everyone, "mine": mine, "theirs": theirs, "draft": draft}


def test_reader_sees_only_audience_notices_and_unread_count(login, applicant, notices):
    page = login(applicant).get(reverse("news:notices"))
    html = page.content.decode()
    assert "全体通知甲" in html and "机械系通知" in html
    assert "电气系通知" not in html and "草稿通知" not in html
    assert unread_notices(applicant).count() == 2
    assert login(applicant).get(reverse("news:notice", args=[notices["theirs"].pk])).status_code == 404
    assert login(applicant).get(reverse("news:notice", args=[notices["draft"].pk])).status_code == 404


def test_opening_writes_receipt_and_publisher_sees_counts_and_unread_export(
    client, applicant, department, teaching_affairs, notices
):
    other = UserFactory(department=department, display_name="未读者乙")
    client.force_login(applicant)
    client.get(reverse("news:notice", args=[notices["mine"].pk]))
    assert NoticeRead.objects.filter(notice=notices["mine"], user=applicant).count() == 1
    assert unread_notices(applicant).count() == 1
    client.force_login(teaching_affairs)
    page = client.get(reverse("news:notice", args=[notices["mine"].pk])).content.decode()
    assert 'data-testid="read-count">1<' in page
    unread = client.get(reverse("news:notice_unread") + f"?notice={notices['mine'].pk}").content.decode()
    assert "未读者乙" in unread and applicant.display_name not in unread
    export = client.get(reverse("news:notice_unread_export") + f"?notice={notices['mine'].pk}")
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert other.display_name in names and applicant.display_name not in names
    # the unread list is not for the readers
    client.force_login(applicant)
    assert client.get(reverse("news:notice_unread") + f"?notice={notices['mine'].pk}").status_code == 403


def test_publisher_page_flow_and_bad_input(login, teaching_affairs, applicant):
    c = login(teaching_affairs)
    bad = c.post(reverse("news:notice_new"), {"title": "x", "body": "y", "audience": "department"})
    assert "请选择接收通知的系部" in bad.content.decode() and not Notice.objects.exists()
    c.post(reverse("news:notice_new"), {"title": "新通知", "body": "内容", "audience": "all"})
    notice = Notice.objects.get()
    c.post(reverse("news:notice_publish", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == "published"
    c.post(reverse("news:notice_withdraw", args=[notice.pk]), {"reason": ""})
    notice.refresh_from_db()
    assert notice.status == "published"
    c.post(reverse("news:notice_withdraw", args=[notice.pk]), {"reason": "重复发布"})
    notice.refresh_from_db()
    assert notice.status == "withdrawn"
    assert (
        login(applicant).post(reverse("news:notice_new"), {"title": "x", "body": "y", "audience": "all"}).status_code
        == 403
    )


def test_post_flow_through_pages(client, department, dept_head):
    studio, master, team = make_studio(department)
    client.force_login(team[0])
    client.post(reverse("news:post_new"), {"title": "工作室新闻", "body": "内容"})
    post = Post.objects.get()
    client.post(reverse("news:post_photo_upload", args=[post.pk]), {"file": jpeg_with_gps(), "caption": "现场"})
    assert post.photos.count() == 1
    client.post(reverse("news:post_submit", args=[post.pk]))
    client.force_login(dept_head)
    client.post(reverse("news:post_decide", args=[post.pk]), {"target": "published", "note": ""})
    post.refresh_from_db()
    assert post.status == "published"
    anon = client.__class__()
    page = anon.get(reverse("showcase:studio", args=[studio.pk])).content.decode()
    assert "工作室新闻" in page


def test_read_only_roles_read_but_do_not_write(login, inspector, notices):
    c = login(inspector)
    assert c.get(reverse("news:notice", args=[notices["theirs"].pk])).status_code == 200
    assert c.post(reverse("news:notice_withdraw", args=[notices["all"].pk]), {"reason": "x"}).status_code == 403
    assert Notice.objects.get(pk=notices["all"].pk).status == "published"


def test_role_notice_visible_to_role_only(login, teaching_affairs, applicant, finance):
    n = services.create_notice(by=teaching_affairs, title="财务专属", body="x", audience="role", role=Role.FINANCE)
    services.publish_notice(n, by=teaching_affairs)
    assert "财务专属" in login(finance).get(reverse("news:notices")).content.decode()
    assert "财务专属" not in login(applicant).get(reverse("news:notices")).content.decode()
