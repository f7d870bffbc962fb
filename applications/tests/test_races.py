"""8 processes race the final approval (认定) of one application: exactly one Studio is created."""

import datetime as dt
import multiprocessing

import pytest
from django.db import connections
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application, Publicity
from core.models import AuditEvent, StatusChange
from studios.models import Studio

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
PROCESSES = 8


def _approve(app_pk, user_pk, barrier, results):
    from accounts.models import User
    from applications.services import approve_application
    from core.workflow import WorkflowError

    connections.close_all()
    user = User.objects.get(pk=user_pk)
    app = Application.objects.get(pk=app_pk)
    barrier.wait(timeout=30)
    try:
        approve_application(app, by=user, document_number="渝工校〔2026〕9号", approved_on=timezone.localdate())
        results.put("ok")
    except WorkflowError as exc:
        results.put(f"refused:{exc.code}")
    except Exception as exc:  # any other error is a failure of the race test
        results.put(f"error:{type(exc).__name__}:{exc}")
    finally:
        connections.close_all()


def test_final_approval_raced_by_8_processes_creates_one_studio(complete_draft, teaching_affairs, open_call):
    # Put the application at the end of its publicity (state set directly: this test is about the last step only).
    now = timezone.now()
    publicity = Publicity.objects.create(
        call=open_call,
        title="公示",
        starts_at=now - dt.timedelta(days=10),
        ends_at=now - dt.timedelta(days=1),
        days=3,
        working_days=True,
        published_by=teaching_affairs,
    )
    Application.objects.filter(pk=complete_draft.pk).update(status=S.IN_PUBLICITY, publicity=publicity)
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_approve, args=(complete_draft.pk, teaching_affairs.pk, barrier, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    outcomes = [results.get(timeout=5) for _ in range(PROCESSES)]
    assert outcomes.count("ok") == 1, outcomes
    assert all(o.startswith("refused:") for o in outcomes if o != "ok"), outcomes
    assert Studio.objects.filter(application_id=complete_draft.pk).count() == 1
    assert Application.objects.get(pk=complete_draft.pk).status == S.APPROVED
    assert (
        StatusChange.objects.filter(
            object_id=str(complete_draft.pk), machine="application", to_state="approved"
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="studios.studio.created").count() == 1
