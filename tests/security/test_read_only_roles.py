"""Issue 8 defect 11: a person holding a read-only role (纪检办公室, 校领导) writes nothing but his own supervision work,
even when he is also a teacher (staff, implicit for every internal user) and holds another role (here: committee).

One rule, two places: `accounts.permissions.can()` refuses every non-read action to such a person (so every policy and
every view that asks it), and the write services call `require_write_access(by)` / `may_write_as()` (so the API and any
other caller of a service are refused the same way). Each test below failed before the rule.
"""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import can, forget_roles, is_read_only, may_write_as, write_roles_of
from applications import services
from applications.enums import ApplicationStatus, VoteChoice
from applications.models import Application, CommitteeMeeting, Objection, Publicity, Vote
from applications.tests import conftest as application_fixtures
from core.models import AuditEvent
from core.workflow import WorkflowError
from people import services as people_services
from people.models import Honor, HonorKind, WorkPeriod
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
# the application process' fixtures (a rubric, an open call)
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call
pdf_upload = application_fixtures.pdf_upload

REFUSED = (PermissionDenied, WorkflowError)
WORK = {"kind": "work", "enterprise_name": "某机械厂", "start": dt.date(2010, 1, 1), "end": dt.date(2014, 1, 1)}


def _honor_data():
    kind = HonorKind.objects.order_by("id").first()
    return {"kind": kind, "title": "市级技术能手", "level": "city", "date": dt.date(2020, 5, 1), "issuer": "市人社局"}


@pytest.fixture(params=[Role.INSPECTOR, Role.LEADERSHIP])
def supervisor_teacher(request, department):
    """A teacher of the applicant's department who also holds a read-only role and sits on the committee."""
    return UserFactory(
        username="K9100", display_name="兼任监督的教师", department=department, roles=[request.param, Role.COMMITTEE]
    )


def _writes():
    return AuditEvent.objects.exclude(action__in=["accounts.access.denied", "accounts.login.failed"]).count()


def test_read_only_role_wins_over_every_other_role(supervisor_teacher):
    assert is_read_only(supervisor_teacher)
    assert write_roles_of(supervisor_teacher) == frozenset()
    assert not may_write_as(supervisor_teacher, Role.STAFF, Role.COMMITTEE)


def test_own_honours_and_work_periods_refused_in_the_service(supervisor_teacher):
    before = _writes()
    with pytest.raises(PermissionDenied):
        people_services.create_honor(by=supervisor_teacher, user=supervisor_teacher, data=_honor_data())
    with pytest.raises(PermissionDenied):
        people_services.create_work_period(by=supervisor_teacher, user=supervisor_teacher, data=WORK)
    with pytest.raises(PermissionDenied):
        people_services.save_profile(by=supervisor_teacher, user=supervisor_teacher, data={"phone": "13800138000"})
    assert not Honor.objects.filter(user=supervisor_teacher).exists()
    assert not WorkPeriod.objects.filter(user=supervisor_teacher).exists()
    assert _writes() == before


def test_records_kept_before_the_role_cannot_be_changed_or_deleted(supervisor_teacher):
    """Records he entered as a plain teacher stay as they are once he holds the read-only role."""
    honor = Honor.objects.create(user=supervisor_teacher, **_honor_data())
    for action in ("change", "delete"):
        assert not can(supervisor_teacher, action, honor)
    assert can(supervisor_teacher, "view", honor)
    with pytest.raises(PermissionDenied):
        people_services.update_honor(honor, by=supervisor_teacher, data={"title": "改"})
    with pytest.raises(PermissionDenied):
        people_services.delete_honor(honor, by=supervisor_teacher)
    honor.refresh_from_db()
    assert honor.title == "市级技术能手"


