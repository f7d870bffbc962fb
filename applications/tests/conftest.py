"""Fixtures of the application process: a rubric, an open call, a complete application, more experts and members."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.enums import Role
from applications import services
from applications.enums import AttachmentKind, MemberRole
from applications.models import Application, Call, Rubric, RubricCriterion
from tests.factories import DepartmentFactory, MajorFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="申报表.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def rubric(db):
    rubric = Rubric.objects.create(name="2026年工作室评审标准")
    for order, (code, label, weight, top) in enumerate(
        [("master", "技能大师水平", 40, 10), ("team", "团队结构", 30, 10), ("plan", "工作计划与方向", 30, 10)]
    ):
        RubricCriterion.objects.create(rubric=rubric, code=code, label=label, weight=weight, max_score=top, order=order)
    return rubric


@pytest.fixture
def open_call(rubric, teaching_affairs):
    now = timezone.now()
    call = services.create_call(
        by=teaching_affairs,
        year=2026,
        title="2026年技能大师工作室申报",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rubric=rubric,
    )
    return services.open_call(call, by=teaching_affairs)


@pytest.fixture
def core_teachers(department):
    return [
        UserFactory(username=f"T90{i:02d}", display_name=f"骨干教师{i}", department=department) for i in range(11, 14)
    ]


@pytest.fixture
def major(department):
    return MajorFactory(department=department, code="M-NC", name="数控技术应用")


def fill_application(app, *, by, members, major, name="数控车工技能大师工作室"):
    """Complete every section of the form, attach the signed form scan, as the applicant would."""
    app = services.save_draft(
        app,
        by=by,
        version=app.version,
        data={
            "studio_name": name,
            "occupation": "数控车工",
            "mode": "school",
            "venue_school": "实训楼 A201",
            "basic_conditions": "数控车床 12 台，实训面积 300 平方米。",
            "support_measures": "系部每年安排专项经费。",
            "work_plan": "第一年完成团队组建与课程开发。",
            "main_directions": "数控加工工艺、技能竞赛指导。",
            "major_justification": "与数控技术应用专业强相关。",
            "attest_political": True,
            "attest_truthful": True,
        },
        majors=[major],
        members=[(u, MemberRole.CORE) for u in members],
    )
    services.add_attachment(app, by=by, kind=AttachmentKind.FORM_SCAN, uploaded_file=pdf_upload())
    return Application.objects.get(pk=app.pk)


def make_eligible(user, major):
    """Give `user` what R4–R7 read: a birth date (age 40 in 2026), 4 years in industry, a city-level 技术能手 with
    its certificate, and a teaching major."""
    from django.core.files.base import ContentFile

    from people.models import Honor, HonorKind, StaffProfile, WorkPeriod

    profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"birth_date": dt.date(1986, 5, 1)})
    profile.majors.add(major)
    WorkPeriod.objects.create(
        user=user, kind="work", enterprise_name="重庆机床集团", start=dt.date(2008, 7, 1), end=dt.date(2012, 6, 30)
    )
    honor = Honor(
        user=user,
        kind=HonorKind.objects.get(code="skill_master"),
        title="重庆市技术能手",
        level="city",
        date=dt.date(2020, 10, 1),
        issuer="重庆市人力资源和社会保障局",
        certificate_name="证书.pdf",
    )
    honor.certificate.save("证书.pdf", ContentFile(PDF_BYTES), save=False)
    honor.save()
    return user


@pytest.fixture
def eligible_applicant(applicant, major):
    return make_eligible(applicant, major)


@pytest.fixture
def draft(open_call, eligible_applicant):
    return services.create_application(open_call, by=eligible_applicant)


@pytest.fixture
def complete_draft(draft, applicant, core_teachers, major):
    return fill_application(draft, by=applicant, members=core_teachers, major=major)


@pytest.fixture
def experts(db):
    """Three experts from a third department (no conflict with the applicant's department)."""
    dept = DepartmentFactory(code="JJ", name="经济管理系")
    return [
        UserFactory(username=f"E91{i}", display_name=f"评审专家{i}", department=dept, roles=[Role.EXPERT])
        for i in range(1, 4)
    ]


@pytest.fixture
def committee(db):
    dept = DepartmentFactory(code="JC", name="基础部")
    return [
        UserFactory(username=f"C91{i}", display_name=f"学术委员{i}", department=dept, roles=[Role.COMMITTEE])
        for i in range(1, 6)
    ]


def reload(app):
    return Application.objects.select_related("call", "applicant", "department", "publicity").get(pk=app.pk)


class Clock:
    """Moves django.utils.timezone.now (used by every service and auto_now field) forward for time-window tests."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self._real_now = timezone.now
        self.offset = dt.timedelta(0)

    def advance(self, **delta):
        self.offset += dt.timedelta(**delta)
        real_now, offset = self._real_now, self.offset
        self._monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    def set(self, moment):
        self.offset = moment - self._real_now()
        self.advance()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


ORDER = ["submitted", "recommended", "under_review", "reviewed", "proposed", "in_publicity", "approved"]


@pytest.fixture
def walk(applicant, dept_head, teaching_affairs, experts, committee, clock):
    """walk(app, "proposed") drives `app` along the real path, as the real roles, up to the given state.
    For "approved" the clock jumps past the end of the publicity. Returns the application (and the studio via .studio)."""

    def _walk(app, target):
        for state in ORDER[: ORDER.index(target) + 1]:
            if state == "submitted":
                services.submit_application(app, by=applicant)
            elif state == "recommended":
                services.recommend_application(app, by=dept_head, opinion="同意推荐。", r7="pass", r8="pass")
            elif state == "under_review":
                services.assign_experts([app], experts[:2], by=teaching_affairs)
                services.move_application(app, "under_review", by=teaching_affairs)
            elif state == "reviewed":
                for a in app.assignments.select_related("expert"):
                    services.declare_no_conflict(a, by=a.expert)
                    services.submit_review(
                        a,
                        by=a.expert,
                        scores={"master": 9, "team": 8, "plan": 7},
                        comment="同意。",
                        recommendation="recommend",
                    )
                services.move_application(app, "reviewed", by=teaching_affairs)
            elif state == "proposed":
                meeting = services.create_meeting(
                    by=teaching_affairs,
                    call=Call.objects.get(pk=app.call_id),
                    title="学术委员会审议会",
                    held_on=timezone.localdate(),
                    members_present=committee,
                    agenda=[app],
                    quorum=5,
                )
                for member in committee:
                    services.cast_vote(meeting, app, by=member, choice="for")
                services.close_meeting(meeting, by=teaching_affairs)
            elif state == "in_publicity":
                services.publish_publicity(
                    by=teaching_affairs,
                    call=Call.objects.get(pk=app.call_id),
                    applications=[app],
                    starts_at=timezone.now(),
                    acknowledge_warning=True,
                )
            elif state == "approved":
                publicity = Application.objects.select_related("publicity").get(pk=app.pk).publicity
                clock.set(publicity.ends_at + dt.timedelta(minutes=5))
                services.approve_application(
                    app, by=teaching_affairs, document_number="渝工校发〔2026〕8号", approved_on=timezone.localdate()
                )
        return reload(app)

    return _walk
