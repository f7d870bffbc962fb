import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.enums import Role
from core.models import AuditEvent, StatusChange
from core.workflow import ConcurrentTransitionError, WorkflowError, history_for, transition
from tests.workflowapp.models import NOTIFIED, Ticket, TicketStatus

pytestmark = pytest.mark.django_db(transaction=False)
S = TicketStatus
MACHINE = Ticket.WORKFLOW


@pytest.fixture
def ticket(applicant, department):
    return Ticket.objects.create(title="数控车工技能大师工作室", owner=applicant, department=department)


def _rows(ticket):
    ct = ContentType.objects.get_for_model(Ticket)
    return (
        StatusChange.objects.filter(content_type=ct, object_id=str(ticket.pk)).count(),
        AuditEvent.objects.filter(object_type="workflowapp.ticket", object_id=str(ticket.pk)).count(),
    )


def test_legal_moves_write_history_and_audit(ticket, applicant, dept_head, django_capture_on_commit_callbacks):
    NOTIFIED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(ticket, S.SUBMITTED, by=applicant, note="请审核")
    assert ticket.status == S.SUBMITTED
    assert NOTIFIED == [(ticket.pk, S.SUBMITTED, applicant.pk)]
    transition(ticket, S.APPROVED, by=dept_head, note="同意推荐")
    ticket.refresh_from_db()
    assert ticket.status == S.APPROVED
    history = list(history_for(ticket))
    assert [(h.from_state, h.to_state, h.by_id, h.note) for h in history] == [
        (S.DRAFT, S.SUBMITTED, applicant.pk, "请审核"),
        (S.SUBMITTED, S.APPROVED, dept_head.pk, "同意推荐"),
    ]
    # each row reads its states in Chinese (the model's status choices), for every page's 办理记录
    assert [(h.from_label, h.to_label) for h in history] == [
        (S.DRAFT.label, S.SUBMITTED.label),
        (S.SUBMITTED.label, S.APPROVED.label),
    ]
    actions = list(AuditEvent.objects.filter(object_id=str(ticket.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["workflowapp.ticket.submitted", "workflowapp.ticket.approved"]


def test_illegal_move_has_chinese_reason_and_changes_nothing(ticket, dept_head):
    with pytest.raises(WorkflowError) as excinfo:
        transition(ticket, S.APPROVED, by=dept_head)
    assert str(excinfo.value) == "不能从「草稿」变为「已认定」"
    ticket.refresh_from_db()
    assert ticket.status == S.DRAFT
    assert _rows(ticket) == (0, 0)


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in S.values for t in S.values if (s, t) not in MACHINE.transitions],
)
def test_every_move_missing_from_the_table_is_refused(ticket, dept_head, source, target):
    Ticket.objects.filter(pk=ticket.pk).update(status=source)
    ticket.refresh_from_db()
    with pytest.raises(WorkflowError, match="不能从"):
        transition(ticket, target, by=dept_head)
    ticket.refresh_from_db()
    assert ticket.status == source
    assert _rows(ticket) == (0, 0)


def test_wrong_role_is_refused(ticket, applicant, outsider):
    transition(ticket, S.SUBMITTED, by=applicant)
    with pytest.raises(WorkflowError, match="系（部）主任") as excinfo:
        transition(ticket, S.APPROVED, by=outsider)
    assert excinfo.value.code == "role"
    ticket.refresh_from_db()
    assert ticket.status == S.SUBMITTED
    assert _rows(ticket) == (1, 1)


def test_dept_head_of_another_department_is_refused(ticket, applicant, other_dept_head):
    transition(ticket, S.SUBMITTED, by=applicant)
    with pytest.raises(WorkflowError, match="本系部"):
        transition(ticket, S.APPROVED, by=other_dept_head)
    ticket.refresh_from_db()
    assert ticket.status == S.SUBMITTED


def test_guard_refusal_names_the_reason(ticket, outsider):
    with pytest.raises(WorkflowError, match="只有申请人本人"):
        transition(ticket, S.SUBMITTED, by=outsider)


def test_read_only_roles_cannot_move(ticket, applicant, inspector):
    transition(ticket, S.SUBMITTED, by=applicant)
    with pytest.raises(WorkflowError):
        transition(ticket, S.APPROVED, by=inspector)


def test_stale_object_is_judged_on_the_current_state(ticket, applicant, dept_head):
    stale = Ticket.objects.get(pk=ticket.pk)
    transition(ticket, S.SUBMITTED, by=applicant)
    transition(ticket, S.APPROVED, by=dept_head)
    # `stale` still says draft in memory; the helper re-reads and refuses a second submission.
    with pytest.raises(WorkflowError, match="不能从「已认定」变为「已提交」"):
        transition(stale, S.SUBMITTED, by=applicant)


def test_conditional_update_refuses_when_state_changed_underneath(ticket, applicant, dept_head, monkeypatch):
    transition(ticket, S.SUBMITTED, by=applicant)
    original_check = MACHINE.check

    def check_then_someone_else_moves_it(obj, to, *, by, current=None):
        move = original_check(obj, to, by=by, current=current)
        Ticket.objects.filter(pk=obj.pk).update(status=S.REJECTED)
        return move

    monkeypatch.setattr(MACHINE, "check", check_then_someone_else_moves_it)
    with pytest.raises(ConcurrentTransitionError, match="已被他人处理"):
        transition(ticket, S.APPROVED, by=dept_head)
    assert _rows(ticket) == (1, 1)


def test_allowed_targets_lists_only_moves_the_actor_may_make(ticket, applicant, dept_head):
    assert MACHINE.allowed_targets(ticket, by=applicant) == [S.SUBMITTED]
    assert MACHINE.allowed_targets(ticket, by=dept_head) == []
    transition(ticket, S.SUBMITTED, by=applicant)
    assert sorted(MACHINE.allowed_targets(ticket, by=dept_head)) == sorted([S.RETURNED, S.APPROVED, S.REJECTED])


def test_machine_rejects_role_codes_that_do_not_exist():
    assert {str(r) for move in MACHINE.transitions.values() for r in move.roles} <= set(Role.values)


def test_a_machine_cannot_give_a_read_only_role_a_move():
    from django.core.exceptions import ImproperlyConfigured

    from core.workflow import Machine, Move

    with pytest.raises(ImproperlyConfigured, match="read-only"):
        Machine(
            name="bad",
            model=Ticket,
            transitions={(S.SUBMITTED, S.APPROVED): Move(roles=frozenset({Role.INSPECTOR}))},
        )
