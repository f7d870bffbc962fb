"""Demo data for `manage.py seed_demo` (idempotent): the 2026 rubric, an open 2026 call, and a draft application by
T1001 张明 with T1002–T1004 as core teachers (the signed form scan is still missing, so the pre-check shows it)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Major, User
from core.audit import log_action

from .enums import CallStatus, MemberRole
from .models import Application, Call, Rubric, RubricCriterion

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
    year = 2026
    tz = timezone.get_current_timezone()
    call, created = Call.objects.get_or_create(
        year=year,
        title=f"{year}年技能大师工作室申报",
        defaults={
            "opens_at": dt.datetime(year, 1, 1, 8, 0, tzinfo=tz),
            "closes_at": dt.datetime(year, 12, 31, 23, 59, tzinfo=tz),
            "policy_year": year,
            "rubric": rubric,
            "status": CallStatus.OPEN,
            "created_by": officer or User.objects.filter(is_superuser=True).first(),
        },
    )
    if created:
        log_action(actor=officer, action="applications.call.created", obj=call, note="seed_demo")
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
