"""个人中心 (issue 9 item 11) and the side menu (item 1): profile, contact details, notification history with per-item
read and an unread badge, API tokens only for those who need them; grouped navigation with the right item lit."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import Role
from core.models import AuditEvent, Notification
from core.navigation import flat_navigation, navigation_for

pytestmark = pytest.mark.django_db


def _badge(html):
    marker = 'data-testid="unread-badge">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else None


# --- notifications ----------------------------------------------------------------------------------------------------


def test_header_badge_counts_unread_and_history_keeps_read_ones(login, applicant, outsider):
    for n in range(3):
        Notification.objects.create(recipient=applicant, title=f"未读{n}")
    Notification.objects.create(recipient=outsider, title="别人的")
    read = Notification.objects.create(recipient=applicant, title="早已读过")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T08:00:00+08:00")
    client = login(applicant)
    html = client.get("/").content.decode()
    assert _badge(html) == "3"
    history = client.get("/notifications/").content.decode()
    assert "早已读过" in history and "未读2" in history and "别人的" not in history
    unread_only = client.get("/notifications/?show=unread").content.decode()
    assert "早已读过" not in unread_only and "未读0" in unread_only


def test_badge_and_history_cost_constant_queries(login, applicant, django_assert_max_num_queries):
    client = login(applicant)
    client.get("/notifications/")  # warm the session
    Notification.objects.bulk_create(Notification(recipient=applicant, title=f"n{i}") for i in range(3))
    with django_assert_max_num_queries(8) as small:
        client.get("/notifications/")
    Notification.objects.bulk_create(Notification(recipient=applicant, title=f"m{i}") for i in range(60))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        html = client.get("/notifications/").content.decode()
    assert _badge(html) == "63"
    # The badge's count rides on the user's own SELECT (accounts.backends) or is one COUNT, never one per row.
    assert sum("notification" in q["sql"].lower() for q in large.captured_queries) <= 3


def test_one_notification_is_marked_read_and_opens_its_page(login, applicant):
    first = Notification.objects.create(recipient=applicant, title="甲", url="/applications/")
    second = Notification.objects.create(recipient=applicant, title="乙")
    client = login(applicant)
    response = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/applications/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    response = client.post(f"/notifications/{second.pk}/read/", {"back": "list"})
    assert response["Location"] == reverse("workspace:notification_list")
    second.refresh_from_db()
    assert second.read_at is not None


def test_someone_elses_notification_is_not_found_and_unchanged(login, applicant, outsider):
    theirs = Notification.objects.create(recipient=outsider, title="乙的通知")
    assert login(applicant).post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_offsite_notification_link_is_not_followed(login, applicant):
    note = Notification.objects.create(recipient=applicant, title="外链", url="https://evil.example/")
    response = login(applicant).post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == reverse("workspace:home")


def test_read_only_roles_mark_their_own_notifications_read(login, inspector):
    note = Notification.objects.create(recipient=inspector, title="纪检通知")
    login(inspector).post(f"/notifications/{note.pk}/read/")
    note.refresh_from_db()
    assert note.read_at is not None


# --- profile, contact, tokens ---------------------------------------------------------------------------------------


def test_profile_shows_who_i_am_and_saves_contact_audited(login, applicant):
    client = login(applicant)
    html = client.get("/accounts/me/").content.decode()
    assert "个人中心" in html and applicant.username in html and "修改密码" in html
    response = client.post("/accounts/me/", {"email": "new@school.example", "phone": "023-12345678"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.email, applicant.phone) == ("new@school.example", "023-12345678")
    event = AuditEvent.objects.get(action="accounts.profile.contact_changed", object_id=str(applicant.pk))
    assert event.after == {"email": "new@school.example", "phone": "023-12345678"}


def test_bad_contact_is_refused_in_chinese_and_changes_nothing(login, applicant):
    before = (applicant.email, applicant.phone)
    response = login(applicant).post("/accounts/me/", {"email": "不是邮箱", "phone": "12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入有效的手机号或座机号" in html
    applicant.refresh_from_db()
    assert (applicant.email, applicant.phone) == before
    assert not AuditEvent.objects.filter(action="accounts.profile.contact_changed").exists()


def test_api_tokens_only_for_those_who_need_them(login, applicant, teaching_affairs, settings):
    client = login(applicant)
    assert 'href="/accounts/tokens/"' not in client.get("/accounts/me/").content.decode()
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.post("/accounts/tokens/", {"name": "脚本"}).status_code == 403
    from accounts.models import ApiToken

    assert not ApiToken.objects.filter(user=applicant).exists()
    officer = login(teaching_affairs)
    assert 'href="/accounts/tokens/"' in officer.get("/accounts/me/").content.decode()
    assert officer.get("/accounts/tokens/").status_code == 200
    settings.API_TOKENS_FOR_EVERYONE = True
    assert login(applicant).get("/accounts/tokens/").status_code == 200


# --- the side menu --------------------------------------------------------------------------------------------------


def _active(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return [item["label"] for item in flat_navigation(request) if item["active"]]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/applications/objections/1/", "公示"),
        ("/applications/5/approve/", "公示"),
        ("/applications/publicity/3/", "公示"),
        ("/applications/5/", "工作室申报"),
        ("/applications/calls/", "申报批次"),
        ("/applications/calls/4/summary/", "申报批次"),
        ("/applications/committee/2/", "学术委员会"),
        ("/audit/", "审计日志"),
        ("/", "我的工作台"),
    ],
)
def test_the_page_lights_exactly_its_own_item(teaching_affairs, path, label):
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=teaching_affairs, role=Role.INSPECTOR)
    assert _active(teaching_affairs, path) == [label]


def test_menu_is_grouped_by_the_studios_life_and_by_role(applicant, teaching_affairs):
    request = RequestFactory().get("/")
    request.user = applicant
    groups = {g["label"]: [i["label"] for i in g["items"]] for g in navigation_for(request)}
    assert groups[""] == ["我的工作台", "通知公告"]  # what everyone uses, above the groups
    assert "工作室申报" in groups["申报评审"] and "申报批次" not in groups["申报评审"]
    assert "监督" not in groups and "系统管理" not in groups
    request.user = teaching_affairs
    labels = [g["label"] for g in navigation_for(request)]
    assert labels.index("申报评审") < labels.index("工作室建设") < labels.index("系统管理")


def test_menu_renders_groups_and_marks_the_current_page(login, teaching_affairs):
    html = login(teaching_affairs).get("/applications/calls/").content.decode()
    nav = html.split('data-testid="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'class="nav-group-label"' in nav and "申报评审" in nav
    assert nav.count('aria-current="page"') == 1
    current = nav.split('aria-current="page"', 1)[1].split("</a>", 1)[0]
    assert "申报批次" in current
    assert 'data-bs-toggle="offcanvas"' in html  # the drawer on phones
