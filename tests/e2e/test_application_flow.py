"""The whole recognition process in a real browser, each step by the person whose job it is:
a teacher fills 我的资历 and runs the pre-check, applies; the department head recommends; two experts score; the
committee votes; publicity runs with one objection lodged and dismissed; approval creates the studio.

Set-up that is not part of the story (the HR-maintained birth date, the call and its rubric, the people) is made
with the services; everything the story is about is clicked.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from tests.e2e.helpers import pick_member, watch_console
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _decide(page, choice, *, note=None, confirm=False):
    """The opinion box (issue 9 item 4): choose, give the reason, submit; an irreversible choice asks in a dialog."""
    box = page.get_by_test_id("decision-box")
    if choice:
        box.get_by_label(choice, exact=True).check()
    if note is not None:
        box.get_by_label("理由/意见").fill(note)
    box.get_by_role("button", name="提交办理意见").click()
    if confirm:
        page.get_by_role("button", name="确认办理").click()


@pytest.fixture
def cast():
    """The people of the story and the call they apply to."""
    from applications import services as app_services
    from applications.models import Rubric, RubricCriterion
    from people import services as people_services

    jx = DepartmentFactory(code="JX", name="机械工程系")
    other = DepartmentFactory(code="JJ", name="经济管理系")
    third = DepartmentFactory(code="JC", name="基础部")
    major = MajorFactory(department=jx, code="JX01", name="数控技术应用")
    people = {
        "teacher": UserFactory(username="T1001", display_name="张明", department=jx),
        "head": UserFactory(username="H1001", display_name="陈建国", department=jx, roles=[Role.DEPT_HEAD]),
        "ta": UserFactory(username="J0001", display_name="孙丽", department=None, roles=[Role.TEACHING_AFFAIRS]),
        "hr": UserFactory(username="R0001", display_name="林人事", department=None, roles=[Role.HR]),
        "expert1": UserFactory(username="E0001", display_name="吴教授", department=other, roles=[Role.EXPERT]),
        "expert2": UserFactory(username="E0002", display_name="郑工程师", department=other, roles=[Role.EXPERT]),
        "objector": UserFactory(username="T2001", display_name="刘洋", department=other),
    }
    people["core"] = [
        UserFactory(username=f"T10{i}", display_name=name, department=jx)
        for i, name in ((11, "李华"), (12, "王强"), (13, "赵磊"))
    ]
    people["committee"] = [
        UserFactory(username=f"C000{i}", display_name=name, department=third, roles=[Role.COMMITTEE])
        for i, name in ((1, "冯委员"), (2, "何委员"), (3, "许委员"))
    ]
    # HR keeps the birth date (R4 reads it); the teacher cannot type it in.
    people_services.save_profile(
        by=people["hr"], user=people["teacher"], data={"birth_date": dt.date(1986, 5, 1)}, majors=[major]
    )
    rubric = Rubric.objects.create(name="2026年工作室评审标准")
    for order, (code, label) in enumerate([("master", "技能大师水平"), ("team", "团队结构"), ("plan", "工作计划")]):
        RubricCriterion.objects.create(rubric=rubric, code=code, label=label, weight=1, max_score=10, order=order)
    now = timezone.now()
    call = app_services.create_call(
        by=people["ta"],
        year=now.year,
        title=f"{now.year}年技能大师工作室申报",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rubric=rubric,
    )
    people["call"] = app_services.open_call(call, by=people["ta"])
    people["major"] = major
    return people


class Story:
    """Switches the browser between the people of the story, as each would sign in."""

    def __init__(self, page, base, password, screenshot):
        self.page, self.base, self.password, self.shot = page, base, password, screenshot
        self.step = 0

    def as_(self, user):
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/accounts/login/")
        page.get_by_label("工号").fill(user.username)
        page.get_by_label("密码").fill(self.password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
        return page

    def go(self, path):
        self.page.goto(f"{self.base}{path}")
        return self.page

    def snap(self, name):
        self.step += 1
        self.shot(f"flow-{self.step:02d}-{name}")

    def ok(self):
        """The last action's flash message is a success, not an error."""
        expect(self.page.locator(".alert-danger")).to_have_count(0)


