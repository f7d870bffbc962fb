"""年度工作报告: due date and late marking (R19), the workflow with its roles and reasons, nominations, the computed
tables (equal to plans' and funds' own computations), permissions, revoked studios and frozen years."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import Role
from annual import services
from annual.models import AnnualReport, ReportStatus
from core.models import AuditEvent, Notification
from core.workflow import ConcurrentTransitionError, WorkflowError
from funds.panels import studio_year_totals
from funds.tests.helpers import funded_studio
from ledger.enums import RecordStatus
from plans import actuals
from studios import freeze
from studios.models import Membership
from tests.factories import UserFactory

from .helpers import TEXT, achievement, last_year, studio_with_report

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_due_date_is_31_january_of_the_next_year_from_the_policy():
    assert services.due_date(2025) == dt.date(2026, 1, 31)
    from people.models import PolicyVersion

    PolicyVersion.objects.create(year=2027, annual_report_due_month=2, annual_report_due_day=30)
    assert services.due_date(2026) == dt.date(2027, 2, 28)  # 30 February → the last day of February
    assert services.due_date(2025) == dt.date(2026, 1, 31)


def test_report_states_one_query(department, django_assert_num_queries):
    studio, _m, _t, report = studio_with_report(department)
    with django_assert_num_queries(1):
        states = services.report_states([studio.pk, studio.pk + 999], report.year)
    assert list(states) == [studio.pk] and states[studio.pk].status == ReportStatus.DRAFT


def test_submission_on_1_february_is_late_on_31_january_not(department, other_department, monkeypatch):
    year = last_year()
    _s, master, _t, report = studio_with_report(department)
    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(year + 1, 2, 1), 0) + dt.timedelta(minutes=5))
    services.submit_report(report, by=master)
    report.refresh_from_db()
    assert report.late is True and report.status == ReportStatus.SUBMITTED
    assert timezone.localdate(report.submitted_at) == dt.date(year + 1, 2, 1)

    _s2, master2, _t2, on_time = studio_with_report(other_department, name="焊接技能大师工作室")
    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(year + 1, 1, 31), 23) + dt.timedelta(minutes=59))
    services.submit_report(on_time, by=master2)
    on_time.refresh_from_db()
    assert on_time.late is False and on_time.status == ReportStatus.SUBMITTED


def test_resubmission_keeps_first_submission_time_and_late(department, dept_head, monkeypatch):
    year = last_year()
    _s, master, _t, report = studio_with_report(department)
    first = at(dt.date(year + 1, 2, 3))
    services.submit_report(report, by=master, now=first)
    services.decide_report(report, ReportStatus.RETURNED, by=dept_head, note="请补充经费使用说明")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "请补充经费使用说明"
    services.save_report(by=master, studio=report.studio_id, year=year, data={"problems": "已补充说明。"})
    services.submit_report(report, by=master, now=at(dt.date(year + 1, 3, 1)))
    report.refresh_from_db()
    assert report.submitted_at == first and report.late is True
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""


def test_full_workflow_with_audit_and_notifications(
    department, dept_head, teaching_affairs, django_capture_on_commit_callbacks
):
    _s, master, _t, report = studio_with_report(department)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, by=master)
    assert Notification.objects.filter(recipient=dept_head, url__endswith=f"/annual/{report.pk}/").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_report(report, ReportStatus.CHECKED, by=dept_head)
    assert Notification.objects.filter(recipient=teaching_affairs).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_report(report, ReportStatus.RECEIVED, by=teaching_affairs)
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    assert report.checked_by_id == dept_head.pk and report.received_by_id == teaching_affairs.pk
    assert Notification.objects.filter(recipient=master, title__contains="已被教学工作部接收").exists()
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="annual.report").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(
        ["annual.report.created", "annual.report.submitted", "annual.report.checked", "annual.report.received"]
    )


def test_roles_scope_and_reasons(department, other_department, dept_head, other_dept_head, teaching_affairs):
    _s, master, team, report = studio_with_report(department)
    with pytest.raises(WorkflowError):  # a member who is neither master nor contact
        services.submit_report(report, by=team[0])
    services.submit_report(report, by=master)
    with pytest.raises(WorkflowError):  # another department's head
        services.decide_report(report, ReportStatus.CHECKED, by=other_dept_head)
    with pytest.raises(WorkflowError):  # teaching affairs cannot skip the department
        services.decide_report(report, ReportStatus.RECEIVED, by=teaching_affairs)
    with pytest.raises(WorkflowError):  # a return needs a reason
        services.decide_report(report, ReportStatus.RETURNED, by=dept_head, note="  ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    services.decide_report(report, ReportStatus.CHECKED, by=dept_head)
    with pytest.raises(WorkflowError):
        services.decide_report(report, ReportStatus.RETURNED, by=teaching_affairs, note="")
    services.decide_report(report, ReportStatus.RETURNED, by=teaching_affairs, note="标志性成果不足")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_contact_person_writes_and_submits(department):
    year = last_year()
    studio, master, team = __import__("ledger.tests.helpers", fromlist=["make_studio"]).make_studio(
        department, since=dt.date(year - 1, 1, 1)
    )
    contact = Membership.objects.get(studio=studio, user=team[0])
    type(studio).objects.filter(pk=studio.pk).update(contact=contact)
    studio.refresh_from_db()
    report = services.save_report(by=team[0], studio=studio, year=year, data=TEXT)
    services.submit_report(report, by=team[0])
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.save_report(by=team[1], studio=studio, year=year + 1, data=TEXT)


def test_submit_requires_the_four_sections(department):
    year = last_year()
    studio, master, _t, report = studio_with_report(department, data={"achievements_summary": "只写了一部分"})
    with pytest.raises(ValidationError) as exc:
        services.submit_report(report, by=master)
    assert "特色与创新" in str(exc.value) and "下年度计划" in str(exc.value)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert year == report.year


def test_narrative_length_limits(department):
    studio, master, _t, _r = studio_with_report(department)
    limit = AnnualReport._meta.get_field("highlights").max_length
    with pytest.raises(ValidationError):
        services.save_report(by=master, studio=studio, year=last_year(), data={"highlights": "长" * (limit + 1)})
    assert AnnualReport.objects.get(studio=studio).highlights == TEXT["highlights"]


@pytest.mark.parametrize("year_offset", [1, -30])
def test_bad_years_are_refused(department, year_offset):
    studio, master, _t, _r = studio_with_report(department)
    year = timezone.localdate().year + year_offset
    with pytest.raises(ValidationError):
        services.save_report(by=master, studio=studio, year=year, data=TEXT)
    assert AnnualReport.objects.filter(studio=studio).count() == 1


def test_nominations_limited_to_three_confirmed_achievements_of_the_studio_and_year(department, other_department):
    year = last_year()
    studio, master, team, report = studio_with_report(department)
    mine = [achievement(studio, master, title=f"成果{i}", month=i + 1) for i in range(4)]
    services.save_report(by=master, studio=studio, year=year, data={}, landmarks=[a.pk for a in mine[:3]])
    assert sorted(report.landmarks.values_list("pk", flat=True)) == sorted(a.pk for a in mine[:3])

    with pytest.raises(ValidationError, match="最多推荐 3 项"):
        services.save_report(by=master, studio=studio, year=year, data={}, landmarks=[a.pk for a in mine])
    other, other_master, _ = __import__("ledger.tests.helpers", fromlist=["make_studio"]).make_studio(
        other_department, name="焊接技能大师工作室"
    )
    refused = [
        achievement(other, other_master, title="别人的成果"),
        achievement(studio, master, title="待审核成果", status=RecordStatus.SUBMITTED),
        achievement(studio, master, title="前年的成果", year=year - 1),
    ]
    for a in refused:
        with pytest.raises(ValidationError, match="已由系部确认的成果"):
            services.save_report(by=master, studio=studio, year=year, data={}, landmarks=[a.pk])
    assert sorted(report.landmarks.values_list("pk", flat=True)) == sorted(a.pk for a in mine[:3])


def test_computed_tables_equal_plans_and_funds(department):
    year = timezone.localdate().year
    studio, master, finance, line = funded_studio(department, budget="5000.00", year=year)
    achievement(studio, master, year=year)
    cells = services.plan_vs_actual(studio.pk, year)
    _indicators, expected = actuals.table([studio.pk], year)
    assert [(c.indicator.key, c.target, c.confirmed, c.waiting) for c in cells] == [
        (c.indicator.key, c.target, c.confirmed, c.waiting) for c in expected[studio.pk]
    ]
    summary = services.funds_summary(studio.pk, year)
    totals = studio_year_totals(studio.pk, year)
    assert summary["totals"] == totals and summary["totals"]["budget"] == Decimal("5000.00")
    assert [r["budget"] for r in summary["by_source"]] == [Decimal("5000.00")]


def test_revoked_studio_refuses_writes_an_archived_year_does_not(department):
    """The report on year Y is written after Y's year-end archiving (归档): the freeze of Y does not stop it."""
    studio, master, _t, report = studio_with_report(department)
    frozen = lambda studio_id, year: "该年度已归档，不能修改。" if studio_id == studio.pk else None  # noqa: E731
    freeze.register_freeze_check(frozen)
    try:
        services.save_report(by=master, studio=studio, year=report.year, data={"highlights": "改"})
        services.submit_report(report, by=master)
    finally:
        freeze._CHECKS.remove(frozen)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    type(studio).objects.filter(pk=studio.pk).update(status="revoked")
    with pytest.raises(PermissionDenied):
        services.save_report(by=master, studio=studio, year=report.year, data={"highlights": "再改"})
    with pytest.raises(PermissionDenied):
        services.decide_report(report, ReportStatus.CHECKED, by=UserFactory(roles=[Role.DEPT_HEAD]))
    assert AnnualReport.objects.get(pk=report.pk).highlights == "改"


