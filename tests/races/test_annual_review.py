"""Issue 12: two heads of a studio's department decide the same submitted annual report (年度工作报告) at the same
instant — 8 processes, half checking it (系部审核通过), half returning it with a reason. Exactly one decision wins;
the others are refused (core.workflow's conditional UPDATE), and the report carries one StatusChange and one audit
event out of 已提交, whose target is the report's status. SQLite and PostgreSQL."""

import pytest

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 5


def _prepare(n):
    import datetime as dt

    from django.utils import timezone

    from accounts.enums import Role
    from annual import services
    from ledger.tests.helpers import make_studio
    from tests.factories import DepartmentFactory, UserFactory

    year = timezone.localdate().year - 1
    department = DepartmentFactory(code="RACEA", name="年报并发测试系")
    heads = [UserFactory(department=department, roles=[Role.DEPT_HEAD]) for _ in range(2)]
    text = {"achievements_summary": "完成", "highlights": "特色", "problems": "问题", "next_year_plan": "计划"}
    rounds = []
    for i in range(n):
        studio, master, _ = make_studio(department, name=f"年报并发{i}技能大师工作室", since=dt.date(year - 1, 1, 1))
        report = services.save_report(by=master, studio=studio, year=year, data=text)
        services.submit_report(report, by=master)
        rounds.append((report.pk, [h.pk for h in heads]))
    return rounds


def _decide(report_pk, head_pk):
    from accounts.models import User
    from annual import services
    from annual.models import AnnualReport, ReportStatus

    report = AnnualReport.objects.get(pk=report_pk)
    head = User.objects.get(pk=head_pk)
    first = User.objects.filter(username__lt=head.username, role_assignments__role="dept_head",
                                department_id=head.department_id).exists()  # fmt: skip
    if first:
        services.decide_report(report, ReportStatus.RETURNED, by=head, note="并发退回")
    else:
        services.decide_report(report, ReportStatus.CHECKED, by=head)


def _check(report_pk):
    from django.contrib.contenttypes.models import ContentType

    from annual.models import AnnualReport
    from core.models import AuditEvent, StatusChange

    report = AnnualReport.objects.get(pk=report_pk)
    moves = list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(AnnualReport), object_id=str(report_pk),
            from_state="submitted",
        ).values_list("to_state", flat=True)
    )  # fmt: skip
    events = AuditEvent.objects.filter(
        object_type="annual.annualreport", object_id=str(report_pk),
        action__in=("annual.report.checked", "annual.report.returned"),
    ).count()  # fmt: skip
    problems = []
    if moves != [report.status] or events != 1:
        problems.append(f"report {report_pk}: status {report.status}, moves {moves}, events {events}")
    if report.status == "returned" and report.return_reason != "并发退回":
        problems.append(f"report {report_pk}: returned without its reason")
    if report.status == "checked" and report.checked_by_id is None:
        problems.append(f"report {report_pk}: checked without its reviewer")
    return problems


CASE = RaceCase("annual.report_review", _prepare, _decide, _check)


def test_concurrent_check_and_return_exactly_one_decision():
    rounds, outcomes = run_race(CASE, ROUNDS)
    problems = []
    for round_no, (report_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or any(not r.startswith(("ok", "refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check(report_pk)
    assert not problems, "\n".join(problems[:20])
