"""8 processes race the same status change against one database (file-based SQLite or PostgreSQL)."""

import multiprocessing

import pytest
from django.db import connections

from core.models import AuditEvent, StatusChange
from tests.workflowapp.models import Ticket, TicketStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
PROCESSES = 8
ROUNDS = 5


def _approve(ticket_pk, user_pk, barrier, results):
    from accounts.models import User
    from core.workflow import WorkflowError, transition

    connections.close_all()
    user = User.objects.get(pk=user_pk)
    ticket = Ticket.objects.get(pk=ticket_pk)
    barrier.wait(timeout=30)
    try:
        transition(ticket, TicketStatus.APPROVED, by=user, note="并发审批")
        results.put("ok")
    except WorkflowError as exc:
        results.put(f"refused:{exc.code}")
    except Exception as exc:  # any other error is a failure of the race test
        results.put(f"error:{type(exc).__name__}:{exc}")
    finally:
        connections.close_all()


def test_status_change_raced_by_8_processes_changes_once(applicant, dept_head, department):
    ctx = multiprocessing.get_context("fork")
    for _ in range(ROUNDS):
        ticket = Ticket.objects.create(
            title="并发测试", owner=applicant, department=department, status=TicketStatus.SUBMITTED
        )
        connections.close_all()
        barrier = ctx.Barrier(PROCESSES)
        results = ctx.Queue()
        workers = [
            ctx.Process(target=_approve, args=(ticket.pk, dept_head.pk, barrier, results)) for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        outcomes = [results.get(timeout=5) for _ in range(PROCESSES)]
        assert outcomes.count("ok") == 1, outcomes
        assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.APPROVED
        assert StatusChange.objects.filter(object_id=str(ticket.pk), machine="ticket").count() == 1
        assert AuditEvent.objects.filter(object_id=str(ticket.pk), action="workflowapp.ticket.approved").count() == 1
