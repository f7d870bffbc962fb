"""Race cases of the plans app: two approvals of one plan, approve vs return, two new versions of one plan."""

from core.models import AuditEvent, StatusChange

from .harness import RaceCase


def _world(n, status):
    import datetime as dt

    from accounts.enums import Role
    from plans.models import Plan, PlanTarget
    from plans.services import ensure_indicator_set
    from studios.models import Membership, Studio
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code="RACEP", name="并发方案系")
    offices = [UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS]) for _ in range(2)]
    master = UserFactory(department=department)
    studio = Studio.objects.create(
        source="registered",
        official_name="并发工作室",
        plaque_name="学校（并发）技能大师工作室",
        master=master,
        mode="school",
        department=department,
        document_number="并发〔2024〕1号",
        approved_on=dt.date(2024, 1, 1),
    )
    Membership.objects.create(studio=studio, user=master, role="master", joined_on=dt.date(2024, 1, 1))
    indicator_set = ensure_indicator_set(dt.date.today().year)
    plans = []
    for i in range(n):
        plan = Plan.objects.create(
            studio=studio, kind="annual", year=2000 + i, indicator_set=indicator_set, created_by=master, status=status
        )
        PlanTarget.objects.create(plan=plan, indicator=indicator_set.indicators.first(), target=1)
        plans.append(plan)
    return plans, offices, master


def _approve_prepare(n):
    plans, offices, _master = _world(n, "dept_reviewed")
    return [(p.pk, [u.pk for u in offices]) for p in plans]


def _approve_act(plan_pk, user_pk):
    from accounts.models import User
    from plans import services
    from plans.models import Plan

    services.move(Plan.objects.get(pk=plan_pk), "approved", by=User.objects.get(pk=user_pk), note="并发批准")


def _one_move_check(plan_pk):
    from plans.models import Plan

    status = Plan.objects.get(pk=plan_pk).status
    moves = StatusChange.objects.filter(machine="plan", object_id=str(plan_pk)).count()
    audit = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan_pk)).count()
    if status not in ("approved", "returned") or moves != 1 or audit != 1:
        return [f"status={status} moves={moves} audit={audit}"]
    return []


def _mixed_act(plan_pk, user_pk):
    """The first office approves, the second returns: one of the two decisions wins, never both."""
    from accounts.models import User
    from plans import services
    from plans.models import Plan

    user = User.objects.get(pk=user_pk)
    first = (
        User.objects.filter(role_assignments__role="teaching_affairs").order_by("pk").values_list("pk", flat=True)[0]
    )
    target = "approved" if user.pk == first else "returned"
    services.move(Plan.objects.get(pk=plan_pk), target, by=user, note="并发办理")


def _version_prepare(n):
    plans, _offices, master = _world(n, "approved")
    return [(p.pk, [master.pk]) for p in plans]


def _version_act(plan_pk, user_pk):
    from accounts.models import User
    from plans import services
    from plans.models import Plan

    services.new_version(Plan.objects.get(pk=plan_pk), by=User.objects.get(pk=user_pk), reason="并发变更")


def _version_check(plan_pk):
    from plans.models import Plan

    versions = Plan.objects.filter(supersedes_id=plan_pk).count()
    audit = AuditEvent.objects.filter(action="plans.plan.new_version", after__supersedes=plan_pk).count()
    return [] if versions == 1 and audit == 1 else [f"versions={versions} audit={audit}"]


CASES = [
    RaceCase("plan.approve", _approve_prepare, _approve_act, _one_move_check),
    RaceCase("plan.approve_vs_return", _approve_prepare, _mixed_act, _one_move_check),
    RaceCase("plan.new_version", _version_prepare, _version_act, _version_check),
]
