"""Demo data for `manage.py seed_demo` (idempotent): the rubric; this year's call, open relative to today (from 30 days
ago to 60 days ahead, moved again when a later run finds it closed); a draft application by T1001 张明 with T1002–T1004
as core teachers (the signed form scan is still missing, so the pre-check shows it); and last year's call with the
approved 工业机器人 studio of T2001 刘洋, so 工作室 pages have a studio from the first start."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Major, User
from core.audit import log_action
from people.policy import ensure_policy_version

from . import hooks
from .enums import ApplicationStatus, CallStatus, MeetingStatus, MemberRole, VoteChoice
from .models import Application, Call, CommitteeMeeting, Rubric, RubricCriterion, Vote

RUBRIC = "2026年技能大师工作室评审标准"
CRITERIA = [
    ("master", "技能大师的技能水平与影响力", 30, 0, 10),
    ("team", "团队结构与骨干教师", 20, 0, 10),
    ("conditions", "基本条件与系部支持", 15, 0, 10),
    ("plan", "工作计划的可行性", 20, 0, 10),
    ("service", "服务企业与人才培养的预期成效", 15, 0, 10),
]


@transaction.atomic
def seed_demo(password):
    rubric, created = Rubric.objects.get_or_create(
        name=RUBRIC, defaults={"description": "专家按各项 0–10 分评分，按权重折算为百分制。"}
    )
    if created:
        for order, (code, label, weight, low, high) in enumerate(CRITERIA):
            RubricCriterion.objects.create(
                rubric=rubric, code=code, label=label, weight=weight, min_score=low, max_score=high, order=order
            )
        log_action(actor=None, action="applications.rubric.created", obj=rubric, note="seed_demo")
    officer = User.objects.filter(username="J0001").first()
    creator = officer or User.objects.filter(is_superuser=True).first()
    _approved_studio(rubric, officer, creator)
    _recognition_meeting(creator)
    call = _open_call(rubric, officer, creator)
    master = User.objects.filter(username="T1001").first()
    if master is None or Application.objects.filter(call=call, applicant=master).exists():
        return
    app = Application.objects.create(
        call=call,
        applicant=master,
        department_id=master.department_id,
        studio_name="数控车工技能大师工作室",
        occupation="数控车工",
        mode="school",
        venue_school="实训楼 A 区数控车间",
        basic_conditions="数控车床 16 台、五轴加工中心 1 台，实训面积 600 平方米。",
        support_measures="机械工程系每年安排专项经费，并为工作室提供独立工作场所。",
        work_plan="第一年组建团队、开发 2 门工学结合课程；第二年承接企业技术攻关项目；第三年指导学生参加市级以上技能大赛。",
        main_directions="数控加工工艺优化、精密零件加工、技能竞赛指导。",
        major_justification="技能大师长期从事数控车削加工，与数控技术应用专业核心课程强相关。",
        attest_political=True,
        attest_truthful=True,
    )
    app.majors.set(Major.objects.filter(code="JX01"))
    for username in ("T1002", "T1003", "T1004"):
        member = User.objects.filter(username=username).first()
        if member is not None:
            app.members.create(user=member, role=MemberRole.CORE)
    log_action(actor=master, action="applications.application.created", obj=app, note="seed_demo")


OPEN_DAYS_BEFORE, OPEN_DAYS_AFTER = 30, 60


def _open_call(rubric, officer, creator):
    """This year's demo call, open today whatever the date of the run."""
    now = timezone.now()
    year = timezone.localdate().year
    ensure_policy_version(year)
    opens_at = (now - dt.timedelta(days=OPEN_DAYS_BEFORE)).replace(hour=8, minute=0, second=0, microsecond=0)
    closes_at = (now + dt.timedelta(days=OPEN_DAYS_AFTER)).replace(hour=23, minute=59, second=0, microsecond=0)
    call, created = Call.objects.get_or_create(
        year=year,
        title=f"{year}年技能大师工作室申报",
        defaults={
            "opens_at": opens_at,
            "closes_at": closes_at,
            "policy_year": year,
            "rubric": rubric,
            "status": CallStatus.OPEN,
            "created_by": creator,
        },
    )
    if created:
        log_action(actor=officer, action="applications.call.created", obj=call, note="seed_demo")
    elif call.status != CallStatus.OPEN or not (call.opens_at <= now < call.closes_at):
        before = {"status": call.status, "opens_at": call.opens_at, "closes_at": call.closes_at}
        Call.objects.filter(pk=call.pk).update(status=CallStatus.OPEN, opens_at=opens_at, closes_at=closes_at)
        call.refresh_from_db()
        log_action(
            actor=officer,
            action="applications.call.changed",
            obj=call,
            before=before,
            after={"status": call.status, "opens_at": call.opens_at, "closes_at": call.closes_at},
            note="seed_demo：演示批次保持开放",
        )
    return call


