"""8 processes × 200 mixed writes (create, update, workflow move with its history and audit rows, audit-only event):
zero "database is locked" and zero lost writes. Meant for SQLite (WAL + BEGIN IMMEDIATE); runs on PostgreSQL too."""

import multiprocessing

import pytest
from django.db import connections

from core.models import AuditEvent, StatusChange

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
PROCESSES = 8
WRITES = 200


def _writer(slot, owner_pk, head_pk, barrier, results):
    from django.db import transaction

    from accounts.models import User
    from core.audit import log_action
    from core.workflow import transition
    from tests.workflowapp.models import Ticket, TicketStatus

    connections.close_all()
    owner = User.objects.get(pk=owner_pk)
    head = User.objects.get(pk=head_pk)
    done, failures = 0, []
    barrier.wait(timeout=60)
    ticket = None
    for i in range(WRITES):
        try:
            kind = i % 4
            if kind == 0 or ticket is None:
                with transaction.atomic():
                    ticket = Ticket.objects.create(
                        title=f"写入{slot}-{i}", owner=owner, department_id=owner.department_id
                    )
                    log_action(actor=owner, action="workflowapp.ticket.created", obj=ticket)
            elif kind == 1:
                with transaction.atomic():
                    Ticket.objects.filter(pk=ticket.pk).update(title=f"改名{slot}-{i}")
                    log_action(actor=owner, action="workflowapp.ticket.renamed", obj=ticket)
            elif kind == 2:
                transition(Ticket.objects.get(pk=ticket.pk), TicketStatus.SUBMITTED, by=owner)
            else:
                transition(Ticket.objects.get(pk=ticket.pk), TicketStatus.APPROVED, by=head)
            done += 1
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    connections.close_all()
    results.put((slot, done, failures))


def test_mixed_concurrent_writes_never_hit_database_is_locked():
    from accounts.enums import Role
    from tests.factories import DepartmentFactory, UserFactory
    from tests.workflowapp.models import Ticket, TicketStatus

    department = DepartmentFactory(code="MIX", name="混合写入系")
    owner = UserFactory(department=department)
    head = UserFactory(department=department, roles=[Role.DEPT_HEAD])
    audit_before = AuditEvent.objects.count()
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_writer, args=(slot, owner.pk, head.pk, barrier, results)) for slot in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=600) for _ in range(PROCESSES)]
    for worker in workers:
        worker.join(timeout=60)
    failures = [f for _, _, fs in reports for f in fs]
    locked = [f for f in failures if "locked" in f.lower()]
    print(f"{PROCESSES}×{WRITES} 次混合写入：失败 {len(failures)}，其中 database is locked {len(locked)}")
    assert not locked, locked[:5]
    assert not failures, failures[:5]
    assert sum(done for _, done, _ in reports) == PROCESSES * WRITES
    tickets_per_writer = WRITES // 4
    assert Ticket.objects.filter(department=department).count() == PROCESSES * tickets_per_writer
    assert Ticket.objects.filter(department=department, status=TicketStatus.APPROVED).count() == (
        PROCESSES * tickets_per_writer
    )
    assert StatusChange.objects.filter(machine="ticket").count() == 2 * PROCESSES * tickets_per_writer
    # each writer: 50 created + 50 renamed + 50 submitted + 50 approved events
    assert AuditEvent.objects.count() - audit_before == PROCESSES * WRITES
    from core.audit import verify_chain

    assert verify_chain()[1] is None
