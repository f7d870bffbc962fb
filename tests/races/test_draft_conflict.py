"""Two people (or two tabs) editing the same draft: the second save gets a clear "已被他人修改" and nothing is lost
silently — in a race of 8 processes and through the edit page and its autosave."""

import multiprocessing
import re

import pytest
from django.db import connections
from django.test import Client

from core.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
PROCESSES = 8


@pytest.fixture
def draft():
    from accounts.enums import Role
    from applications import services
    from applications.models import Rubric, RubricCriterion
    from tests.factories import DepartmentFactory, UserFactory

    dept = DepartmentFactory(code="DC", name="草稿并发系")
    ta = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    applicant = UserFactory(department=dept)
    rubric = Rubric.objects.create(name="草稿并发标准")
    RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=1, max_score=10)
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    call = services.create_call(
        by=ta,
        year=now.year,
        title="草稿并发批次",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rubric=rubric,
    )
    services.open_call(call, by=ta)
    return services.create_application(call, by=applicant)


def _save(app_pk, version, text, barrier, results):
    from applications.models import Application
    from applications.services import save_draft
    from core.workflow import WorkflowError

    connections.close_all()
    app = Application.objects.select_related("applicant").get(pk=app_pk)
    barrier.wait(timeout=30)
    try:
        save_draft(app, by=app.applicant, version=version, data={"work_plan": text})
        results.put(("ok", text))
    except WorkflowError as exc:
        results.put((exc.code, exc.message))
    except Exception as exc:
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()


def test_eight_editors_holding_the_same_version_one_wins(draft):
    from applications.models import Application

    version = draft.version
    saves_before = AuditEvent.objects.filter(action="applications.application.draft_saved").count()
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=_save, args=(draft.pk, version, f"编辑者{i}的计划", barrier, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in range(PROCESSES)]
    for worker in workers:
        worker.join(timeout=30)
    winners = [text for code, text in outcomes if code == "ok"]
    assert len(winners) == 1, outcomes
    losers = [msg for code, msg in outcomes if code != "ok"]
    assert all("该申报已被他人修改" in msg for msg in losers), losers
    app = Application.objects.get(pk=draft.pk)
    assert app.work_plan == winners[0] and app.version == version + 1
    assert AuditEvent.objects.filter(action="applications.application.draft_saved").count() == saves_before + 1


def _form(html):
    """The edit form's fields as the browser would post them."""
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    data.pop("csrfmiddlewaretoken", None)
    data["mode"] = "school"
    return data


def test_second_tab_gets_a_clear_message_and_nothing_is_lost(draft):
    from applications.models import Application

    first, second = Client(), Client()
    first.force_login(draft.applicant)
    second.force_login(draft.applicant)
    url = f"/applications/{draft.pk}/edit/"
    form_a = _form(first.get(url).content.decode())
    form_b = _form(second.get(url).content.decode())
    assert form_a["version"] == form_b["version"] == str(draft.version)

    saved = first.post(url, {**form_a, "work_plan": "第一个标签页的计划"}, follow=True)
    assert "已被他人修改" not in saved.content.decode()
    stale = second.post(url, {**form_b, "work_plan": "第二个标签页的计划"}, follow=True)
    assert "该申报已被他人修改" in stale.content.decode()
    app = Application.objects.get(pk=draft.pk)
    assert app.work_plan == "第一个标签页的计划" and app.version == draft.version + 1
    # The refused text is still in the second tab's form, so the person can copy it (not silently dropped).
    assert "第二个标签页的计划" in stale.content.decode()

    autosave = second.post(url, {**form_b, "work_plan": "自动保存"}, headers={"X-Autosave": "1"})
    assert autosave.status_code == 409 and "已被他人修改" in autosave.json()["message"]
    assert Application.objects.get(pk=draft.pk).work_plan == "第一个标签页的计划"