def test_teacher_to_studio(page, live_server, password, screenshot, cast, monkeypatch):
    from applications.models import Application, Objection
    from core.audit import verify_chain
    from core.models import StatusChange
    from studios.models import Studio

    story = Story(page, live_server.url, password, screenshot)
    teacher = cast["teacher"]
    console_errors = watch_console(page)

    # 1. The teacher fills 我的资历: a work period and an honour with its certificate, then the pre-check.
    story.as_(teacher)
    page.get_by_test_id("main-nav").get_by_role("link", name="我的资历").click()
    expect(page.get_by_role("heading", name="我的资历")).to_be_visible()
    page.get_by_test_id("work-table").locator("xpath=ancestor::section").get_by_role("link", name="添加").click()
    page.get_by_label("类型").select_option(label="企业工作经历")
    page.get_by_label("企业名称").fill("重庆机床集团有限责任公司")
    page.get_by_label("开始日期").fill("2008-07-01")
    page.get_by_label("结束日期").fill("2012-06-30")
    page.locator("input[type=file]").set_input_files(_pdf("劳动合同.pdf"))
    page.get_by_role("button", name="保存").click()
    story.ok()
    expect(page.get_by_test_id("work-table")).to_contain_text("重庆机床集团有限责任公司")
    page.get_by_test_id("honor-table").locator("xpath=ancestor::section").get_by_role("link", name="添加").click()
    page.get_by_label("类别").select_option(label="技术能手")
    page.get_by_label("荣誉/奖项名称").fill("重庆市技术能手")
    page.get_by_label("级别").select_option(label="市级")
    page.get_by_label("日期").fill("2020-10-01")
    page.get_by_label("颁发单位").fill("重庆市人力资源和社会保障局")
    page.locator("input[type=file]").set_input_files(_pdf("技术能手证书.pdf"))
    page.get_by_role("button", name="保存").click()
    story.ok()
    expect(page.get_by_test_id("honor-table")).to_contain_text("重庆市技术能手")
    story.snap("my-record")
    page.get_by_role("link", name="技能大师资格预审").click()
    expect(page.get_by_test_id("overall")).to_contain_text("可计算的条件均符合")
    story.snap("precheck")

    # 2. …and applies: a draft, the form filled, the signed form attached, submitted.
    story.go("/applications/")
    page.get_by_role("button", name=f"申报：{cast['call'].title}").click()
    page.get_by_label("拟申办工作室名称").fill("数控车工技能大师工作室")
    page.get_by_label("职业工种").fill("数控车工")
    page.get_by_label("相关专业").select_option(value=[str(cast["major"].pk)])
    page.get_by_label("与学校专业/课程的相关性说明").fill("与数控技术应用专业强相关。")
    page.get_by_label("校内主场地").fill("实训楼 A201")
    for member in cast["core"]:  # the member picker: type the 工号, choose the person
        pick_member(page, "骨干教师", member.username, member.display_name)
    page.get_by_label("工作室基本条件").fill("数控车床 12 台，实训面积 300 平方米。")
    page.get_by_label("系部支持措施").fill("系部每年安排专项经费。")
    page.get_by_label("工作计划").fill("第一年完成团队组建与课程开发。")
    page.get_by_label("主要工作方向").fill("数控加工工艺、技能竞赛指导。")
    page.get_by_label("本人承诺具有较好的政治素质").check()
    page.get_by_label("本人承诺所填信息及材料真实有效").check()
    page.get_by_role("button", name="保存").click()
    story.ok()
    page.get_by_label("材料类别").select_option(label="申报表（签字扫描件）")
    page.get_by_label("文件（PDF/JPG/PNG/DOCX）").set_input_files(_pdf("申报表签字版.pdf"))
    page.get_by_role("button", name="上传").click()
    story.ok()
    page.get_by_role("link", name="查看与提交").click()
    app = Application.objects.get(applicant=teacher)
    story.snap("draft-detail")
    _decide(page, "提交申报", confirm=True)
    story.ok()
    expect(page.get_by_test_id("status")).to_have_text("已提交（待系部审核）")

    # 3. The department head recommends.
    story.as_(cast["head"])
    story.go(f"/applications/{app.pk}/")
    box = page.get_by_test_id("decision-box")
    box.get_by_label("推荐", exact=True).check()
    box.locator("#id_r7_judgement_0").check()
    box.locator("#id_r8_judgement_0").check()
    _decide(page, None, note="同意推荐。")
    story.ok()
    expect(page.get_by_test_id("status")).to_have_text("系部已推荐")

    # 4. Teaching affairs assigns two experts and starts the review.
    story.as_(cast["ta"])
    story.go(f"/applications/{app.pk}/")
    page.get_by_label("评审专家").select_option(value=[str(cast["expert1"].pk), str(cast["expert2"].pk)])
    page.get_by_role("button", name="指派专家").click()
    story.ok()
    _decide(page, "开始专家评审")
    story.ok()
    expect(page.get_by_test_id("status")).to_have_text("专家评审中")

    # 5. Two experts declare no conflict and score.
    for expert, scores in ((cast["expert1"], (9, 8, 8)), (cast["expert2"], (8, 9, 7))):
        story.as_(expert)
        story.go("/applications/reviews/")
        page.get_by_role("link", name="声明利益冲突").first.click()
        page.get_by_role("button", name="确认无利益冲突，开始评审").click()
        story.ok()
        for label, score in zip(("技能大师水平", "团队结构", "工作计划"), scores, strict=True):
            page.get_by_label(label).fill(str(score))
        page.get_by_label("评审意见").fill("材料齐全，建议认定。")
        page.get_by_label("评审建议").select_option(value="recommend")
        page.get_by_role("button", name="提交评分").click()
        story.ok()
    story.snap("expert-scored")

    # 6. Teaching affairs ends the review and calls the committee.
    story.as_(cast["ta"])
    story.go(f"/applications/{app.pk}/")
    _decide(page, "结束专家评审")
    story.ok()
    story.go("/applications/calls/")
    page.get_by_role("link", name="组织审议").click()
    page.get_by_label("会议名称").fill("学术委员会第一次会议")
    page.get_by_label("会议日期").fill(timezone.localdate().isoformat())
    page.get_by_label("出席委员").select_option(value=[str(u.pk) for u in cast["committee"]])
    page.get_by_label("审议事项").select_option(value=[str(app.pk)])
    page.get_by_label("法定人数").fill("3")
    page.get_by_role("button").filter(has_text="创建").or_(page.get_by_role("button", name="保存")).first.click()
    story.ok()
    meeting_url = page.url

    # 7. The committee votes.
    for member in cast["committee"]:
        story.as_(member)
        page.goto(meeting_url)
        page.get_by_role("button", name="赞成").click()
        story.ok()

    # 8. Teaching affairs closes the vote, publishes the list.
    story.as_(cast["ta"])
    page.goto(meeting_url)
    page.get_by_role("button", name="结束表决并记录审议结果").click()
    story.ok()
    story.snap("committee-closed")
    app.refresh_from_db()
    assert app.status == "proposed", app.status
    story.go("/applications/calls/")
    page.get_by_role("link", name="发布公示").click()
    page.get_by_label("公示标题").fill("关于拟认定技能大师工作室的公示")
    page.get_by_label("公示开始时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("数控车工技能大师工作室", exact=True).check()  # 公示名单: every proposed one comes ticked
    if page.get_by_label("我已知悉日历提示，仍按推算结果发布").count():
        page.get_by_label("我已知悉日历提示，仍按推算结果发布").check()
    page.get_by_role("button").filter(has_text="发布").first.click()
    story.ok()
    publicity_url = page.url
    story.snap("publicity")

    # 9. A colleague objects; teaching affairs investigates and dismisses it.
    story.as_(cast["objector"])
    page.goto(publicity_url)
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("异议内容（事实与理由）").fill("申报人企业工作年限可能不足三年。")
    page.get_by_role("button").filter(has_text="提交").first.click()
    story.ok()
    objection = Objection.objects.get(application=app)
    story.as_(cast["ta"])
    story.go(f"/applications/objections/{objection.pk}/")
    page.get_by_role("button", name="开始调查").click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查情况与结论").fill("经核查劳动合同与社保记录，企业工作满四年，异议不成立。")
    page.get_by_role("button", name="记录调查结论").click()
    story.ok()
    objection.refresh_from_db()
    assert objection.status == "dismissed"

    # 10. After the publicity period, approval creates the studio.
    # The clock jumps past the 3 working days (the live server runs in this process, so it sees the same clock).
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(days=14))
    story.as_(cast["ta"])  # two weeks later: yesterday's session has expired
    page.goto(publicity_url)
    page.get_by_role("link", name="认定").click()
    page.get_by_label("认定发文文号").fill("渝工校〔2026〕12号")
    page.get_by_label("认定日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="认定并建立工作室").click()
    page.get_by_role("button", name="确认办理").click()  # 认定 cannot be undone: the dialog asks first
    story.ok()
    story.snap("approved")

    studio = Studio.objects.get(application=app)
    assert studio.master_id == teacher.pk and "数控车工技能大师工作室" in studio.official_name
    story.go("/studios/")
    expect(page.locator("main")).to_contain_text("数控车工技能大师工作室")
    story.snap("studio-list")
    path = list(
        StatusChange.objects.filter(object_id=str(app.pk), machine="application")
        .order_by("id")
        .values_list("to_state", flat=True)
    )
    assert path[-1] == "approved", path
    assert verify_chain()[1] is None
    assert console_errors == [], console_errors
