"""推荐申报: the checkers (met / 未满足 / 需人工核实 from the data, never guessed), the fixed statement count of a check,
the workflow (create, the uniqueness rule, submit with confirmations and explanation, the frozen snapshot, the
outcome raising the studio's level, withdraw), refusals in Chinese and notifications."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.enums import Role
from core.models import AuditEvent, Notification
from core.workflow import WorkflowError
from evaluation.enums import Grade
from people.models import StaffProfile
from plans.tests.helpers import mentorship
from recommendations import services
from recommendations.checking import check_studio, counts_for
from recommendations.enums import RecommendationStatus, TargetLevel, Verdict
from recommendations.models import LevelRequirement, Recommendation
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import set_level
from tests.factories import DepartmentFactory, UserFactory

from .helpers import TODAY, city_ready_studio, confirmed_grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(code="RCM", name="推荐测试系")


@pytest.fixture
def dev():
    return UserFactory(department=None, display_name="发改室乙", roles=[Role.DEV_OFFICE])


def _by_checker(lines):
    return {line["checker"]: line for line in lines}


def test_city_checks_met_from_the_data_and_manual_line(dept):
    studio, _master, _ = city_ready_studio(dept)
    lines = _by_checker(check_studio(studio.pk, TargetLevel.CITY))
    for key in ("master_skill_level", "years_in_operation", "apprentices", "recent_grades", "master_honor_level"):
        assert lines[key]["verdict"] == Verdict.MET, (key, lines[key]["text"])
    assert lines["manual"]["verdict"] == Verdict.MANUAL
    assert "5 人次" in lines["apprentices"]["text"] and lines["apprentices"]["url"]


def test_missing_data_is_manual_and_low_data_is_unmet(dept):
    studio, master, _ = city_ready_studio(dept, apprentices=3, skill="", grade=None, honor=False)
    lines = _by_checker(check_studio(studio.pk, TargetLevel.CITY))
    assert lines["master_skill_level"]["verdict"] == Verdict.MANUAL  # blank skill level: never guessed
    assert lines["recent_grades"]["verdict"] == Verdict.MANUAL  # no confirmed evaluation yet
    assert "尚无已认定" in lines["recent_grades"]["text"]
    assert lines["apprentices"]["verdict"] == Verdict.UNMET
    assert lines["master_honor_level"]["verdict"] == Verdict.UNMET
    StaffProfile.objects.filter(user=master).update(skill_level="3")
    confirmed_grade(studio, TODAY.year - 1, Grade.PASS)
    lines = _by_checker(check_studio(studio.pk, TargetLevel.CITY))
    assert lines["master_skill_level"]["verdict"] == Verdict.UNMET
    assert lines["recent_grades"]["verdict"] == Verdict.UNMET


def test_province_needs_the_city_level_and_national_an_excellent(dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    lines = _by_checker(check_studio(studio.pk, TargetLevel.PROVINCE))
    assert lines["current_level"]["verdict"] == Verdict.UNMET
    set_level(studio, by=dev, level="city", reason="测试")
    lines = _by_checker(check_studio(studio.pk, TargetLevel.PROVINCE))
    assert lines["current_level"]["verdict"] == Verdict.MET
    national = _by_checker(check_studio(studio.pk, TargetLevel.NATIONAL))
    assert national["recent_excellent"]["verdict"] == Verdict.MANUAL  # only one confirmed result of three


def test_one_check_is_a_fixed_number_of_statements(dept):
    small, _m, _ = city_ready_studio(dept, name="小工作室", apprentices=1)
    big, _m2, _ = city_ready_studio(dept, name="大工作室", apprentices=12)
    counts = []
    for studio in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            check_studio(studio.pk, TargetLevel.CITY)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 5
    with CaptureQueriesContext(connection) as one:
        counts_for([(small.pk, "city")])
    with CaptureQueriesContext(connection) as two:
        result = counts_for([(small.pk, "city"), (big.pk, "province")])
    assert len(one.captured_queries) == len(two.captured_queries)
    assert result[(big.pk, "province")][Verdict.MANUAL] >= 1


def test_requirement_parameters_are_checked():
    bad = LevelRequirement(level="city", label="x", checker="recent_grades", number=2, choice="")
    with pytest.raises(ValidationError):
        bad.full_clean()
    LevelRequirement(level="city", label="x", checker="recent_grades", number=2, choice="good").full_clean()


def test_workflow_submit_freezes_and_approval_raises_level(dept, dev, django_capture_on_commit_callbacks):
    studio, master, _ = city_ready_studio(dept)
    rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="成效显著")
    with pytest.raises(ValidationError) as exc:
        services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="重复")
    assert "不能重复推荐" in str(exc.value)
    manual = next(line for line in check_studio(studio.pk, "city") if line["verdict"] == Verdict.MANUAL)
    with pytest.raises(ValidationError) as exc:
        services.submit(rec, by=dev, confirmations={})
    assert "核实说明" in str(exc.value)
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(rec, by=dev, confirmations={manual["requirement_id"]: "已取得行业协会推荐函"})
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.SUBMITTED
    frozen = {line["checker"]: line for line in rec.snapshot["lines"]}
    assert frozen["manual"]["confirmation"] == "已取得行业协会推荐函"
    assert frozen["apprentices"]["verdict"] == Verdict.MET
    # later data changes do not rewrite what was submitted
    StaffProfile.objects.filter(user=master).update(skill_level="")
    rec.refresh_from_db()
    assert {line["checker"]: line for line in rec.snapshot["lines"]}["master_skill_level"]["verdict"] == Verdict.MET
    assert Notification.objects.filter(recipient=master, title__contains="已推荐上报").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_outcome(rec, by=dev, approved=True, year=TODAY.year, document="渝人社〔2026〕8号",
                                on=TODAY)  # fmt: skip
    assert Studio.objects.get(pk=studio.pk).level == "city"
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.APPROVED
    assert AuditEvent.objects.filter(action="studios.studio.level_changed").count() == 1
    assert Notification.objects.filter(recipient=master, title__contains="已获批").exists()


def test_unmet_needs_an_explanation(dept, dev):
    studio, _m, _ = city_ready_studio(dept, apprentices=2)
    rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    confirm = {
        line["requirement_id"]: "已核实" for line in check_studio(studio.pk, "city") if line["verdict"] == "manual"
    }
    with pytest.raises(ValidationError) as exc:
        services.submit(rec, by=dev, confirmations=confirm)
    assert "未满足条件的说明" in str(exc.value)
    services.submit(rec, by=dev, confirmations=confirm, explanation="另有 3 名徒弟的协议在补录中")
    rec.refresh_from_db()
    assert rec.unmet_explanation and rec.snapshot["counts"]["unmet"] == 1


def test_withdraw_needs_reason_and_frees_the_slot(dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    with pytest.raises(ValidationError):
        services.withdraw(rec, by=dev, reason="")
    services.withdraw(rec, by=dev, reason="材料不全")
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.WITHDRAWN
    again = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="再次")
    assert again.pk != rec.pk
    with pytest.raises(WorkflowError):
        services.record_outcome(again, by=dev, approved=False, note="未通过")  # a draft has no outcome


def test_not_approved_keeps_level_and_needs_note(dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    rec = services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    confirm = {line["requirement_id"]: "已核实" for line in check_studio(studio.pk, "city")}
    services.submit(rec, by=dev, confirmations=confirm)
    with pytest.raises(ValidationError):
        services.record_outcome(rec, by=dev, approved=False, note="")
    services.record_outcome(rec, by=dev, approved=False, note="名额有限")
    assert Studio.objects.get(pk=studio.pk).level == "school"


def test_only_dev_office_writes_and_only_active_studios(dept, dev, teaching_affairs, inspector):
    studio, master, _ = city_ready_studio(dept)
    for user in (teaching_affairs, inspector, master):
        with pytest.raises(PermissionDenied):
            services.create_recommendation(by=user, studio=studio, level="city", year=TODAY.year, reason="理由")
    Studio.objects.filter(pk=studio.pk).update(status=StudioStatus.REVOKED)
    with pytest.raises(ValidationError) as exc:
        services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    assert "运行中" in str(exc.value)
    assert not Recommendation.objects.exists()


def test_set_level_is_audited_and_validated(dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    with pytest.raises(ValidationError):
        set_level(studio, by=dev, level="galactic", reason="x")
    with pytest.raises(ValidationError):
        set_level(studio, by=dev, level="city", reason="")
    set_level(studio, by=dev, level="province", reason="省人社厅文件")
    assert Studio.objects.get(pk=studio.pk).level == "province"
    event = AuditEvent.objects.get(action="studios.studio.level_changed")
    assert event.note == "省人社厅文件"


def test_no_recommendation_below_current_level(dept, dev):
    studio, _m, _ = city_ready_studio(dept)
    set_level(studio, by=dev, level="city", reason="历史认定")
    with pytest.raises(ValidationError) as exc:
        services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="理由")
    assert "已是市级" in str(exc.value)


def test_mentorship_only_confirmed_counts(dept):
    studio, master, _ = city_ready_studio(dept, apprentices=4)
    mentorship(studio, master, date=dt.date(TODAY.year, 1, 5), status="submitted")
    lines = _by_checker(check_studio(studio.pk, "city"))
    assert lines["apprentices"]["verdict"] == Verdict.UNMET
