"""系统管理 through the API (/api/v1/system/): each operation does what its page does — the same rows, the same audit
events, the same refusals (in Chinese, nothing changed) — and the lists cost the same SQL at 1 and many rows."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, Major, RoleAssignment, User
from applications.models import Rubric, RubricCriterion, WorkdayOverride
from core.models import AuditEvent
from people.models import HonorKind, PolicyVersion
from people.policy import ensure_policy_version
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/system"


class Api:
    """A JSON client signed in as `user` (session; CSRF is checked by the token test below)."""

    def __init__(self, client, user):
        client.force_login(user)
        self.client = client

    def _send(self, method, path, body=None):
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        return getattr(self.client, method)(f"{API}{path}", **kwargs)

    def get(self, path):
        return self.client.get(f"{API}{path}")

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._send("patch", path, body)

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture
def api(client):
    return lambda user: Api(client, user)


def _detail(response):
    return response.json()["detail"]


# --- 账户与角色 ------------------------------------------------------------------------------------------------------


def test_hr_creates_an_account_and_reads_its_temporary_password_once(api, hr_officer, department, audit_actions):
    response = api(hr_officer).post(
        "/users", {"username": "T7101", "display_name": "新教师", "department_id": department.pk, "email": "a@b.cn"}
    )
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    user = User.objects.get(username="T7101")
    assert body["user"]["id"] == user.pk and body["user"]["must_change_password"] is True
    assert user.department_id == department.pk and not user.is_external and user.email == "a@b.cn"
    assert authenticate(username="T7101", password=body["temporary_password"]) == user
    assert audit_actions() == ["accounts.user.created", "accounts.user.password_reset"]
    assert body["temporary_password"] not in str(list(AuditEvent.objects.values("before", "after", "note")))


def test_account_creation_refusals_store_nothing(api, hr_officer, applicant, audit_actions):
    client = api(hr_officer)
    response = client.post("/users", {"username": applicant.username, "display_name": "重名"})
    assert response.status_code == 422 and "该工号已存在" in _detail(response)
    response = client.post("/users", {"username": "T7102", "display_name": "名\n字"})
    assert response.status_code == 422 and "控制字符" in _detail(response)
    response = client.post(
        "/users", {"username": "T7103", "display_name": "甲", "is_external": True, "department_id": 1}
    )
    assert response.status_code == 422 and "所属系部" in _detail(response)
    assert not User.objects.filter(username__in=["T7102", "T7103"]).exists()
    assert audit_actions() == []


def test_coop_office_creates_external_accounts_only_and_lists_only_them(
    api, coop_officer, applicant, department, audit_actions
):
    client = api(coop_officer)
    response = client.post("/users", {"username": "W7001", "display_name": "企业导师", "department_id": department.pk})
    assert response.status_code == 201
    created = User.objects.get(username="W7001")
    assert created.is_external and created.department_id is None  # the page's form for 校企办 ignores a 系部
    listed = [row["username"] for row in client.get("/users").json()["items"]]
    assert listed == ["W7001"]
    assert client.get(f"/users/{applicant.pk}").status_code == 404  # an internal account is outside his section
    assert client.post(f"/users/{applicant.pk}/active", {"active": False}).status_code == 404
    applicant.refresh_from_db()
    assert applicant.is_active


def test_hr_disables_resets_grants_and_revokes_through_the_services(api, hr_officer, applicant, audit_actions):
    client = api(hr_officer)
    response = client.post(f"/users/{applicant.pk}/roles", {"role": "finance"})
    assert response.status_code == 201 and response.json()["role_label"] == "财务部"
    assignment = RoleAssignment.objects.get(user=applicant, role=Role.FINANCE)
    assert assignment.granted_by_id == hr_officer.pk
    assert [r["role"] for r in client.get(f"/users/{applicant.pk}").json()["roles"]] == ["finance"]
    assert client.delete(f"/users/{applicant.pk}/roles/{assignment.pk}").status_code == 204
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert client.delete(f"/users/{applicant.pk}/roles/{assignment.pk}").status_code == 404  # already revoked
    response = client.post(f"/users/{applicant.pk}/password")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert authenticate(username=applicant.username, password=response.json()["temporary_password"]) == applicant
    response = client.post(f"/users/{applicant.pk}/active", {"active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    applicant.refresh_from_db()
    assert not applicant.is_active and applicant.must_change_password
    assert audit_actions() == [
        "accounts.role.assigned",
        "accounts.role.revoked",
        "accounts.user.password_reset",
        "accounts.user.disabled",
    ]


def test_dept_head_grant_needs_a_department_and_hr_cannot_grant_admin(api, hr_officer, applicant, audit_actions):
    client = api(hr_officer)
    response = client.post(f"/users/{applicant.pk}/roles", {"role": "dept_head"})
    assert response.status_code == 422 and "必须指定负责的系部" in _detail(response)
    response = client.post(f"/users/{applicant.pk}/roles", {"role": "admin"})
    assert response.status_code == 422 and "角色" in _detail(response)  # not offered to HR: the form refuses it
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == []


def test_hr_cannot_take_over_an_admin_account_through_the_api(api, hr_officer, admin_user, audit_actions):
    client = api(hr_officer)
    before = User.objects.get(pk=admin_user.pk).password
    assert client.post(f"/users/{admin_user.pk}/password").status_code == 403
    assert client.post(f"/users/{admin_user.pk}/active", {"active": False}).status_code == 403
    assert client.post(f"/users/{admin_user.pk}/roles", {"role": "finance"}).status_code == 403
    assert client.post(f"/users/{admin_user.pk}/activation").status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.password == before and admin_user.is_active
    assert audit_actions() == ["accounts.access.denied"] * 4


def test_nobody_disables_himself(api, admin_user, audit_actions):
    assert api(admin_user).post(f"/users/{admin_user.pk}/active", {"active": False}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_read_only_and_other_roles_are_refused_every_section(api, inspector, leadership, applicant, teaching_affairs):
    for user in (inspector, leadership, applicant):
        client = api(user)
        assert client.get("/users").status_code == 403
        assert client.post("/users", {"username": "T7999", "display_name": "不应建立"}).status_code == 403
        assert client.post("/departments", {"name": "不应建立系", "code": "NO"}).status_code == 403
        assert client.post("/experts", {"username": applicant.username}).status_code == 403
    # teaching affairs keeps the expert pool, not the accounts
    assert api(teaching_affairs).post(f"/users/{applicant.pk}/roles", {"role": "expert"}).status_code == 403
    assert not User.objects.filter(username="T7999").exists()
    assert not Department.objects.filter(code="NO").exists()
    assert not RoleAssignment.objects.filter(user=applicant).exists()


def test_user_list_filters_like_the_page(api, admin_user, applicant, outsider, department):
    UserFactory(username="F0001", display_name="财务甲", department=None, roles=[Role.FINANCE])
    client = api(admin_user)
    names = lambda query: [row["username"] for row in client.get(f"/users?{query}").json()["items"]]  # noqa: E731
    assert names(f"department_id={department.pk}") == [applicant.username]
    assert names("role=finance") == ["F0001"]
    assert names("q=无关") == [outsider.username]
    response = client.get("/users?status=nonsense")
    assert response.status_code == 422 and "状态" in _detail(response)


def test_a_bearer_token_writes_without_a_session_and_a_cookie_needs_csrf(hr_officer, department):
    from accounts.services import issue_api_token

    _row, key = issue_api_token(by=hr_officer, name="人事系统对接")
    client = Client(enforce_csrf_checks=True)
    body = json.dumps({"username": "T7201", "display_name": "令牌建立", "department_id": department.pk})
    response = client.post(
        f"{API}/users", body, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201
    client.force_login(hr_officer)
    body = json.dumps({"username": "T7202", "display_name": "无令牌"})
    assert client.post(f"{API}/users", body, content_type="application/json").status_code == 403
    assert list(User.objects.filter(username__startswith="T72").values_list("username", flat=True)) == ["T7201"]


# --- 激活链接 --------------------------------------------------------------------------------------------------------


def test_hr_issues_an_activation_link_that_activates_the_account(api, client, hr_officer, department, audit_actions):
    from accounts.services import create_user

    newcomer = create_user(by=None, username="T7301", display_name="新入职", department=department)
    start = len(audit_actions())
    response = api(hr_officer).post(f"/users/{newcomer.pk}/activation")
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["emailed"] is False and body["days"] > 0
    assert audit_actions()[start:] == ["accounts.activation.issued"]
    client.logout()
    path = body["link"].split("testserver", 1)[1]
    form = {"new_password1": "Activate@2027x", "new_password2": "Activate@2027x"}
    assert "账户已激活" in client.post(path, form).content.decode()
    assert authenticate(username="T7301", password="Activate@2027x") == User.objects.get(pk=newcomer.pk)


def test_activation_is_refused_for_an_account_with_a_password(api, hr_officer, applicant, audit_actions):
    response = api(hr_officer).post(f"/users/{applicant.pk}/activation")
    assert response.status_code == 422 and "已设置过密码" in _detail(response)
    assert audit_actions() == []


# --- 评审专家库 ------------------------------------------------------------------------------------------------------


def test_teaching_affairs_keeps_the_expert_pool(api, teaching_affairs, applicant, audit_actions):
    client = api(teaching_affairs)
    response = client.post("/experts", {"username": applicant.username})
    assert response.status_code == 201 and response.json()["user_id"] == applicant.pk
    assert RoleAssignment.objects.get(user=applicant, role=Role.EXPERT).granted_by_id == teaching_affairs.pk
    assert [row["username"] for row in client.get("/experts").json()["items"]] == [applicant.username]
    response = client.post("/experts", {"username": "NOBODY"})
    assert response.status_code == 422 and "没有该工号的启用账户" in _detail(response)
    assert client.delete(f"/experts/{applicant.pk}").status_code == 204
    response = client.delete(f"/experts/{applicant.pk}")
    assert response.status_code == 404 and "不在评审专家库中" in _detail(response)
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == ["accounts.role.assigned", "accounts.role.revoked"]


# --- 政策参数 --------------------------------------------------------------------------------------------------------


def test_admin_copies_next_year_and_patches_it_not_the_year_in_force(api, admin_user, audit_actions):
    this_year = timezone.localdate().year
    current = ensure_policy_version(this_year)
    client = api(admin_user)
    response = client.post("/policy-versions/next")
    assert response.status_code == 201 and response.json()["year"] == this_year + 1
    new = PolicyVersion.objects.get(year=this_year + 1)
    assert new.honor_rules.count() == current.honor_rules.count() > 0
    response = client.patch(f"/policy-versions/{new.pk}", {"master_max_age": 50})
    assert response.status_code == 200 and response.json()["master_max_age"] == 50
    event = AuditEvent.objects.filter(action="people.policyversion.changed").get()
    assert event.before == {"master_max_age": 45} and event.after == {"master_max_age": 50}
    response = client.patch(f"/policy-versions/{new.pk}", {"grade_good_min": "95"})
    assert response.status_code == 422 and "优秀 ≥ 良好 ≥ 合格" in _detail(response)
    assert client.patch(f"/policy-versions/{current.pk}", {"master_max_age": 60}).status_code == 403
    new.refresh_from_db()
    current.refresh_from_db()
    assert new.grade_good_min == Decimal("80") and current.master_max_age == 45
    assert client.post("/policy-versions/next").status_code == 201  # the year after: never one already there
    years = [row["year"] for row in client.get("/policy-versions").json()["items"]]
    assert years[:3] == [this_year + 2, this_year + 1, this_year]


# --- 评分标准 --------------------------------------------------------------------------------------------------------


def test_teaching_affairs_keeps_rubrics_and_criteria(api, teaching_affairs, audit_actions):
    client = api(teaching_affairs)
    response = client.post("/rubrics", {"name": "2028评分标准"})
    assert response.status_code == 201 and response.json()["in_use"] is False
    rubric = Rubric.objects.get(name="2028评分标准")
    assert client.patch(f"/rubrics/{rubric.pk}", {"description": "说明"}).json()["description"] == "说明"
    criterion = {"code": "plan", "label": "建设方案", "weight": "20", "max_score": 10, "order": 1}
    response = client.post(f"/rubrics/{rubric.pk}/criteria", criterion)
    assert response.status_code == 201
    item = RubricCriterion.objects.get(rubric=rubric, code="plan")
    response = client.patch(f"/rubrics/{rubric.pk}/criteria/{item.pk}", {"weight": "0"})
    assert response.status_code == 422 and "权重必须大于 0" in _detail(response)
    response = client.patch(f"/rubrics/{rubric.pk}/criteria/{item.pk}", {"min_score": 10})
    assert response.status_code == 422  # the maximum must exceed the minimum
    assert client.patch(f"/rubrics/{rubric.pk}/criteria/{item.pk}", {"label": "方案"}).json()["label"] == "方案"
    item.refresh_from_db()
    assert (item.weight, item.min_score, item.label) == (Decimal("20"), 0, "方案")
    listed = client.get("/rubrics").json()["items"]
    assert [(r["name"], [c["code"] for c in r["criteria"]]) for r in listed] == [("2028评分标准", ["plan"])]
    assert client.delete(f"/rubrics/{rubric.pk}/criteria/{item.pk}").status_code == 204
    assert not RubricCriterion.objects.filter(pk=item.pk).exists()
    assert audit_actions() == [
        "applications.rubric.created",
        "applications.rubric.changed",
        "applications.rubric_criterion.created",
        "applications.rubric_criterion.changed",
        "applications.rubric_criterion.deleted",
    ]


def test_a_rubric_of_an_opened_call_cannot_change_through_the_api(api, teaching_affairs, audit_actions):
    from applications import services

    rubric = Rubric.objects.create(name="已用标准")
    item = RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=Decimal("30"))
    now = timezone.now()
    call = services.create_call(
        by=teaching_affairs,
        year=now.year,
        title="已开放批次",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9),
        rubric=rubric,
    )
    services.open_call(call, by=teaching_affairs)
    start = len(audit_actions())
    client = api(teaching_affairs)
    assert client.patch(f"/rubrics/{rubric.pk}", {"name": "改名"}).status_code == 403
    assert client.patch(f"/rubrics/{rubric.pk}/criteria/{item.pk}", {"weight": "90"}).status_code == 403
    assert client.delete(f"/rubrics/{rubric.pk}/criteria/{item.pk}").status_code == 403
    assert client.post(f"/rubrics/{rubric.pk}/criteria", {"code": "x", "label": "新"}).status_code == 403
    assert client.get("/rubrics").json()["items"][0]["in_use"] is True
    item.refresh_from_db()
    rubric.refresh_from_db()
    assert item.weight == Decimal("30") and rubric.name == "已用标准" and rubric.criteria.count() == 1
    assert audit_actions()[start:] == ["accounts.access.denied"] * 4


# --- 节假日校正 ------------------------------------------------------------------------------------------------------


def test_teaching_affairs_corrects_the_holiday_calendar(api, teaching_affairs, audit_actions):
    from applications.calendar import is_workday

    day = dt.date(2026, 10, 12)  # a Monday
    client = api(teaching_affairs)
    response = client.post("/holidays", {"date": "2026-10-12", "is_workday": False, "reason": "校运动会"})
    assert response.status_code == 201 and is_workday(day) == (False, "override")
    override = WorkdayOverride.objects.get(date=day)
    response = client.post("/holidays", {"date": "2026-10-12", "is_workday": True, "reason": "重复"})
    assert response.status_code == 422 and "已存在" in _detail(response)
    response = client.post("/holidays", {"date": "1999-10-12", "is_workday": True, "reason": "太早"})
    assert response.status_code == 422 and "2000—2100" in _detail(response)
    response = client.patch(f"/holidays/{override.pk}", {"is_workday": True})
    assert response.status_code == 200 and response.json() == {
        "id": override.pk,
        "date": "2026-10-12",
        "is_workday": True,
        "reason": "校运动会",
    }
    assert [row["date"] for row in client.get("/holidays?year=2026").json()["items"]] == ["2026-10-12"]
    assert client.get("/holidays?year=1900").status_code == 422
    assert client.delete(f"/holidays/{override.pk}").status_code == 204
    assert is_workday(day)[0] and WorkdayOverride.objects.count() == 0
    assert audit_actions() == [
        "applications.workday_override.created",
        "applications.workday_override.changed",
        "applications.workday_override.deleted",
    ]


# --- 数据字典 --------------------------------------------------------------------------------------------------------


def test_admin_keeps_the_dictionaries(api, admin_user, department, audit_actions):
    client = api(admin_user)
    response = client.post("/departments", {"name": "智能制造系", "code": "ZZ"})
    assert response.status_code == 201
    new = Department.objects.get(code="ZZ")
    assert client.patch(f"/departments/{new.pk}", {"is_active": False}).json()["is_active"] is False
    response = client.post("/departments", {"name": department.name, "code": "DUP"})
    assert response.status_code == 422 and not Department.objects.filter(code="DUP").exists()
    response = client.post("/majors", {"department_id": department.pk, "name": "数控技术", "code": "SK01"})
    assert response.status_code == 201
    major = Major.objects.get(code="SK01")
    assert client.patch(f"/majors/{major.pk}", {"name": "数控技术应用"}).json()["name"] == "数控技术应用"
    response = client.post("/majors", {"department_id": 10**12, "name": "无", "code": "NO01"})
    assert response.status_code == 422 and "系部" in _detail(response)
    response = client.post("/honor-kinds", {"code": "qa_api", "name": "接口类别", "order": 5})
    assert response.status_code == 201
    kind = HonorKind.objects.get(code="qa_api")
    response = client.patch(f"/honor-kinds/{kind.pk}", {"code": "changed", "name": "接口类别改"})
    assert response.status_code == 200 and response.json()["code"] == "qa_api"  # the code is not a PATCH field
    response = client.patch(f"/honor-kinds/{kind.pk}", {"name": "坏\x07名"})
    assert response.status_code == 422 and "控制字符" in _detail(response)
    kind.refresh_from_db()
    assert (kind.code, kind.name) == ("qa_api", "接口类别改")
    codes = [row["code"] for row in client.get("/departments").json()["items"]]
    assert "ZZ" in codes and department.code in codes
    assert "SK01" in [row["code"] for row in client.get("/majors").json()["items"]]
    assert "qa_api" in [row["code"] for row in client.get("/honor-kinds?limit=100").json()["items"]]
    assert audit_actions() == [
        "accounts.department.created",
        "accounts.department.changed",
        "accounts.major.created",
        "accounts.major.changed",
        "people.honorkind.created",
        "people.honorkind.changed",
    ]


def test_huge_path_ids_are_not_found(api, admin_user):
    client = api(admin_user)
    for path in ("/users/99999999999999999999", "/majors/99999999999999999999"):
        assert client.patch(path, {"name": "x"}).status_code in (404, 405)
    assert client.get("/users/99999999999999999999").status_code == 404


# --- Lists: the same SQL at 1 and many rows --------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.content
    return len(captured)


def test_api_lists_do_not_grow_with_rows(api, admin_user, department):
    client = api(admin_user).client
    year = timezone.localdate().year
    UserFactory(username="N0000", department=department, roles=[Role.EXPERT, Role.FINANCE])
    rubric = Rubric.objects.create(name="标准0")
    RubricCriterion.objects.create(rubric=rubric, code="c0", label="项", weight=1)
    WorkdayOverride.objects.create(date=dt.date(year, 1, 2), is_workday=False, reason="一")
    paths = ["/users", "/experts", "/rubrics", "/holidays", "/majors", "/policy-versions"]
    one = {path: _queries(client, path) for path in paths}
    for n in range(1, 20):
        UserFactory(username=f"N{n:04d}", department=department, roles=[Role.EXPERT, Role.FINANCE])
        other = Rubric.objects.create(name=f"标准{n}")
        for c in range(3):
            RubricCriterion.objects.create(rubric=other, code=f"c{c}", label="项", weight=1)
        WorkdayOverride.objects.create(date=dt.date(year, 2, n), is_workday=False, reason="多")
        Major.objects.create(department=department, name=f"专业{n}", code=f"M{n:03d}")
    assert {path: _queries(client, path) for path in paths} == one


# --- Hostile input as the section's owner (tests/hostile/test_api_limits.py sends it as a plain teacher) ------------


def test_hostile_bodies_from_the_owner_are_refused_and_write_nothing(api, admin_user, department):
    from django.db import transaction

    from config.api import api as ninja_api
    from tests.hostile.test_api_limits import HUGE, _json_body, _operations, _sample, _url, _variants

    openapi = ninja_api.get_openapi_schema()
    client = api(admin_user).client
    before = AuditEvent.objects.exclude(action__startswith="accounts.login.").count()
    tried, failures = 0, []
    for path, method, operation in _operations(openapi):
        if not path.startswith(API):
            continue
        body = _json_body(openapi, operation)
        requests = [(label, _url(path, department.pk), payload) for label, payload in _variants(openapi, body or {})]
        if "{" in path:
            requests.append(("huge path id", _url(path, HUGE), _sample(openapi, body) if body else None))
        for label, url, payload in requests:
            savepoint = transaction.savepoint_create()
            call = getattr(client, method)
            response = call(url) if payload is None else call(url, payload, content_type="application/json")
            transaction.savepoint_rollback(savepoint)
            tried += 1
            expected = (404, 405, 422) if label == "huge path id" else (422,)  # 422: the sample body is not valid
            if response.status_code not in expected:
                failures.append(f"{method.upper()} {path} [{label}]: {response.status_code}")
    assert tried > 40
    assert not failures, "\n".join(failures)
    assert AuditEvent.objects.exclude(action__startswith="accounts.login.").count() == before
