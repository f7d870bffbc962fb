"""Race cases of the application process (issue 4): approve, close a committee vote, resolve an objection.
Objects are made directly in the state each race starts from (the process itself is tested elsewhere)."""

import datetime as dt

from django.utils import timezone

from core.models import AuditEvent, StatusChange

from .harness import RaceCase


def _world(n, tag):
    from accounts.enums import Role
    from applications.models import Call, Publicity, Rubric, RubricCriterion
    from tests.factories import DepartmentFactory, UserFactory

    dept = DepartmentFactory(code=f"R{tag}", name=f"并发{tag}系")
    tas = [UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS]) for _ in range(2)]
    applicants = [UserFactory(department=dept) for _ in range(n)]
    rubric = Rubric.objects.create(name=f"并发标准{tag}")
    RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=1, max_score=10)
    now = timezone.now()
    call = Call.objects.create(
        year=now.year,
        title=f"并发批次{tag}",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
        policy_year=now.year,
        rubric=rubric,
        status="closed",
        created_by=tas[0],
    )
    publicity = Publicity.objects.create(
        call=call,
        title=f"并发公示{tag}",
        starts_at=now - dt.timedelta(days=10),
        ends_at=now - dt.timedelta(days=1),
        days=3,
        working_days=True,
        published_by=tas[0],
    )
    return dept, tas, applicants, call, publicity


def _applications(n, tag, status):
    from applications.models import Application

    dept, tas, applicants, call, publicity = _world(n, tag)
    apps = Application.objects.bulk_create(
        Application(
            call=call,
            applicant=u,
            department=dept,
            status=status,
            studio_name=f"并发{tag}{i}技能大师工作室",
            occupation="数控车工",
            submitted_at=call.closes_at,
            publicity=publicity if status == "in_publicity" else None,
        )
        for i, u in enumerate(applicants)
    )
    return apps, tas, call, publicity


def _one_change_one_audit(app_pk, verb):
    history = StatusChange.objects.filter(machine="application", object_id=str(app_pk)).count()
    audit = AuditEvent.objects.filter(action=f"applications.application.{verb}", object_id=str(app_pk)).count()
    return [] if history == audit == 1 else [f"application {app_pk}: history={history} audit({verb})={audit}"]


# --- approve (认定授牌): exactly one Studio ---------------------------------------------------------------------


def approve_prepare(n):
    apps, tas, _call, _publicity = _applications(n, "AP", "in_publicity")
    return [(a.pk, [t.pk for t in tas]) for a in apps]


def approve_act(app_pk, user_pk):
    from accounts.models import User
    from applications.models import Application
    from applications.services import approve_application

    approve_application(
        Application.objects.get(pk=app_pk),
        by=User.objects.get(pk=user_pk),
        document_number="渝工校〔2026〕1号",
        approved_on=timezone.localdate(),
    )


def approve_check(app_pk):
    from studios.models import Studio

    problems = _one_change_one_audit(app_pk, "approved")
    studios = Studio.objects.filter(application_id=app_pk).count()
    return problems + ([] if studios == 1 else [f"application {app_pk}: {studios} studios"])


# --- close a committee vote ----------------------------------------------------------------------------------


def close_prepare(n):
    from accounts.enums import Role
    from applications.models import CommitteeMeeting, Vote
    from tests.factories import UserFactory

    apps, tas, call, _publicity = _applications(n, "CV", "reviewed")
    members = [UserFactory(department=None, roles=[Role.COMMITTEE]) for _ in range(3)]
    rounds = []
    for app in apps:
        meeting = CommitteeMeeting.objects.create(
            call=call, title=f"并发审议{app.pk}", held_on=timezone.localdate(), quorum=3, created_by=tas[0]
        )
        meeting.members_present.set(members)
        meeting.agenda.add(app)
        Vote.objects.bulk_create(Vote(meeting=meeting, application=app, member=m, choice="for") for m in members)
        rounds.append((meeting.pk, [t.pk for t in tas]))
    return rounds


def close_act(meeting_pk, user_pk):
    from accounts.models import User
    from applications.models import CommitteeMeeting
    from applications.services import close_meeting

    close_meeting(CommitteeMeeting.objects.get(pk=meeting_pk), by=User.objects.get(pk=user_pk))


def close_check(meeting_pk):
    from applications.models import CommitteeMeeting

    meeting = CommitteeMeeting.objects.get(pk=meeting_pk)
    app = meeting.agenda.get()
    problems = (
        [] if meeting.status == "closed" and app.status == "proposed" else [f"meeting {meeting_pk}: {app.status}"]
    )
    closed = AuditEvent.objects.filter(action="applications.meeting.closed", object_id=str(meeting_pk)).count()
    problems += [] if closed == 1 else [f"meeting {meeting_pk}: {closed} closing events"]
    verb = app.WORKFLOW.transitions[("reviewed", "proposed")].verb
    return problems + _one_change_one_audit(app.pk, verb)