def test_own_honours_refused_on_the_page_and_the_api(supervisor_teacher, login):
    client = login(supervisor_teacher)
    kind = HonorKind.objects.order_by("id").first()
    page = client.post(
        "/people/honors/new/",
        {"kind": kind.pk, "title": "市级技术能手", "level": "city", "date": "2020-05-01", "issuer": "市人社局"},
    )
    assert page.status_code == 403
    assert "只读" in page.content.decode()
    assert client.get("/people/work/new/").status_code == 403
    api = client.post(
        "/api/v1/people/honors",
        data=json.dumps(
            {"kind": kind.code, "title": "市级技术能手", "level": "city", "date": "2020-05-01", "issuer": "市人社局"}
        ),
        content_type="application/json",
    )
    assert api.status_code == 403
    api = client.post(
        "/api/v1/people/work-periods",
        data=json.dumps({"kind": "work", "enterprise_name": "某机械厂", "start": "2010-01-01", "end": "2014-01-01"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not Honor.objects.filter(user=supervisor_teacher).exists()
    assert not WorkPeriod.objects.filter(user=supervisor_teacher).exists()


def test_cannot_apply(supervisor_teacher, open_call, login):
    with pytest.raises(REFUSED):
        services.create_application(open_call, by=supervisor_teacher)
    response = login(supervisor_teacher).post(f"/applications/new/{open_call.pk}/")
    assert response.status_code in (302, 403)
    assert not Application.objects.filter(applicant=supervisor_teacher).exists()


def test_cannot_edit_or_submit_an_application_started_before_the_role(supervisor_teacher, open_call):
    """A draft created while he was a plain teacher: once he holds the read-only role it is frozen for him."""
    app = Application.objects.create(
        call=open_call, applicant=supervisor_teacher, department=supervisor_teacher.department
    )
    assert not can(supervisor_teacher, "edit", app)
    with pytest.raises(REFUSED):
        services.save_draft(app, by=supervisor_teacher, version=app.version, data={"occupation": "数控车工"})
    with pytest.raises(REFUSED):
        services.add_attachment(app, by=supervisor_teacher, kind="form_scan", uploaded_file=pdf_upload())
    with pytest.raises(REFUSED):
        services.submit_application(app, by=supervisor_teacher)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT and app.occupation == "" and not app.attachments.exists()


def test_cannot_object(supervisor_teacher, open_call, applicant, teaching_affairs):
    app = Application.objects.create(
        call=open_call, applicant=applicant, department=applicant.department, status=ApplicationStatus.IN_PUBLICITY
    )
    now = timezone.now()
    publicity = Publicity.objects.create(
        call=open_call,
        title="公示",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=3),
        days=3,
        working_days=True,
        published_by=teaching_affairs,
    )
    Application.objects.filter(pk=app.pk).update(publicity=publicity)
    with pytest.raises(REFUSED):
        services.lodge_objection(publicity, app, by=supervisor_teacher, content="异议内容")
    assert not Objection.objects.exists()


def test_cannot_vote_even_when_present_on_the_committee(supervisor_teacher, open_call, applicant, teaching_affairs):
    app = Application.objects.create(
        call=open_call, applicant=applicant, department=applicant.department, status=ApplicationStatus.REVIEWED
    )
    meeting = CommitteeMeeting.objects.create(
        call=open_call, title="审议", held_on=timezone.localdate(), quorum=1, created_by=teaching_affairs
    )
    meeting.members_present.add(supervisor_teacher)
    meeting.agenda.add(app)
    assert not can(supervisor_teacher, "vote", meeting)
    with pytest.raises(REFUSED):
        services.cast_vote(meeting, app, by=supervisor_teacher, choice=VoteChoice.FOR)
    assert not Vote.objects.exists()
    # nor can teaching affairs seat him as a voting member of a new meeting
    with pytest.raises(Exception, match="不是学术委员会委员"):
        services.create_meeting(
            by=teaching_affairs,
            call=open_call,
            title="审议二",
            held_on=timezone.localdate(),
            members_present=[supervisor_teacher],
            agenda=[app],
            quorum=1,
        )


def test_the_rule_follows_the_role_not_the_person(department):
    """Granting the read-only role takes the writes away; revoking it gives them back (no stale cache)."""
    teacher = UserFactory(department=department)
    assert may_write_as(teacher, Role.STAFF)
    teacher.role_assignments.create(role=Role.INSPECTOR)
    forget_roles(teacher)
    assert not may_write_as(teacher, Role.STAFF)
    teacher.role_assignments.filter(role=Role.INSPECTOR).delete()
    forget_roles(teacher)
    assert may_write_as(teacher, Role.STAFF)


def test_reads_stay_open(supervisor_teacher, applicant):
    assert can(supervisor_teacher, "view", applicant)
    assert not can(supervisor_teacher, "change", applicant)
