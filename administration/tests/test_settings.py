"""Expert pool, policy versions, rubrics, holiday overrides, dictionaries: owners only, audited, refusals store nothing,
lists in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, Major, RoleAssignment
from applications.models import Call, Rubric, RubricCriterion, WorkdayOverride
from core.models import AuditEvent
from people.models import HonorKind, PolicyVersion
from people.policy import ensure_policy_version
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- 评审专家库 -------------------------------------------------------------------------------------------------------


def test_teaching_affairs_adds_and_removes_an_expert(login, teaching_affairs, applicant, audit_actions):
    client = login(teaching_affairs)
    response = client.post("/system/experts/", {"username": applicant.username})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=applicant, role=Role.EXPERT)
    assert assignment.granted_by_id == teaching_affairs.pk
    page = client.get("/system/experts/").content.decode()
    assert applicant.display_name in page
    client.post(f"/system/experts/{applicant.pk}/remove/")
    assert not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == ["accounts.role.assigned", "accounts.role.revoked"]


def test_expert_pool_refuses_unknown_people_and_other_roles(login, teaching_affairs, applicant, audit_actions):
    client = login(teaching_affairs)
    response = client.post("/system/experts/", {"username": "NOBODY"})
    assert "没有该工号的启用账户" in response.content.decode()
    # teaching affairs may grant 评审专家 only, not through the user pages either
    assert client.post(f"/system/users/{applicant.pk}/roles/", {"role": "finance"}).status_code == 403
    assert not RoleAssignment.objects.exists() or not RoleAssignment.objects.filter(user=applicant).exists()
    assert audit_actions() == ["accounts.access.denied"]


def test_expert_list_query_count_does_not_grow(login, teaching_affairs, department, queries_for):
    client = login(teaching_affairs)
    UserFactory(username="E0000", department=department, roles=[Role.EXPERT])
    one = queries_for(client, "/system/experts/")
    for n in range(1, 25):
        UserFactory(username=f"E{n:04d}", department=department, roles=[Role.EXPERT])
    UserFactory(username="X0001", department=None, is_external=True, roles=[Role.EXPERT])
    assert queries_for(client, "/system/experts/") == one <= 12


# --- 政策参数 --------------------------------------------------------------------------------------------------------


def test_admin_creates_next_years_version_and_edits_it_before_it_takes_effect(login, admin_user):
    this_year = timezone.localdate().year
    current = ensure_policy_version(this_year)
    client = login(admin_user)
    response = client.post("/system/policy/next/")
    new = PolicyVersion.objects.get(year=this_year + 1)
    assert response["Location"] == f"/system/policy/{new.pk}/"
    assert new.honor_rules.count() == current.honor_rules.count() > 0
    form = {
        name: getattr(new, name)
        for name in (
            "school_name",
            "master_max_age",
            "enterprise_work_years",
            "practice_months",
            "min_core_teachers",
            "publicity_days",
            "annual_report_due_month",
            "annual_report_due_day",
            "grade_excellent_min",
            "grade_good_min",
            "grade_pass_min",
            "note",
        )
    }
    form.update(master_max_age=50, publicity_working_days="on")
    assert client.post(f"/system/policy/{new.pk}/", form).status_code == 302
    new.refresh_from_db()
    assert new.master_max_age == 50
    event = AuditEvent.objects.filter(action="people.policyversion.changed").get()
    assert event.before == {"master_max_age": 45} and event.after == {"master_max_age": 50}
    # thresholds out of order: refused, nothing changed
    bad = {**form, "grade_good_min": "95"}
    response = client.post(f"/system/policy/{new.pk}/", bad)
    assert response.status_code == 200 and "优秀 ≥ 良好 ≥ 合格" in response.content.decode()
    new.refresh_from_db()
    assert new.grade_good_min == Decimal("80")


def test_a_version_in_force_is_read_only(login, admin_user):
    current = ensure_policy_version(timezone.localdate().year)
    client = login(admin_user)
    assert client.get(f"/system/policy/{current.pk}/").context["readonly"]
    response = client.post(f"/system/policy/{current.pk}/", {"master_max_age": 60})
    assert response.status_code == 403
    current.refresh_from_db()
    assert current.master_max_age == 45


def test_policy_pages_are_for_admin_only(login, hr_officer, teaching_affairs):
    for user in (hr_officer, teaching_affairs):
        assert login(user).get("/system/policy/").status_code == 403
        assert login(user).post("/system/policy/next/").status_code == 403


def test_policy_list_query_count_does_not_grow(login, admin_user, queries_for):
    client = login(admin_user)
    one = queries_for(client, "/system/policy/")
    for year in range(2027, 2035):
        PolicyVersion.objects.create(year=year)
    assert queries_for(client, "/system/policy/") == one <= 12


# --- 评分标准 --------------------------------------------------------------------------------------------------------


def _rubric_with_criterion():
    rubric = Rubric.objects.create(name="2027评分标准")
    RubricCriterion.objects.create(rubric=rubric, code="master", label="大师水平", weight=Decimal("30"), max_score=10)
    return rubric


def test_teaching_affairs_edits_a_rubric_not_yet_used(login, teaching_affairs, audit_actions):
    rubric = _rubric_with_criterion()
    client = login(teaching_affairs)
    response = client.post(
        f"/system/rubrics/{rubric.pk}/criteria/new/",
        {"code": "plan", "label": "建设方案", "weight": "20", "min_score": 0, "max_score": 10, "order": 2},
    )
    assert response.status_code == 302
    criterion = RubricCriterion.objects.get(rubric=rubric, code="plan")
    response = client.post(
        f"/system/rubrics/{rubric.pk}/criteria/{criterion.pk}/",
        {"code": "plan", "label": "建设方案", "weight": "0", "min_score": 0, "max_score": 10, "order": 2},
    )
    assert "权重必须大于 0" in response.content.decode()
    response = client.post(
        f"/system/rubrics/{rubric.pk}/criteria/{criterion.pk}/",
        {"code": "plan", "label": "建设方案", "weight": "5", "min_score": 5, "max_score": 5, "order": 2},
    )
    assert response.status_code == 200  # max must exceed min
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("20")
    client.post(f"/system/rubrics/{rubric.pk}/criteria/{criterion.pk}/delete/")
    assert not RubricCriterion.objects.filter(pk=criterion.pk).exists()
    assert audit_actions() == ["applications.rubric_criterion.created", "applications.rubric_criterion.deleted"]


def test_a_rubric_of_an_opened_call_cannot_change(login, teaching_affairs, audit_actions):
    from applications import services

    rubric = _rubric_with_criterion()
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
    start = audit_actions()
    client = login(teaching_affairs)
    criterion = rubric.criteria.get()
    data = {"code": "master", "label": "改", "weight": "90", "min_score": 0, "max_score": 10, "order": 1}
    assert client.post(f"/system/rubrics/{rubric.pk}/criteria/{criterion.pk}/", data).status_code == 403
    assert client.post(f"/system/rubrics/{rubric.pk}/criteria/{criterion.pk}/delete/").status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("30") and Call.objects.get(pk=call.pk).rubric_id == rubric.pk
    assert audit_actions()[len(start) :] == ["accounts.access.denied", "accounts.access.denied"]


def test_rubric_list_query_count_does_not_grow(login, teaching_affairs, queries_for):
    client = login(teaching_affairs)
    _rubric_with_criterion()
    one = queries_for(client, "/system/rubrics/")
    for n in range(6):
        rubric = Rubric.objects.create(name=f"标准{n}")
        for c in range(4):
            RubricCriterion.objects.create(rubric=rubric, code=f"c{c}", label=f"项{c}", weight=1, max_score=10)
    assert queries_for(client, "/system/rubrics/") == one <= 12


# --- 节假日校正 ------------------------------------------------------------------------------------------------------


def test_holiday_override_changes_the_publicity_calendar(login, teaching_affairs, audit_actions):
    from applications.calendar import is_workday

    day = dt.date(2026, 10, 12)  # a Monday
    assert is_workday(day)[0]
    client = login(teaching_affairs)
    response = client.post("/system/holidays/new/", {"date": "2026-10-12", "is_workday": "0", "reason": "校运动会"})
    assert response.status_code == 302
    assert is_workday(day) == (False, "override")
    override = WorkdayOverride.objects.get(date=day)
    # the same date twice: refused with a message
    response = client.post("/system/holidays/new/", {"date": "2026-10-12", "is_workday": "1", "reason": "重复"})
    assert response.status_code == 200 and WorkdayOverride.objects.count() == 1
    client.post(f"/system/holidays/{override.pk}/delete/")
    assert is_workday(day)[0]
    assert audit_actions() == ["applications.workday_override.created", "applications.workday_override.deleted"]


def test_holiday_pages_refuse_other_roles(login, applicant, hr_officer):
    for user in (applicant, hr_officer):
        assert (
            login(user)
            .post("/system/holidays/new/", {"date": "2026-10-12", "is_workday": "0", "reason": "x"})
            .status_code
            == 403
        )
    assert not WorkdayOverride.objects.exists()


def test_holiday_list_query_count_does_not_grow(login, teaching_affairs, queries_for):
    client = login(teaching_affairs)
    year = timezone.localdate().year
    WorkdayOverride.objects.create(date=dt.date(year, 1, 2), is_workday=False, reason="一")
    one = queries_for(client, "/system/holidays/")
    for d in range(3, 28):
        WorkdayOverride.objects.create(date=dt.date(year, 1, d), is_workday=bool(d % 2), reason="多")
    assert queries_for(client, "/system/holidays/") == one <= 12


# --- 数据字典 --------------------------------------------------------------------------------------------------------


def test_admin_keeps_departments_majors_and_honour_kinds(login, admin_user, audit_actions):
    client = login(admin_user)
    assert (
        client.post(
            "/system/dictionaries/departments/new/", {"name": "汽车工程系", "code": "QC", "is_active": "on"}
        ).status_code
        == 302
    )
    department = Department.objects.get(code="QC")
    assert (
        client.post(
            "/system/dictionaries/majors/new/",
            {"department": department.pk, "name": "汽车运用与维修", "code": "QC01", "is_active": "on"},
        ).status_code
        == 302
    )
    major = Major.objects.get(code="QC01")
    client.post(
        f"/system/dictionaries/majors/{major.pk}/",
        {"department": department.pk, "name": "汽车运用与维修", "code": "QC01"},
    )
    major.refresh_from_db()
    assert not major.is_active
    assert (
        client.post(
            "/system/dictionaries/honor-kinds/new/",
            {"code": "utility_model", "name": "实用新型专利（测试）", "order": 50, "is_active": "on"},
        ).status_code
        == 302
    )
    kind = HonorKind.objects.get(code="utility_model")
    response = client.post(
        f"/system/dictionaries/honor-kinds/{kind.pk}/",
        {"code": "other", "name": "专利", "order": 50, "is_active": "on"},
    )
    kind.refresh_from_db()
    assert kind.code == "utility_model" and kind.name == "专利"  # the code is fixed once created
    assert response.status_code == 302
    # a duplicate department code is refused in Chinese
    response = client.post("/system/dictionaries/departments/new/", {"name": "另一个系", "code": "QC"})
    assert response.status_code == 200 and not Department.objects.filter(name="另一个系").exists()
    assert audit_actions() == [
        "accounts.department.created",
        "accounts.major.created",
        "accounts.major.changed",
        "people.honorkind.created",
        "people.honorkind.changed",
    ]


def test_dictionaries_are_for_admin_only(login, hr_officer, teaching_affairs, inspector):
    for user in (hr_officer, teaching_affairs, inspector):
        client = login(user)
        assert client.get("/system/dictionaries/").status_code == 403
        assert client.post("/system/dictionaries/departments/new/", {"name": "x系", "code": "XX"}).status_code == 403
    assert not Department.objects.filter(code="XX").exists()


def test_dictionary_page_query_count_does_not_grow(login, admin_user, queries_for):
    client = login(admin_user)
    department = DepartmentFactory(code="Z0", name="系0")
    MajorFactory(department=department)
    one = queries_for(client, "/system/dictionaries/")
    for n in range(1, 10):
        MajorFactory(department=DepartmentFactory(code=f"Z{n}", name=f"系{n}"))
    assert queries_for(client, "/system/dictionaries/") == one <= 12


# --- 导航与首页 ------------------------------------------------------------------------------------------------------


def test_settings_menu_shows_only_the_owners_sections(login, hr_officer, teaching_affairs, admin_user, applicant):
    from core.navigation import navigation_for

    def labels(user):
        response = login(user).get("/system/" if user != applicant else "/")
        items = navigation_for(response.wsgi_request)
        flat = []
        for entry in items:
            flat.extend(i["label"] for i in entry.get("items", [entry]))
        return set(flat)

    assert {"账户与角色"} <= labels(hr_officer) and "政策参数" not in labels(hr_officer)
    assert {"评审专家库", "评分标准", "节假日校正"} <= labels(teaching_affairs) and "账户与角色" not in labels(
        teaching_affairs
    )
    assert {"账户与角色", "评审专家库", "政策参数", "评分标准", "节假日校正", "数据字典"} <= labels(admin_user)
    assert not {"账户与角色", "评审专家库", "政策参数", "数据字典"} & labels(applicant)
    assert login(applicant).get("/system/").status_code == 403
