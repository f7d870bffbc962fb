import pytest

from accounts.models import User
from accounts.permissions import can, get_object_for_user, visible_to
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _nav_labels(client):
    html = client.get("/").content.decode()
    nav = html.split('data-testid="main-nav"', 1)[1].split("</nav>", 1)[0]
    return nav


@pytest.mark.parametrize(
    ("persona", "sees", "does_not_see"),
    [
        ("applicant", ["我的工作台"], ["用户与组织", "审计日志"]),
        ("dept_head", ["我的工作台", "用户与组织"], ["审计日志"]),
        ("teaching_affairs", ["用户与组织"], ["审计日志"]),
        ("inspector", ["用户与组织", "审计日志"], []),
        ("admin_user", ["用户与组织", "审计日志"], []),
    ],
)
def test_navigation_depends_on_roles(request, login, persona, sees, does_not_see):
    client = login(request.getfixturevalue(persona))
    nav = _nav_labels(client)
    for label in sees:
        assert label in nav
    for label in does_not_see:
        assert label not in nav


def test_dept_head_sees_own_department_only(dept_head, applicant, outsider, department):
    colleague = UserFactory(department=department)
    visible = set(visible_to(dept_head, User).values_list("pk", flat=True))
    assert {applicant.pk, colleague.pk, dept_head.pk} <= visible
    assert outsider.pk not in visible


def test_staff_sees_only_themselves(applicant, outsider):
    assert list(visible_to(applicant, User).values_list("pk", flat=True)) == [applicant.pk]


def test_everything_roles_see_all_users(teaching_affairs, inspector, applicant, outsider):
    for user in (teaching_affairs, inspector):
        assert {applicant.pk, outsider.pk} <= set(visible_to(user, User).values_list("pk", flat=True))


def test_inspector_and_leadership_are_read_only(inspector, leadership, applicant):
    for user in (inspector, leadership):
        assert can(user, "view", applicant)
        assert not can(user, "change", applicant)


def test_other_departments_user_is_404_for_dept_head(login, dept_head, outsider, applicant):
    client = login(dept_head)
    assert client.get(f"/accounts/users/{applicant.pk}/").status_code == 200
    assert client.get(f"/accounts/users/{outsider.pk}/").status_code == 404


def test_user_list_is_scoped(login, dept_head, applicant, outsider):
    html = login(dept_head).get("/accounts/users/").content.decode()
    assert applicant.username in html
    assert outsider.username not in html


def test_denied_access_is_audited_and_chinese(login, applicant):
    response = login(applicant).get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.access.denied")
    assert event.actor_id == applicant.pk and "/audit/" in event.note


def test_get_object_for_user_refuses_unknown_action(rf, applicant, outsider):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    request = rf.get("/")
    request.user = applicant
    assert get_object_for_user(request, User, applicant.pk) == applicant
    with pytest.raises(Http404):
        get_object_for_user(request, User, outsider.pk)
    with pytest.raises(Http404):
        get_object_for_user(request, User, "not-a-number")
    with pytest.raises(PermissionDenied):
        get_object_for_user(request, User, applicant.pk, action="change")


@pytest.mark.parametrize("rows", [1, 30])
def test_user_list_query_count_does_not_grow(login, admin_user, department, rows, django_assert_max_num_queries):
    UserFactory.create_batch(rows, department=department)
    client = login(admin_user)
    with django_assert_max_num_queries(10):
        response = client.get("/accounts/users/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/accounts/users/') >= rows


def test_refusal_message_names_the_action_in_chinese(rf, applicant):
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = applicant
    with pytest.raises(PermissionDenied) as excinfo:
        get_object_for_user(request, User, applicant.pk, action="change")
    assert str(excinfo.value) == "您没有权限修改：用户。"


def test_only_the_longest_matching_nav_item_is_active(rf, expert):
    from core.navigation import flat_navigation

    request = rf.get("/applications/reviews/")
    request.user = expert
    items = {i["label"]: i["active"] for i in flat_navigation(request)}
    assert items["专家评审"] is True
    assert items["工作室申报"] is False  # /applications/ is a prefix too, but not the longest
    assert sum(items.values()) == 1