def test_read_only_roles_never_write(department, inspector):
    studio, master, _t, report = studio_with_report(department)
    with pytest.raises(PermissionDenied):
        services.save_report(by=inspector, studio=studio, year=report.year, data=TEXT)
    services.submit_report(report, by=master)
    with pytest.raises(PermissionDenied):
        services.decide_report(report, ReportStatus.CHECKED, by=inspector)


def test_a_dept_head_master_cannot_check_his_own_report(department):
    year = last_year()
    head = UserFactory(department=department, roles=[Role.DEPT_HEAD])
    studio, master, _t = __import__("ledger.tests.helpers", fromlist=["make_studio"]).make_studio(
        department, master=head, since=dt.date(year - 1, 1, 1)
    )
    report = services.save_report(by=head, studio=studio, year=year, data=TEXT)
    services.submit_report(report, by=head)
    with pytest.raises(WorkflowError, match="不能审核本工作室"):
        services.decide_report(report, ReportStatus.CHECKED, by=head)


def test_concurrent_second_decision_is_refused(department, dept_head):
    _s, master, _t, report = studio_with_report(department)
    services.submit_report(report, by=master)
    stale = AnnualReport.objects.get(pk=report.pk)
    services.decide_report(report, ReportStatus.CHECKED, by=dept_head)
    with pytest.raises((WorkflowError, ConcurrentTransitionError)):
        services.decide_report(stale, ReportStatus.RETURNED, by=dept_head, note="晚到的退回")
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.CHECKED
