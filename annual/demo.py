"""Demo rows (manage.py seed_demo): the demo studio of T2001 刘洋 has its report on last year written, submitted on
time, checked by the head of 电气工程系 H2001 and received by 教学工作部 J0001, with up to 3 of its confirmed
achievements of that year nominated; another studio (if the demo has one) has a draft. Everything goes through
annual.services (audited, workflow). Idempotent: a studio that already has a report on the year is left alone."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from studios.models import Studio

from . import services
from .models import AnnualReport, ReportStatus

TEXT = {
    "achievements_summary": (
        "全年完成工业机器人离线编程课程包建设，开展校内技能培训 6 期、培训学生 186 人次；"
        "与合作企业共建示范产线 1 条，承接企业技术服务 3 项。"
    ),
    "highlights": "以真实产线项目为载体开展“名师带徒”，师徒共同完成企业工艺改进。",
    "problems": "企业实践时间分散，骨干教师下企业累计时间不足；下年度按学期集中安排。",
    "next_year_plan": "建成智能产线运维实训模块；指导学生参加市级技能竞赛；申报市级技能大师工作室。",
}
DRAFT = {"achievements_summary": "（草稿）年度主要工作与成效正在整理中。"}


def seed_demo(password):
    year = services.reporting_year()
    master = User.objects.filter(username="T2001").first()
    head = User.objects.filter(username="H2001").first()
    office = User.objects.filter(username="J0001").first()
    studio = Studio.objects.filter(master=master, status="active").order_by("pk").first() if master else None
    ready = studio is not None and studio.approved_on.year <= year and head and office
    if ready and not AnnualReport.objects.filter(studio=studio, year=year).exists():
        landmarks = list(services.eligible_landmarks(studio.pk, year).order_by("date").values_list("pk", flat=True))
        report = services.save_report(by=master, studio=studio, year=year, data=TEXT, landmarks=landmarks[:3])
        on_time = timezone.make_aware(dt.datetime.combine(services.due_date(year) - dt.timedelta(days=11), dt.time(10)))
        services.submit_report(report, by=master, now=min(timezone.now(), on_time))
        if studio.department_id == head.department_id:
            services.decide_report(report, ReportStatus.CHECKED, by=head, note="内容完整，同意。")
            services.decide_report(report, ReportStatus.RECEIVED, by=office, note="")
    other = (
        Studio.objects.filter(status="active", approved_on__year__lte=year)
        .exclude(master=master)
        .select_related("master")
        .order_by("pk")
        .first()
    )
    if other is not None and not AnnualReport.objects.filter(studio=other, year=year).exists():
        services.save_report(by=other.master, studio=other, year=year, data=DRAFT)