def _recognition_meeting(creator):
    """The 学术委员会 meeting that recognised last year's approved studio (the five demo members voted for it; the
    inspector's attendance is recorded by oversight's demo). A finished round's record, created directly; once."""
    app = (
        Application.objects.select_related("call")
        .filter(applicant__username="T2001", status=ApplicationStatus.APPROVED)
        .first()
    )
    if app is None or creator is None or CommitteeMeeting.objects.filter(call=app.call).exists():
        return
    members = list(User.objects.filter(username__in=[f"C000{i}" for i in range(1, 6)]).order_by("username"))
    meeting = CommitteeMeeting.objects.create(
        call=app.call,
        title=f"{app.call.year}年技能大师工作室认定审议会",
        held_on=dt.date(app.call.year, 6, 20),
        quorum=min(5, len(members)),
        minutes="审议教学工作部提交的申报，表决通过，拟认定后公示。",
        status=MeetingStatus.CLOSED,
        created_by=creator,
    )
    meeting.members_present.set(members)
    meeting.agenda.set([app])
    Vote.objects.bulk_create(Vote(meeting=meeting, application=app, member=m, choice=VoteChoice.FOR) for m in members)
    log_action(actor=creator, action="applications.meeting.created", obj=meeting, note="seed_demo（往年认定审议会）")


def _approved_studio(rubric, officer, creator):
    """Last year's call and an application approved then (认定), with its Studio and memberships: the state a school
    is in after its first round. Created directly (seed data of a finished round), not replayed through the workflow."""
    master = User.objects.filter(username="T2001").first()
    if master is None or creator is None:
        return
    year = timezone.localdate().year - 1
    ensure_policy_version(year)
    tz = timezone.get_current_timezone()
    call, created = Call.objects.get_or_create(
        year=year,
        title=f"{year}年技能大师工作室申报",
        defaults={
            "opens_at": dt.datetime(year, 3, 1, 8, 0, tzinfo=tz),
            "closes_at": dt.datetime(year, 4, 30, 17, 0, tzinfo=tz),
            "policy_year": year,
            "rubric": rubric,
            "status": CallStatus.CLOSED,
            "created_by": creator,
        },
    )
    if created:
        log_action(actor=officer, action="applications.call.created", obj=call, note="seed_demo")
    if Application.objects.filter(call=call, applicant=master).exists():
        return
    approved_on = dt.date(year, 9, 15)
    app = Application.objects.create(
        call=call,
        applicant=master,
        department_id=master.department_id,
        status=ApplicationStatus.APPROVED,
        studio_name="工业机器人技能大师工作室",
        occupation="工业机器人系统运维员",
        mode="school",
        venue_school="智能制造实训中心二楼",
        basic_conditions="六轴工业机器人工作站 8 套、智能产线 1 条，实训面积 450 平方米。",
        support_measures="电气工程系每年安排专项经费，配备专职实训管理员。",
        work_plan="第一年建成机器人离线编程课程包；第二年与企业共建示范产线；第三年培养市级技能竞赛获奖选手。",
        main_directions="工业机器人编程与调试、智能产线运维、竞赛指导。",
        major_justification="技能大师长期从事工业机器人系统集成，与工业机器人技术应用专业核心课程强相关。",
        attest_political=True,
        attest_truthful=True,
        submitted_at=dt.datetime(year, 4, 10, 10, 0, tzinfo=tz),
        document_number=f"渝工校〔{year}〕27号",
        approved_on=approved_on,
    )
    app.majors.set(Major.objects.filter(code="DQ03"))
    log_action(actor=master, action="applications.application.created", obj=app, note="seed_demo（往年已认定）")
    hooks.approved(app, by=officer or creator)  # the studio (studios registers the handler)
