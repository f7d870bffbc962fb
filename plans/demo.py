"""Demo rows (manage.py seed_demo): the demo studio (master T2001) gets an approved 建设方案 covering this year and this
year's approved 年度工作计划, both taken through the real review (audited). Idempotent: skipped when present."""

from django.utils import timezone

from accounts.models import User
from studios.models import Studio

from . import services
from .enums import PlanKind, PlanStatus
from .models import Plan


def _approve(plan, master, head, office):
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    services.move(plan, PlanStatus.DEPT_REVIEWED, by=head, note="目标明确、任务可行，同意报教学工作部。")
    services.move(plan, PlanStatus.APPROVED, by=office, note="同意。")


def seed_demo(password):
    users = {u.username: u for u in User.objects.filter(username__in=["T2001", "H2001", "J0001"])}
    studio = Studio.objects.filter(master=users.get("T2001"), status="active").order_by("pk").first()
    if studio is None or len(users) < 3:
        return
    master, head, office = users["T2001"], users["H2001"], users["J0001"]
    this_year = timezone.localdate().year
    start = min(studio.approved_on.year, this_year)
    for year in {start, this_year}:
        services.ensure_indicator_set(year)
    if not Plan.objects.filter(studio=studio, kind=PlanKind.CONSTRUCTION).exists():
        plan = services.create_plan(studio, by=master, kind=PlanKind.CONSTRUCTION, year=start, term_years=3)
        services.update_plan(
            plan,
            by=master,
            data={
                "goals": "三年内建成市级示范性技能大师工作室：培养骨干教师 3 名、徒弟 9 名，形成工业机器人应用技术攻关团队。",
                "expected_outputs": "校本教材 2 部、实训项目 6 个、企业技术攻关项目 3 项、专利 2 项。",
            },
            tasks=[
                {
                    "title": "组建攻关团队并签订师徒协议",
                    "owner_id": master.pk,
                    "due_on": timezone.datetime(start, 6, 30).date(),
                    "expected_output": "师徒协议 3 份",
                }
            ],
        )
        _approve(plan, master, head, office)
    if not Plan.objects.filter(studio=studio, kind=PlanKind.ANNUAL, year=this_year).exists():
        plan = services.create_plan(studio, by=master, kind=PlanKind.ANNUAL, year=this_year)
        services.update_plan(
            plan,
            by=master,
            data={"goals": f"{this_year}年：开展社会培训 100 人次以上，完成 1 项企业技术攻关。"},
            tasks=[
                {
                    "title": "举办工业机器人操作社会培训班",
                    "owner_id": master.pk,
                    "due_on": timezone.datetime(this_year, 11, 30).date(),
                    "expected_output": "培训 100 人次",
                }
            ],
        )
        _approve(plan, master, head, office)
