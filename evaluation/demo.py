"""Demo rows (manage.py seed_demo): last year's 年度考核, confirmed. Five studios registered as approved before last
year (历史登记 by 教学工作部 J0001, with 3 core teachers each) take part with the demo studios already there: one meets
every target of its approved annual plan with confirmed, evidenced activities (优秀, support flag), others get partial
scores, one submitted its annual report late (capped at 良好). Their annual plans (plans.services: drafted, submitted,
checked, approved) and annual reports (annual.services: written, submitted — on 20 January, or on 3 February for the
late one —, checked, received) go through the services; only a plan's approval date is moved back to the start of its
year (see _plan_and_records). 发改室 D0001 organises, scores and submits; the committee (C0001–C0004 present of six)
meets, votes (three 同意, one 不同意 with its reason) and confirms. Every step through the services (audited).
Idempotent: nothing is done when last year's round exists. No demo studio is revoked: each has its annual report."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, User
from annual import services as annual_services
from annual.models import AnnualReport, ReportStatus
from core.audit import log_action
from ledger import services as ledger_services
from ledger.demo import demo_photo
from ledger.enums import ActivityKind, AttachmentKind
from ledger.models import Activity
from plans import services as plan_services
from plans.actuals import indicators_for
from plans.enums import PlanKind, PlanStatus
from plans.models import Plan
from plans.services import ensure_indicator_set
from studios import services as studio_services
from studios.enums import MembershipRole
from studios.models import Studio

from . import services
from .enums import Grade, VoteDecision
from .models import EvaluationRound, Scorecard

# (studio name, master name, exchange events done of 2 planned, report late)
STUDIOS = (
    ("焊接技术技能大师工作室", "冉师傅", 2, False),
    ("模具制造技能大师工作室", "蒋师傅", 1, False),
    ("汽车维修技能大师工作室", "谭师傅", 2, True),
    ("电梯安装维修技能大师工作室", "黎师傅", 1, False),
    ("工业机器人运维技能大师工作室", "罗师傅", 2, False),  # not the applications demo's 工业机器人…
)


def _user(username, name, department, password):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=name, department=department,
                    email=f"{username.lower()}@school.example")  # fmt: skip
        user.set_password(password)
        user.save()
        log_action(actor=None, action="accounts.user.created", obj=user, note="seed_demo")
    return user


def _studio(i, name, master_name, department, office, approved_on, password):
    studio = Studio.objects.filter(official_name=name).first()
    if studio is not None:
        return studio
    master = _user(f"T3{i}00", master_name, department, password)
    members = [
        studio_services.MemberInput(user=_user(f"T3{i}0{n}", f"{master_name[0]}骨干{n}", department, password),
                                    role=MembershipRole.CORE)
        for n in range(1, 4)
    ]  # fmt: skip
    reg = studio_services.Registration(
        official_name=name, document_number=f"渝工校〔{approved_on.year}〕{30 + i}号", approved_on=approved_on,
        master=master, department=department, mode="school", venue_school="实训中心", members=members,
    )  # fmt: skip
    return studio_services.register_studio(reg, by=office, note="年度考核演示数据")


def _head_of(studio):
    return User.objects.filter(
        role_assignments__role=Role.DEPT_HEAD, role_assignments__department_id=studio.department_id, is_active=True
    ).first()


def _plan_and_records(studio, year, done, office):
    """The approved annual plan of `year` through plans.services (created, targets set, submitted, checked by the
    department, approved by 教学工作部 — each audited), then `done` exchange activities through ledger.services."""
    master = User.objects.get(pk=studio.master_id)
    head = _head_of(studio)
    plan = plan_services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=year)
    targets = {"exchange_events": 2, "plan_and_meetings": 1}
    plan_services.update_plan(
        plan,
        by=master,
        data={"goals": f"{year}年：开展技术交流活动 2 次，按期完成年度计划和例会。"},
        targets={i.pk: targets.get(i.key, 0) for i in indicators_for(year)},
    )
    plan_services.move(plan, PlanStatus.SUBMITTED, by=master)
    plan_services.move(plan, PlanStatus.DEPT_REVIEWED, by=head or office, note="目标明确，同意报教学工作部。")
    plan_services.move(plan, PlanStatus.APPROVED, by=office, note="同意。")
    # The review ran today; the demo's plan was approved at the start of its year. Only the approval date is moved
    # back (the service stamps today and has no way to backdate it); status, history and audit are the service's.
    Plan.objects.filter(pk=plan.pk).update(approved_on=dt.date(year, 1, 20))
    for n in range(done):
        # through ledger.services, as every write: created, photographed, submitted and confirmed, each audited
        record = ledger_services.create_record(
            Activity,
            studio=studio,
            by=master,
            data={"date": dt.date(year, 4 + n * 3, 12), "title": f"技术交流活动{n + 1}", "kind": ActivityKind.EXCHANGE,
                  "hours": Decimal("3"), "participants": 30, "description": "", "place": "school", "place_detail": ""},
        )  # fmt: skip
        photo = SimpleUploadedFile(
            f"IMG_{n}.jpg", demo_photo(f"技术交流活动{n + 1}", seed=n), content_type="image/jpeg"
        )
        ledger_services.add_attachment(record, by=master, kind=AttachmentKind.PHOTO, upload=photo)
        ledger_services.submit_record(record, by=master)
        record.refresh_from_db()
        if head is not None:
            ledger_services.confirm_record(record, by=head, note="佐证材料齐全，确认。")


def _report(studio, year, late, office):
    """The studio's annual report on `year` through annual.services: written and submitted by the master on 20 January
    (on time) or 3 February (late: annual.services marks it 逾期提交 — submit_report takes the submission time), then
    checked by the department head and received by 教学工作部 when there is a head. Skipped when the studio already
    has a report on the year (the annual demo's)."""
    if AnnualReport.objects.filter(studio=studio, year=year).exists():
        return
    master = User.objects.get(pk=studio.master_id)
    text = "按年度计划完成各项任务。"
    report = annual_services.save_report(
        by=master, studio=studio, year=year,
        data={"achievements_summary": text, "highlights": text, "problems": "无。", "next_year_plan": text},
    )  # fmt: skip
    at = timezone.make_aware(dt.datetime(year + 1, 2 if late else 1, 3 if late else 20, 10))
    annual_services.submit_report(report, by=master, now=at)
    head = _head_of(studio)
    if head is not None and head.pk != master.pk:
        annual_services.decide_report(report, ReportStatus.CHECKED, by=head, note="已审核。")
        annual_services.decide_report(report, ReportStatus.RECEIVED, by=office, note="已接收。")


def seed_demo(password):
    dev = User.objects.filter(username="D0001").first()
    office = User.objects.filter(username="J0001").first()
    committee = list(User.objects.filter(username__in=["C0001", "C0002", "C0003", "C0004"]).order_by("username"))
    year = timezone.localdate().year - 1
    if dev is None or office is None or len(committee) < 4 or EvaluationRound.objects.filter(year=year).exists():
        return
    ensure_indicator_set(year)
    department = Department.objects.filter(code="JX").first() or Department.objects.order_by("pk").first()
    approved_on = dt.date(year - 2, 9, 1)
    built = []
    for i, (name, master_name, done, late) in enumerate(STUDIOS, start=1):
        studio = _studio(i, name, master_name, department, office, approved_on, password)
        if not Plan.objects.filter(studio=studio, kind=PlanKind.ANNUAL, year=year).exists():
            _plan_and_records(studio, year, done, office)
        _report(studio, year, late, office)
        built.append(studio)
    round_ = services.create_round(
        by=dev, year=year, due_on=dt.date(year + 1, 3, 15), title=f"{year}年度技能大师工作室考核"
    )
    for studio in Studio.objects.filter(scorecards__round=round_).exclude(pk__in=[s.pk for s in built]):
        _report(studio, year, False, office)  # the platform's other demo studios reported on time
    round_ = services.start_round(round_, by=dev)
    second = Scorecard.objects.get(round=round_, studio=built[4])
    services.adjust(second, by=dev, indicator_key="mentorships", score="4",
                    basis="师徒结对协议中1份缺少企业盖章，按一半计分。")  # fmt: skip
    round_ = services.submit_round(round_, by=dev, note="按建设方案与年度计划完成情况拟定等级。")
    for card in Scorecard.objects.filter(round=round_, proposed_grade=Grade.FAIL):
        services.decide_grade(card, by=committee[0], grade=Grade.PASS,
                              reason="演示：已提交年度报告并完成主要任务，委员会酌情认定为合格。")  # fmt: skip
    # the meeting after the decisions: its members vote on the grades as they now are (a later decision would set
    # the votes aside)
    services.record_meeting(round_, by=committee[0], held_on=dt.date(year + 1, 3, 20), members=committee,
                            minutes="审议发改室提交的年度考核拟定等级，表决通过。")  # fmt: skip
    for member in committee[:-1]:
        services.cast_vote(round_, by=member, decision=VoteDecision.AGREE)
    services.cast_vote(round_, by=committee[-1], decision=VoteDecision.DISAGREE,
                       reason=f"「{built[2].official_name}」年度报告逾期提交，建议评为合格。")  # fmt: skip
    services.confirm_round(round_, by=committee[0], note="经学术委员会审议，认定本年度考核结果。")
