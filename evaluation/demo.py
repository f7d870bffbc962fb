"""Demo rows (manage.py seed_demo): last year's 年度考核, confirmed. Five studios registered as approved before last
year (历史登记 by 教学工作部 J0001, with 3 core teachers each) take part with the demo studios already there: one meets
every target of its approved annual plan with confirmed, evidenced activities (优秀, support flag), others get partial
scores, one submitted its annual report late (capped at 良好). 发改室 D0001 organises, scores and submits; the committee
(C0001–C0004 present of six) meets and confirms. Every step through the services (audited). Idempotent: nothing is
done when last year's round exists. No demo studio is revoked: each has its annual report."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, User
from annual.models import AnnualReport, ReportStatus
from core.audit import log_action
from ledger import services as ledger_services
from ledger.demo import demo_photo
from ledger.enums import ActivityKind, AttachmentKind
from ledger.models import Activity
from plans.actuals import indicators_for
from plans.enums import PlanKind, PlanStatus
from plans.models import Plan, PlanTarget
from plans.services import ensure_indicator_set
from studios import services as studio_services
from studios.enums import MembershipRole
from studios.models import Studio

from . import services
from .enums import Grade
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


def _plan_and_records(studio, year, done):
    indicators = indicators_for(year)
    plan = Plan.objects.create(
        studio=studio, kind=PlanKind.ANNUAL, year=year, status=PlanStatus.APPROVED,
        indicator_set=indicators[0].indicator_set, created_by_id=studio.master_id, approved_on=dt.date(year, 1, 20),
    )  # fmt: skip
    targets = {"exchange_events": 2, "plan_and_meetings": 1}
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, indicator=i, target=Decimal(targets.get(i.key, 0))) for i in indicators
    )
    master = User.objects.get(pk=studio.master_id)
    head = User.objects.filter(
        role_assignments__role=Role.DEPT_HEAD, role_assignments__department_id=studio.department_id
    ).first()
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


def _report(studio, year, late):
    at = timezone.make_aware(dt.datetime(year + 1, 2 if late else 1, 3 if late else 20, 10))
    AnnualReport.objects.get_or_create(
        studio=studio, year=year,
        defaults={"status": ReportStatus.RECEIVED, "submitted_at": at, "last_submitted_at": at, "late": late,
                  "created_by_id": studio.master_id, "achievements_summary": "按年度计划完成各项任务。"},
    )  # fmt: skip


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
            _plan_and_records(studio, year, done)
        _report(studio, year, late)
        built.append(studio)
    round_ = services.create_round(
        by=dev, year=year, due_on=dt.date(year + 1, 3, 15), title=f"{year}年度技能大师工作室考核"
    )
    for studio in Studio.objects.filter(scorecards__round=round_).exclude(pk__in=[s.pk for s in built]):
        _report(studio, year, False)  # the platform's other demo studios reported on time
    round_ = services.start_round(round_, by=dev)
    second = Scorecard.objects.get(round=round_, studio=built[4])
    services.adjust(second, by=dev, indicator_key="mentorships", score="4",
                    basis="师徒结对协议中1份缺少企业盖章，按一半计分。")  # fmt: skip
    round_ = services.submit_round(round_, by=dev, note="按建设方案与年度计划完成情况拟定等级。")
    services.record_meeting(round_, by=committee[0], held_on=dt.date(year + 1, 3, 20), members=committee,
                            minutes="审议发改室提交的年度考核拟定等级，同意。")  # fmt: skip
    for card in Scorecard.objects.filter(round=round_, proposed_grade=Grade.FAIL):
        services.decide_grade(card, by=committee[0], grade=Grade.PASS,
                              reason="演示：已提交年度报告并完成主要任务，委员会酌情认定为合格。")  # fmt: skip
    services.confirm_round(round_, by=committee[0], note="经学术委员会审议，认定本年度考核结果。")
