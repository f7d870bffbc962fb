"""年度考核's "Done when" (issue 12 items 3–4): scores from targets and confirmed records, the 优秀 cap, the veto
rules, the committee's confirmation with its consequences, and frozen scorecards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annual.models import ReportStatus
from core.models import Notification
from core.workflow import WorkflowError
from evaluation import services
from evaluation.enums import Grade, RoundStatus, Veto
from evaluation.models import EvaluationRound, Scorecard, SupportFlag
from ledger.tests.helpers import make_studio
from plans.tests.helpers import activity
from studios.enums import StudioStatus
from studios.models import Membership, Studio
from studios.services import ensure_writable
from tests.factories import DepartmentFactory, UserFactory

from .helpers import YEAR, full_marks_studio, meet_and_vote, people, report, weak_studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(code="EV", name="考核测试系")


@pytest.fixture
def staff(dept):
    return people(dept)


def _open(dev, year=YEAR):
    round_ = services.create_round(by=dev, year=year, due_on=dt.date(year + 1, 3, 1))
    return services.start_round(round_, by=dev)


def _card(round_, studio):
    return Scorecard.objects.get(round=round_, studio=studio)


def _confirm(round_, dev, committee, **kwargs):
    services.submit_round(round_, by=dev)
    meet_and_vote(round_, committee[:2])
    return services.confirm_round(round_, by=committee[0], **kwargs)


def test_records_meeting_every_target_score_100_and_suggested_excellent(dept, staff):
    dev, _ = staff
    best, _, _ = full_marks_studio(dept, "满分技能大师工作室")
    for i in range(4):
        weak_studio(dept, f"普通{i}技能大师工作室")
    round_ = _open(dev)
    card = _card(round_, best)
    assert card.total == Decimal("100.00")
    assert card.suggested_grade == Grade.EXCELLENT
    line = next(li for li in card.lines if li["key"] == "exchange_events")
    assert (line["target"], line["actual"], line["score"], line["target_source"]) == (
        "2.0",
        "2",
        line["weight"] + "0",
        "annual",
    )
    weak = Scorecard.objects.filter(round=round_).exclude(studio=best)
    assert all(c.total < 60 and c.suggested_grade == Grade.FAIL for c in weak)


def test_unconfirmed_records_do_not_count(dept, staff):
    dev, _ = staff
    studio, master, _ = make_studio(dept, name="待确认技能大师工作室")
    from .helpers import plan_with_targets

    plan_with_targets(studio, exchange_events=2)
    report(studio)
    activity(studio, master, date=dt.date(YEAR, 3, 1), kind="exchange")
    activity(studio, master, date=dt.date(YEAR, 4, 1), kind="exchange", status="submitted")
    card = _card(_open(dev), studio)
    line = next(li for li in card.lines if li["key"] == "exchange_events")
    assert (line["actual"], line["waiting"]) == ("1", "1")
    assert Decimal(line["score"]) == Decimal(line["weight"]) / 2


def test_cap_six_studios_all_at_the_same_total_none_over_the_cap_and_each_says_why(dept, staff):
    dev, _ = staff
    studios = [full_marks_studio(dept, f"并列{i}技能大师工作室")[0] for i in range(6)]
    round_ = _open(dev)
    for s in studios:  # each loses 5 points on one indicator: all equal, all ≥ 90
        services.adjust(_card(round_, s), by=dev, indicator_key="mentorships", score="3", basis="协议不全，扣5分")
    cards = list(Scorecard.objects.filter(round=round_))
    assert len({c.total for c in cards}) == 1 and cards[0].total >= 90
    excellent = [c for c in cards if c.suggested_grade == Grade.EXCELLENT]
    assert len(excellent) <= 1
    for c in cards:
        if c.suggested_grade != Grade.EXCELLENT:
            assert "20%" in c.grade_note and "学术委员会决定" in c.grade_note


def test_cap_distinct_totals_highest_takes_the_one_place(dept, staff):
    dev, _ = staff
    studios = [full_marks_studio(dept, f"排名{i}技能大师工作室")[0] for i in range(6)]
    round_ = _open(dev)
    for i, s in enumerate(studios[1:], start=1):
        services.adjust(_card(round_, s), by=dev, indicator_key="mentorships", score=str(8 - i), basis="酌情扣分")
    cards = {c.studio_id: c for c in Scorecard.objects.filter(round=round_)}
    assert cards[studios[0].pk].suggested_grade == Grade.EXCELLENT
    for s in studios[1:]:
        card = cards[s.pk]
        assert card.total >= 90 and card.suggested_grade == Grade.GOOD
        assert "未列入优秀名额" in card.grade_note


def test_adjustment_needs_a_basis_and_stays_within_the_weight(dept, staff):
    dev, _ = staff
    studio, _, _ = full_marks_studio(dept, "调整技能大师工作室")
    round_ = _open(dev)
    card = _card(round_, studio)
    with pytest.raises(ValidationError, match="评分依据"):
        services.adjust(card, by=dev, indicator_key="mentorships", score="3", basis="  ")
    with pytest.raises(ValidationError, match="0 至 8"):
        services.adjust(card, by=dev, indicator_key="mentorships", score="9", basis="超出")
    outsider = UserFactory(department=None)
    with pytest.raises(PermissionDenied):
        services.adjust(card, by=outsider, indicator_key="mentorships", score="3", basis="无权")
    assert _card(round_, studio).total == Decimal("100.00")


def test_no_report_and_no_activity_fails_and_confirmation_revokes_the_studio(
    dept, staff, django_capture_on_commit_callbacks
):
    dev, committee = staff
    studio, master, team = weak_studio(dept, "无报告技能大师工作室", with_report=False)
    head = UserFactory(department=dept, roles=["dept_head"])
    from accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=head).update(department=dept)
    round_ = _open(dev)
    card = _card(round_, studio)
    assert Veto.NO_REPORT in card.vetoes and card.suggested_grade == Grade.FAIL
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(round_, dev, committee)
    studio = Studio.objects.get(pk=studio.pk)
    assert studio.status == StudioStatus.REVOKED
    assert not Membership.objects.filter(studio=studio, left_on__isnull=True).exists()
    with pytest.raises(PermissionDenied, match="已撤销"):
        ensure_writable(studio)
    notified = set(Notification.objects.filter(title__contains="已撤销").values_list("recipient_id", flat=True))
    assert {master.pk, *(u.pk for u in team), head.pk} <= notified
    assert _card(round_, studio).confirmed_grade == Grade.FAIL


def test_returned_report_counts_only_when_it_had_been_submitted(dept, staff):
    dev, _ = staff
    a, _, _ = weak_studio(dept, "退回甲技能大师工作室", with_report=False)
    b, _, _ = weak_studio(dept, "退回乙技能大师工作室", with_report=False)
    report(a, status=ReportStatus.RETURNED)
    report(b, status=ReportStatus.DRAFT, on=None)
    from annual.models import AnnualReport

    AnnualReport.objects.filter(studio=b).update(submitted_at=None)
    round_ = _open(dev)
    assert Veto.NO_REPORT not in _card(round_, a).vetoes
    assert Veto.NO_REPORT in _card(round_, b).vetoes


def test_late_report_caps_at_good(dept, staff):
    dev, _ = staff
    studio, _, _ = make_studio(dept, name="逾期技能大师工作室")
    from .helpers import plan_with_targets

    plan_with_targets(studio)
    report(studio, on=dt.datetime(YEAR + 1, 2, 1, 9, tzinfo=dt.UTC), late=True)
    for i in range(4):
        weak_studio(dept, f"陪考{i}技能大师工作室")
    card = _card(_open(dev), studio)
    assert card.total == Decimal("100.00")
    assert Veto.LATE_REPORT in card.vetoes and card.suggested_grade == Grade.GOOD
    assert "逾期" in card.grade_note


def test_falsification_veto_needs_a_reason_and_fails(dept, staff):
    dev, _ = staff
    studio, _, _ = full_marks_studio(dept, "造假技能大师工作室")
    round_ = _open(dev)
    with pytest.raises(ValidationError):
        services.record_falsification(_card(round_, studio), by=dev, reason="")
    card = services.record_falsification(_card(round_, studio), by=dev, reason="佐证照片系伪造")
    assert Veto.FALSIFIED in card.vetoes and card.suggested_grade == Grade.FAIL


def test_ledger_edit_after_confirmation_leaves_the_scorecard_unchanged(dept, staff):
    dev, committee = staff
    studio, master, _ = make_studio(dept, name="冻结技能大师工作室")
    from .helpers import plan_with_targets

    plan_with_targets(studio, exchange_events=4)
    report(studio)
    record = activity(studio, master, date=dt.date(YEAR, 5, 1), kind="exchange")
    round_ = _open(dev)
    _confirm(round_, dev, committee)
    before = Scorecard.objects.get(round=round_, studio=studio)
    line = next(li for li in before.snapshot["lines"] if li["key"] == "exchange_events")
    assert line["actual"] == "1" and before.snapshot["evidence"]["exchange_events"] == [record.pk]
    assert before.snapshot["plan"]["kind"] == "annual"
    for month in (6, 7, 8):
        activity(studio, master, date=dt.date(YEAR, month, 1), kind="exchange")
    with pytest.raises(ValidationError):
        services.recompute(round_, by=dev)
    after = Scorecard.objects.get(round=round_, studio=studio)
    assert (after.total, after.lines, after.snapshot, after.confirmed_grade) == (
        before.total, before.lines, before.snapshot, before.confirmed_grade,
    )  # fmt: skip


def test_excellent_gets_a_support_flag_and_the_committee_changes_a_grade_only_with_a_reason(dept, staff):
    dev, committee = staff
    best, _, _ = full_marks_studio(dept, "优秀技能大师工作室")
    others = [weak_studio(dept, f"其他{i}技能大师工作室")[0] for i in range(4)]
    round_ = _open(dev)
    services.submit_round(round_, by=dev)
    card = _card(round_, others[0])
    with pytest.raises(ValidationError, match="理由"):
        services.decide_grade(card, by=committee[0], grade=Grade.PASS)
    services.decide_grade(card, by=committee[0], grade=Grade.PASS, reason="年内承担重大任务，酌情认定合格")
    meet_and_vote(round_, committee[:2])
    services.confirm_round(round_, by=committee[0])
    assert SupportFlag.objects.filter(studio=best, year=YEAR).exists()
    assert _card(round_, others[0]).confirmed_grade == Grade.PASS
    assert Studio.objects.get(pk=others[0].pk).status == StudioStatus.ACTIVE
    assert Studio.objects.get(pk=others[1].pk).status == StudioStatus.REVOKED


def test_confirmation_needs_a_quorum_and_a_member_present(dept, staff):
    dev, committee = staff
    weak_studio(dept, "法定人数技能大师工作室")
    round_ = _open(dev)
    services.submit_round(round_, by=dev)
    with pytest.raises(WorkflowError, match="认定会议"):
        services.confirm_round(round_, by=committee[0])
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:1])
    with pytest.raises(WorkflowError, match="法定人数"):
        services.confirm_round(round_, by=committee[0])
    meet_and_vote(round_, committee[1:], held_on=dt.date(YEAR + 1, 3, 6))
    with pytest.raises(WorkflowError, match="未出席"):
        services.confirm_round(round_, by=committee[0])
    assert EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.SUBMITTED
    services.confirm_round(round_, by=committee[1])
    with pytest.raises(WorkflowError):
        services.confirm_round(round_, by=committee[1])


def test_evaluator_conflict_is_refused_in_chinese(dept, staff):
    dev, _ = staff
    studio, master, team = weak_studio(dept, "回避技能大师工作室")
    round_ = _open(dev)
    card = _card(round_, studio)
    same_department = UserFactory(department=dept)
    other = UserFactory(department=DepartmentFactory(code="EV2", name="其他系"))
    for user in (master, team[0], same_department):
        with pytest.raises(ValidationError, match="回避"):
            services.assign_evaluator(card, by=dev, evaluator=user)
    services.assign_evaluator(card, by=dev, evaluator=other)
    services.adjust(card, by=other, indicator_key="mentorships", score="1", basis="评分人调整")
    assigned, skipped = services.assign_to_round(round_, by=dev, evaluator=same_department)
    assert assigned == [] and skipped == [studio.official_name]


def test_round_takes_a_snapshot_of_active_studios_approved_by_year_end(dept, staff):
    dev, _ = staff
    old, _, _ = make_studio(dept, name="老技能大师工作室")
    new, _, _ = make_studio(dept, name="新技能大师工作室", since=dt.date(YEAR + 1, 1, 5))
    round_ = services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1))
    assert list(Scorecard.objects.filter(round=round_).values_list("studio_id", flat=True)) == [old.pk]
    with pytest.raises(ValidationError, match="不能重复"):
        services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1))
    with pytest.raises(PermissionDenied):
        services.create_round(by=UserFactory(), year=YEAR - 1, due_on=dt.date(YEAR, 3, 1))
