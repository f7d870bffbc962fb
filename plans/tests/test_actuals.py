"""Plan vs actual: the actual equals the confirmed records with evidence dated in the year; waiting apart."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.enums import RecordStatus
from ledger.models import Achievement, Activity, Meeting, Mentorship
from ledger.tests.helpers import make_studio
from plans import actuals, indicators
from plans.enums import PlanKind
from plans.indicators import REGISTRY, compute, countable_q
from studios.models import Studio

from .helpers import achievement, activity, approved_plan, meeting, mentorship

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
IN_YEAR = dt.date(YEAR, 3, 15)
LAST_YEAR = dt.date(YEAR - 1, 12, 31)


@pytest.fixture
def studio_team(department):
    return make_studio(department)


def test_actuals_count_only_confirmed_records_with_evidence_dated_in_the_year(studio_team):
    studio, master, _team = studio_team
    counted = activity(studio, master, date=IN_YEAR, kind="exchange")
    activity(studio, master, date=dt.date(YEAR, 12, 31), kind="promotion")  # counted: last day of the year
    activity(studio, master, date=LAST_YEAR, kind="exchange")  # another year
    activity(studio, master, date=IN_YEAR, kind="exchange", status=RecordStatus.SUBMITTED)  # waiting
    activity(studio, master, date=IN_YEAR, kind="exchange", status=RecordStatus.DRAFT)  # neither
    activity(studio, master, date=IN_YEAR, kind="exchange", evidence=False)  # no evidence
    activity(studio, master, date=IN_YEAR, kind="social_training", participants=40)
    activity(studio, master, date=IN_YEAR, kind="social_training", participants=25)
    activity(studio, master, date=IN_YEAR, kind="social_training", participants=99, status=RecordStatus.SUBMITTED)

    result = compute(["exchange_events", "social_training"], [studio.pk], YEAR)
    assert result["exchange_events"][studio.pk] == (Decimal(2), Decimal(1))
    assert result["social_training"][studio.pk] == (Decimal(65), Decimal(99))
    # the click-through lists exactly the records that count
    records = REGISTRY["exchange_events"].records(studio.pk, YEAR)
    assert counted in records and records.count() == 2
    assert REGISTRY["exchange_events"].records(studio.pk, YEAR, waiting=True).count() == 1


def test_countable_q_is_the_ledger_s_countable(studio_team):
    studio, master, _team = studio_team
    activity(studio, master, date=IN_YEAR)
    activity(studio, master, date=IN_YEAR, evidence=False)
    activity(studio, master, date=IN_YEAR, status=RecordStatus.RETURNED)
    meeting(studio, master, date=IN_YEAR, minutes="")
    meeting(studio, master, date=IN_YEAR)
    for model in (Activity, Meeting, Achievement, Mentorship):
        assert set(model.objects.filter(countable_q(model)).values_list("pk", flat=True)) == set(
            model.objects.countable().values_list("pk", flat=True)
        )


def test_weighted_landmark_and_plan_indicators(studio_team, dept_head, teaching_affairs):
    studio, master, _team = studio_team
    achievement(studio, master, date=IN_YEAR, kind="award", level="national")
    achievement(studio, master, date=IN_YEAR, kind="award", level="city")
    achievement(studio, master, date=IN_YEAR, kind="award", level="school", status=RecordStatus.SUBMITTED)
    for level in ("school", "provincial", "national", "school"):  # best three: 10 + 7 + 4
        achievement(studio, master, date=IN_YEAR, kind="patent", level=level, landmark=True)
    meeting(studio, master, date=IN_YEAR)
    meeting(studio, master, date=IN_YEAR, minutes="")  # no minutes, no attachment: not counted
    mentorship(studio, master, date=dt.date(YEAR - 1, 9, 1))  # active during the year
    mentorship(studio, master, date=dt.date(YEAR - 2, 9, 1), end_on=dt.date(YEAR - 1, 6, 30))  # ended before
    mentorship(studio, master, date=dt.date(YEAR - 1, 9, 1), outcome_level="technician", outcome_on=IN_YEAR)
    keys = ["competition_awards", "landmark_results", "plan_and_meetings", "mentorships", "skill_upgrades"]
    result = compute(keys, [studio.pk], YEAR)
    assert result["competition_awards"][studio.pk] == (Decimal(5), Decimal(1))
    assert result["landmark_results"][studio.pk] == (Decimal(21), Decimal(0))
    assert result["plan_and_meetings"][studio.pk] == (Decimal(1), Decimal(0))
    assert result["mentorships"][studio.pk] == (Decimal(2), Decimal(0))
    assert result["skill_upgrades"][studio.pk] == (Decimal(1), Decimal(0))
    approved_plan(studio, master, dept_head, teaching_affairs)  # the approved annual plan counts 1
    assert compute(["plan_and_meetings"], [studio.pk], YEAR)["plan_and_meetings"][studio.pk] == (Decimal(2), 0)


def test_indicators_without_a_source_show_not_enabled_never_a_number(studio_team):
    studio, _master, _team = studio_team
    _indicators, cells = actuals.table([studio.pk], YEAR)
    by_key = {c.indicator.key: c for c in cells[studio.pk]}
    # archive_complete, funds_execution and publicity_reports are provided by the archive, funds and news apps
    # (provide_computation): a number, 0 for an empty archive, a studio without budget or posts; the department's site
    # check has no source yet
    key = "site_equipment"
    assert by_key[key].confirmed is None and not by_key[key].enabled and by_key[key].score is None
    for key in ("archive_complete", "funds_execution", "publicity_reports"):
        assert by_key[key].enabled and by_key[key].confirmed == 0, key
    assert by_key["exchange_events"].confirmed == 0


def test_targets_come_from_the_approved_annual_plan_else_the_construction_plan_else_the_default(
    studio_team, dept_head, teaching_affairs
):
    studio, master, _team = studio_team
    cells = {c.indicator.key: c for c in actuals.table([studio.pk], YEAR)[1][studio.pk]}
    assert (cells["projects"].target, cells["projects"].target_source) == (Decimal(1), "default")
    approved_plan(studio, master, dept_head, teaching_affairs, kind=PlanKind.CONSTRUCTION, targets={"projects": "3"})
    cells = {c.indicator.key: c for c in actuals.table([studio.pk], YEAR)[1][studio.pk]}
    assert (cells["projects"].target, cells["projects"].target_source) == (Decimal(3), "construction")
    approved_plan(studio, master, dept_head, teaching_affairs, targets={"projects": "4"})
    cells = {c.indicator.key: c for c in actuals.table([studio.pk], YEAR)[1][studio.pk]}
    assert (cells["projects"].target, cells["projects"].target_source) == (Decimal(4), "annual")


def _school_page_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/plans/actual/", {"page_size": "100"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_school_wide_table_issues_the_same_statements_for_3_or_40_studios(client, department, teaching_affairs):
    studio, master, _team = make_studio(department, name="工作室0")
    activity(studio, master, date=IN_YEAR)
    few, response = _school_page_queries(client, teaching_affairs)
    assert "工作室0" in response.content.decode()
    for n in range(1, 40):
        s, m, _t = make_studio(department, name=f"工作室{n}", members=0)
        for day in range(1, 6):
            activity(s, m, date=dt.date(YEAR, 1, day), kind="social_training", participants=3)
            achievement(s, m, date=dt.date(YEAR, 2, day), kind="patent", landmark=True)
    many, response = _school_page_queries(client, teaching_affairs)
    assert many == few and many <= 12, (few, many)
    assert "尚未启用" in response.content.decode()


def test_a_reused_statement_answers_for_the_ids_it_is_given(department):
    """compute() compiles the UNION once per (keys, year, number of ids) and reuses it with the real ids put in the
    stand-ins' places: the second and third calls must answer for their own studios, not the first call's."""
    indicators._STATEMENTS.clear()
    one, master_one, _t = make_studio(department, name="甲技能大师工作室")
    two, master_two, _t = make_studio(department, name="乙技能大师工作室")
    three, master_three, _t = make_studio(department, name="丙技能大师工作室")
    for studio, master, n in ((one, master_one, 1), (two, master_two, 2), (three, master_three, 3)):
        for _ in range(n):
            activity(studio, master, date=IN_YEAR, kind="exchange")
    keys = ["exchange_events", "archive_complete", "funds_execution"]
    assert compute(keys, [one.pk], YEAR)["exchange_events"] == {one.pk: (1, 0)}
    assert compute(keys, [two.pk], YEAR)["exchange_events"] == {two.pk: (2, 0)}
    assert compute(keys, (three.pk, one.pk), YEAR)["exchange_events"] == {three.pk: (3, 0), one.pk: (1, 0)}
    assert compute(keys, [two.pk, three.pk], YEAR)["exchange_events"] == {two.pk: (2, 0), three.pk: (3, 0)}
    assert len(indicators._STATEMENTS) == 2  # one statement per number of ids
    # a queryset of ids (a subquery) is compiled once per subquery (its SQL and parameters) and agrees
    assert compute(keys, Studio.objects.filter(pk=two.pk).values("pk"), YEAR)["exchange_events"] == {two.pk: (2, 0)}
    assert len(indicators._STATEMENTS) == 3
    assert compute(keys, Studio.objects.filter(pk=three.pk).values("pk"), YEAR)["exchange_events"] == {three.pk: (3, 0)}
    assert len(indicators._STATEMENTS) == 4  # another parameter: another statement, never the first one's answer
    activity(two, master_two, date=IN_YEAR, kind="exchange")
    union = indicators._union
    indicators._union = None  # a reused statement does not rebuild the UNION…
    try:
        again = compute(keys, Studio.objects.filter(pk=two.pk).values("pk"), YEAR)["exchange_events"]
    finally:
        indicators._union = union
    assert again == {two.pk: (3, 0)}  # …and runs it afresh: the new record counts
    assert len(indicators._STATEMENTS) == 4
