"""批量确认 through the API under concurrency (POST /api/v1/ledger/batch-confirm): 8 processes, signed in as two heads
of the studio's department, act on the same submitted record at the same instant — all batch-confirming it, or
batch confirms alternating with returns (POST …/return). Exactly one move wins each round: one status change, one
review audit event, a consistent record; every other request is answered (200 with the record refused, or 409),
never a 500. SQLite (file DB) and PostgreSQL alike."""

import json

import pytest
from django.conf import settings
from django.test import Client

from .harness import PROCESSES, RaceCase, run_race
from .test_ledger_review import _check_reviewed_once, _heads_and_studio, _submitted

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 6
BATCH = "/api/v1/ledger/batch-confirm"


def _session_key(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _prepare(pattern, tag):
    def prepare(n):
        heads, studio, master = _heads_and_studio(tag)
        keys = [_session_key(head) for head in heads]
        actors = [(keys[slot % 2], pattern[slot % len(pattern)]) for slot in range(PROCESSES)]
        return [(_submitted(studio, master, i).pk, actors) for i in range(n)]

    return prepare


def _act(record_pk, actor):
    from core.workflow import WorkflowError

    key, action = actor
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    if action == "batch":
        body = {"items": [{"kind": "activities", "id": record_pk}]}
        response = client.post(BATCH, json.dumps(body), content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"batch confirm answered {response.status_code}: {response.content[:300]!r}")
        result = response.json()
        if [c["id"] for c in result["confirmed"]] == [record_pk] and not result["refused"]:
            return
        if not result["confirmed"] and [r["id"] for r in result["refused"]] == [record_pk]:
            raise WorkflowError(result["refused"][0]["reason"], code="refused")
        raise RuntimeError(f"inconsistent batch result {result}")
    response = client.post(
        f"/api/v1/ledger/activities/{record_pk}/return",
        json.dumps({"reason": "并发退回：请补充签到表"}),
        content_type="application/json",
    )
    if response.status_code == 200:
        return
    if response.status_code == 409:
        raise WorkflowError(response.json()["detail"], code="state")
    raise RuntimeError(f"return answered {response.status_code}: {response.content[:300]!r}")


BATCHES = RaceCase("ledger.api_batch_confirm_twice", _prepare(["batch"], "AB"), _act, _check_reviewed_once)
MIXED = RaceCase("ledger.api_batch_confirm_vs_return", _prepare(["batch", "return"], "AR"), _act, _check_reviewed_once)


@pytest.mark.parametrize("case", [BATCHES, MIXED], ids=lambda c: c.name)
def test_one_review_wins_each_round(case):
    from ledger.models import Activity

    rounds, outcomes = run_race(case, ROUNDS)
    assert len(outcomes) == ROUNDS
    problems = []
    for round_no, (record_pk, _actors) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        errors = [r for r in results if r.startswith("error:")]
        if results.count("ok") != 1 or errors:
            problems.append(f"round {round_no}: {results}")
        problems += [f"round {round_no}: {p}" for p in case.check(record_pk)]
        record = Activity.objects.get(pk=record_pk)
        if case is BATCHES and record.status != "confirmed":
            problems.append(f"round {round_no}: only batch confirms, record ended {record.status}")
    assert not problems, "\n".join(problems[:20])
