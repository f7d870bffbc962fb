"""Each anomaly rule flags its condition and not its near miss (oversight/flags.py, docs/oversight.md)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment
from applications.enums import AssignmentStatus, ObjectionStatus
from applications.models import Application, Objection, Publicity, ReviewAssignment
from applications.tests import conftest as application_fixtures
from archive.models import Addendum, YearArchive
from core.models import StatusChange
from funds.enums import ExpenditureStatus
from funds.models import Expenditure
from funds.tests.helpers import funded_studio
from ledger.enums import RecordStatus
from ledger.models import Activity
from ledger.tests.helpers import make_studio
from oversight import flags
from tests.factories import UserFactory

from .helpers import make_application

pytestmark = pytest.mark.django_db
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call


def _subjects(rule):
    return [f.subject for f in flags.RULE_FUNCTIONS[rule]()]


def _review(application, total, *, submitted_at=None, expert=None, by=None):
    expert = expert or UserFactory(roles=[Role.EXPERT])
    return ReviewAssignment.objects.create(
        application=application, expert=expert, assigned_by=by or expert, status=AssignmentStatus.SUBMITTED,
        total=Decimal(total), submitted_at=submitted_at or timezone.now(),
    )  # fmt: skip


def test_score_outlier(open_call, applicant, teaching_affairs):
    flagged = make_application(open_call, applicant, name="偏离申报")
    near = make_application(open_call, UserFactory(department=applicant.department), name="接近申报")
    for total in ("80", "82"):
        _review(flagged, total)
    odd = _review(flagged, "55", expert=UserFactory(display_name="偏离专家", roles=[Role.EXPERT]))  # 26 below 81
    for total in ("80", "82"):
        _review(near, total)
    _review(near, "61", expert=UserFactory(display_name="接近专家", roles=[Role.EXPERT]))  # 20 below 81: not > 20
    subjects = _subjects("score_outlier")
    assert subjects == [f"申报「偏离申报」· 专家 {odd.expert.display_name}"]


def test_score_outlier_needs_two_other_scores(open_call, applicant):
    app = make_application(open_call, applicant)
    _review(app, "90")
    _review(app, "40")
    assert _subjects("score_outlier") == []


def test_fresh_role_decision(open_call, applicant):
    app = make_application(open_call, applicant)
    content_type = ContentType.objects.get_for_model(Application)
    fresh = UserFactory(display_name="新任系主任", roles=[Role.DEPT_HEAD])
    seasoned = UserFactory(display_name="老系主任", roles=[Role.DEPT_HEAD])
    RoleAssignment.objects.filter(user=seasoned).update(created_at=timezone.now() - dt.timedelta(days=8))
    for user in (fresh, seasoned):
        StatusChange.objects.create(content_type=content_type, object_id=str(app.pk), machine="applications.application",
                                    from_state="submitted", to_state="recommended", by=user)  # fmt: skip
    flagged = flags.fresh_role_decisions()
    assert [f.subject.split("：")[0] for f in flagged] == ["新任系主任"]
    assert "系部已推荐" in flagged[0].reason  # the state's label, never its code


def test_late_review(open_call, applicant, teaching_affairs):
    open_call.review_deadline = timezone.now() - dt.timedelta(days=1)
    open_call.save(update_fields=["review_deadline"])
    app = make_application(open_call, applicant)
    late = _review(app, "80", expert=UserFactory(display_name="迟交专家", roles=[Role.EXPERT]))
    _review(app, "80", expert=UserFactory(display_name="按时专家", roles=[Role.EXPERT]),
            submitted_at=timezone.now() - dt.timedelta(days=2))  # fmt: skip
    assert _subjects("late_review") == [f"申报「{app.studio_name}」· 专家 {late.expert.display_name}"]


def test_archived_addendum(department, teaching_affairs):
    studio, master, _team = make_studio(department, name="有补充说明的工作室")
    quiet, _m, _t = make_studio(department, name="无补充说明的工作室")
    for s in (studio, quiet):
        YearArchive.objects.create(studio=s, year=2025, archived_at=timezone.now(), archived_by=teaching_affairs)
    Addendum.objects.create(studio=studio, year=2025, object_type="ledger.activity", object_id=1, object_title="活动",
                            reason="日期录错", text="实际为 3 月 5 日", created_by=master)  # fmt: skip
    assert _subjects("archived_addendum") == ["有补充说明的工作室 2025 年度：活动"]


def test_publicity_ended_with_pending_objection(open_call, applicant, teaching_affairs, outsider):
    app = make_application(open_call, applicant)
    now = timezone.now()

    def publicity(title, ends, status):
        p = Publicity.objects.create(call=open_call, title=title, starts_at=now - dt.timedelta(days=10), ends_at=ends,
                                     days=5, working_days=True, published_by=teaching_affairs)  # fmt: skip
        Objection.objects.create(publicity=p, application=app, raised_by=outsider, content="异议", status=status)

    publicity("已结束未处理", now - dt.timedelta(days=1), ObjectionStatus.INVESTIGATING)
    publicity("已结束已处理", now - dt.timedelta(days=1), ObjectionStatus.DISMISSED)
    publicity("仍在公示中", now + dt.timedelta(days=1), ObjectionStatus.OPEN)
    assert _subjects("publicity_pending") == ["已结束未处理"]


def test_split_spending(department, settings):
    settings.OVERSIGHT_APPROVAL_THRESHOLD = "5000"
    today = timezone.localdate()
    start = dt.date(today.year, 1, 10)
    split, master, _f, line = funded_studio(department, budget="90000.00", name="拆分支出的工作室")
    near, near_master, _f2, near_line = funded_studio(department, budget="90000.00", name="接近拆分的工作室")

    def spend(studio, who, budget_line, days, amount, status=ExpenditureStatus.SUBMITTED):
        Expenditure.objects.create(studio=studio, budget_line=budget_line, date=start + dt.timedelta(days=days),
                                   amount=Decimal(amount), payee="某商行", description="材料", status=status,
                                   created_by=who)  # fmt: skip

    for days, amount in ((0, "4600"), (10, "4999.99"), (29, "4500.00")):
        spend(split, master, line, days, amount)
    # near miss: two in the band within 30 days, a third 30 days after the first, one below 90 %, one draft
    for days, amount in ((0, "4600"), (10, "4700"), (30, "4800")):
        spend(near, near_master, near_line, days, amount)
    spend(near, near_master, near_line, 5, "4499.99")
    spend(near, near_master, near_line, 6, "4800", status=ExpenditureStatus.DRAFT)
    assert _subjects("split_spending") == ["拆分支出的工作室"]


def test_one_day_confirmations(department, dept_head):
    studio, master, _t = make_studio(department, name="一日确认的工作室")
    near, near_master, _t2 = make_studio(department, name="分散确认的工作室")
    other = UserFactory(roles=[Role.DEPT_HEAD])
    day = timezone.now() - dt.timedelta(days=3)

    def records(s, who, n, reviewer, at):
        Activity.objects.bulk_create(
            Activity(studio=s, date=dt.date(2025, 4, 1), title="活动", kind="exchange", status=RecordStatus.CONFIRMED,
                     created_by=who, reviewed_by=reviewer, reviewed_at=at)
            for _ in range(n)
        )  # fmt: skip

    records(studio, master, 8, dept_head, day)  # 8 of 10 = 80 %
    records(studio, master, 2, other, day - dt.timedelta(days=20))
    records(near, near_master, 7, dept_head, day)  # 7 of 10 = 70 %
    records(near, near_master, 3, other, day - dt.timedelta(days=20))
    flagged = flags.one_day_confirmations()
    assert [f.subject for f in flagged] == ["一日确认的工作室 2025 年度"]
    assert "8 条" in flagged[0].reason


def test_flag_page_and_api(login, client, inspector, applicant, department):
    studio, master, _t = make_studio(department, name="页面工作室")
    Addendum.objects.create(studio=studio, year=2025, object_type="ledger.activity", object_id=1, object_title="活动",
                            reason="更正", text="说明", created_by=master)  # fmt: skip
    page = login(inspector).get(reverse("oversight:flags"))
    assert page.status_code == 200 and "页面工作室 2025 年度：活动" in page.content.decode()
    data = client.get("/api/v1/oversight/flags/").json()
    assert [f["rule"] for f in data] == ["archived_addendum"]
    assert login(applicant).get(reverse("oversight:flags")).status_code == 403
    assert client.get("/api/v1/oversight/flags/").status_code == 403


def test_evaluator_who_is_a_studio_member(department, other_department, teaching_affairs, inspector):
    import datetime as _dt

    from evaluation.models import EvaluationMeeting, EvaluationRound, EvaluatorAssignment, Scorecard
    from oversight import services
    from studios.models import Membership

    evaluated, _m, _t = make_studio(department, name="被考核工作室")
    _other, _m2, team = make_studio(other_department, name="评分人所在工作室")
    former = team[1]
    Membership.objects.filter(user=former).update(left_on=_dt.date(2025, 1, 1))
    outsider = UserFactory(display_name="无关评分人")
    round_ = EvaluationRound.objects.create(year=2025, title="2025年度考核", due_on=_dt.date(2026, 3, 1),
                                            created_by=teaching_affairs)  # fmt: skip
    card = Scorecard.objects.create(round=round_, studio=evaluated)
    for user in (team[0], former, outsider):
        EvaluatorAssignment.objects.create(scorecard=card, evaluator=user, assigned_by=teaching_affairs)
    flagged = flags.evaluator_members()
    assert [f.subject for f in flagged] == [f"2025年度考核 · 评分人 {team[0].display_name}"]
    assert "评分人所在工作室" in flagged[0].reason
    # the inspector records his attendance at the round's evaluation meeting (generic meeting reference)
    meeting = EvaluationMeeting.objects.create(round=round_, held_on=_dt.date(2026, 3, 5), committee_size=5,
                                               created_by=teaching_affairs)  # fmt: skip
    row = services.record_attendance(by=inspector, kind_key="evaluation.evaluationmeeting", meeting_id=meeting.pk)
    assert row.meeting_date == _dt.date(2026, 3, 5) and row.meeting_repr.startswith("年度考核认定会议")


# --- fresh_role over votes, reviews and evaluation decisions: each source flags a fresh role, not one 8 days old ---


def _pair(role, fresh_name, old_name):
    """A person granted `role` now and one granted it 8 days ago (just outside the 7-day window)."""
    fresh = UserFactory(display_name=fresh_name, roles=[role])
    seasoned = UserFactory(display_name=old_name, roles=[role])
    RoleAssignment.objects.filter(user=seasoned).update(created_at=timezone.now() - dt.timedelta(days=8))
    return fresh, seasoned


def _fresh_names():
    return sorted(f.subject.split("：")[0] for f in flags.fresh_role_decisions())


def test_fresh_role_committee_vote(open_call, applicant, teaching_affairs):
    from applications.models import CommitteeMeeting, Vote

    app = make_application(open_call, applicant, name="表决申报")
    meeting = CommitteeMeeting.objects.create(call=open_call, title="认定审议会", held_on=timezone.localdate(),
                                              created_by=teaching_affairs)  # fmt: skip
    fresh, seasoned = _pair(Role.COMMITTEE, "新委员", "老委员")
    for member in (fresh, seasoned):
        Vote.objects.create(meeting=meeting, application=app, member=member, choice="for")
    [flag] = flags.fresh_role_decisions()
    assert flag.subject == "新委员：学术委员会表决票 · 申报「表决申报」"
    assert "表决「赞成」" in flag.reason and "for" not in flag.reason
    assert flag.url == reverse("applications:meeting_detail", args=[meeting.pk])


def test_fresh_role_expert_review(open_call, applicant, teaching_affairs):
    app = make_application(open_call, applicant, name="评审申报")
    fresh, seasoned = _pair(Role.EXPERT, "新专家", "老专家")
    for expert in (fresh, seasoned):
        _review(app, "80", expert=expert, by=teaching_affairs)
    # a review assigned to a fresh expert but not submitted is no decision
    unsubmitted = UserFactory(display_name="未提交专家", roles=[Role.EXPERT])
    ReviewAssignment.objects.create(application=app, expert=unsubmitted, assigned_by=teaching_affairs)
    assert _fresh_names() == ["新专家"]
    [flag] = flags.fresh_role_decisions()
    assert flag.url == reverse("applications:detail", args=[app.pk])


def _scorecard(department, officer):
    from evaluation.models import EvaluationRound, Scorecard

    studio, _master, _team = make_studio(department, name="考核工作室")
    round_ = EvaluationRound.objects.create(year=2025, title="2025年度考核", due_on=dt.date(2026, 3, 1),
                                            created_by=officer)  # fmt: skip
    return Scorecard.objects.create(round=round_, studio=studio)


def test_fresh_role_score_adjustment(department, teaching_affairs):
    from evaluation.models import Adjustment

    card = _scorecard(department, teaching_affairs)
    fresh, seasoned = _pair(Role.DEV_OFFICE, "新发改", "老发改")
    for user in (fresh, seasoned):
        Adjustment.objects.create(
            scorecard=card, indicator_key="mentorships", score=Decimal("4"), basis="依据", by=user
        )
    [flag] = flags.fresh_role_decisions()
    assert flag.subject == "新发改：考核评分调整 · 考核工作室 2025 年度"
    assert "mentorships" not in flag.reason  # the indicator's code is never shown
    assert flag.url == reverse("evaluation:scorecard", args=[card.pk])


def test_fresh_role_grade_decision(department, teaching_affairs):
    from core.audit import log_action

    card = _scorecard(department, teaching_affairs)
    fresh, seasoned = _pair(Role.COMMITTEE, "新认定委员", "老认定委员")
    for user in (fresh, seasoned):
        log_action(actor=user, action=flags.GRADE_DECIDED, obj=card, after={"grade": "pass"})
    # another action by the fresh member is no grade decision
    log_action(actor=fresh, action="evaluation.scorecard.viewed", obj=card)
    [flag] = flags.fresh_role_decisions()
    assert flag.subject.startswith("新认定委员：考核等级认定")
    assert flag.url == reverse("evaluation:scorecard", args=[card.pk])


def test_fresh_role_sources_are_one_statement_each(open_call, applicant, department, teaching_affairs):
    """Five statements whatever the number of flagged rows (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import CommitteeMeeting, Vote

    def grow(n, tag):
        meeting = CommitteeMeeting.objects.create(call=open_call, title=f"{tag}会", held_on=timezone.localdate(),
                                                  created_by=teaching_affairs)  # fmt: skip
        for i in range(n):
            app = make_application(open_call, UserFactory(department=applicant.department), name=f"{tag}申报{i}")
            member = UserFactory(roles=[Role.COMMITTEE, Role.EXPERT])
            Vote.objects.create(meeting=meeting, application=app, member=member, choice="against")
            _review(app, "70", expert=member, by=teaching_affairs)

    grow(1, "甲")
    with CaptureQueriesContext(connection) as one:
        assert len(flags.fresh_role_decisions()) == 2
    grow(4, "乙")
    with CaptureQueriesContext(connection) as many:
        assert len(flags.fresh_role_decisions()) == 10
    assert len(one.captured_queries) == len(many.captured_queries) == 5