# --- resolve an objection --------------------------------------------------------------------------------------


def resolve_prepare(n):
    from applications.models import Objection
    from tests.factories import UserFactory

    apps, tas, _call, publicity = _applications(n, "OB", "in_publicity")
    objector = UserFactory()
    # under investigation (调查中): the conclusion is the raced move
    objections = Objection.objects.bulk_create(
        Objection(publicity=publicity, application=a, raised_by=objector, content="并发异议", status="investigating")
        for a in apps
    )
    return [(o.pk, [t.pk for t in tas]) for o in objections]


def resolve_act(objection_pk, user_pk):
    from accounts.models import User
    from applications.models import Objection
    from applications.services import resolve_objection

    resolve_objection(
        Objection.objects.get(pk=objection_pk), by=User.objects.get(pk=user_pk), upheld=False, findings="经核查不成立。"
    )


def resolve_check(objection_pk):
    from applications.models import Objection

    objection = Objection.objects.get(pk=objection_pk)
    events = AuditEvent.objects.filter(action="applications.objection.dismissed", object_id=str(objection_pk)).count()
    problems = [] if objection.status == "dismissed" else [f"objection {objection_pk}: {objection.status}"]
    return problems + ([] if events == 1 else [f"objection {objection_pk}: {events} audit events"])


# --- start investigating an objection (待调查 → 调查中): one winner, one history row, one audit event ----------------


def investigate_prepare(n):
    from applications.models import Objection
    from tests.factories import UserFactory

    apps, tas, _call, publicity = _applications(n, "IV", "in_publicity")
    objector = UserFactory()
    objections = Objection.objects.bulk_create(
        Objection(publicity=publicity, application=a, raised_by=objector, content="并发调查") for a in apps
    )
    return [(o.pk, [t.pk for t in tas]) for o in objections]


def investigate_act(objection_pk, user_pk):
    from accounts.models import User
    from applications.models import Objection
    from applications.services import start_investigation

    start_investigation(Objection.objects.get(pk=objection_pk), by=User.objects.get(pk=user_pk))


def investigate_check(objection_pk):
    from applications.models import Objection

    objection = Objection.objects.get(pk=objection_pk)
    events = AuditEvent.objects.filter(
        action="applications.objection.investigating", object_id=str(objection_pk)
    ).count()
    changes = StatusChange.objects.filter(machine="objection", object_id=str(objection_pk)).count()
    problems = [] if objection.status == "investigating" else [f"objection {objection_pk}: {objection.status}"]
    problems += [] if events == 1 else [f"objection {objection_pk}: {events} audit events"]
    return problems + ([] if changes == 1 else [f"objection {objection_pk}: {changes} history rows"])


# --- 撤回 (applicant) vs 审核推荐 (department head): exactly one wins ---------------------------------------------


def withdraw_prepare(n):
    from accounts.enums import Role
    from tests.factories import UserFactory

    apps, _tas, _call, _publicity = _applications(n, "WD", "submitted")
    head = UserFactory(department=apps[0].department, roles=[Role.DEPT_HEAD])
    # half the workers act as the applicant (withdraw), half as the department head (recommend)
    return [(a.pk, [a.applicant_id, head.pk]) for a in apps]


def withdraw_act(app_pk, user_pk):
    from accounts.models import User
    from applications.models import Application
    from applications.services import recommend_application, withdraw_application

    app = Application.objects.get(pk=app_pk)
    user = User.objects.get(pk=user_pk)
    if user.pk == app.applicant_id:
        withdraw_application(app, by=user, reason="并发撤回")
    else:
        recommend_application(app, by=user, opinion="并发推荐", r7="pass", r8="pass")


def withdraw_check(app_pk):
    from applications.models import Application

    app = Application.objects.get(pk=app_pk)
    verb = {"draft": "withdrawn", "recommended": "recommended"}.get(app.status)
    if verb is None:
        return [f"application {app_pk}: {app.status}"]
    problems = _one_change_one_audit(app_pk, verb)
    other = "recommended" if verb == "withdrawn" else "withdrawn"
    loser = AuditEvent.objects.filter(action=f"applications.application.{other}", object_id=str(app_pk)).count()
    if app.status == "draft" and (app.recommended_by_id or app.dept_opinion):
        problems.append(f"application {app_pk}: withdrawn but carries the recommendation")
    return problems + ([] if loser == 0 else [f"application {app_pk}: the losing move left {loser} audit event(s)"])


CASES = [
    RaceCase("application.approve", approve_prepare, approve_act, approve_check),
    RaceCase("application.withdraw_vs_recommend", withdraw_prepare, withdraw_act, withdraw_check),
    RaceCase("meeting.close_vote", close_prepare, close_act, close_check),
    RaceCase("objection.resolve", resolve_prepare, resolve_act, resolve_check),
    RaceCase("objection.investigate", investigate_prepare, investigate_act, investigate_check),
]
