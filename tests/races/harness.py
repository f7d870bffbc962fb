"""Race harness: N forked processes hit the same action on the same object, round after round.

A race case is one entry in RACES (test_transitions.py): how to make a fresh object for a round, who acts, and what
the action is. The workers are forked once and meet at a Barrier before every round, so each round is a real race.
"""

import multiprocessing
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections

PROCESSES = 8


@dataclass(frozen=True)
class RaceCase:
    name: str
    # prepare(n) → list of n (object pk, [actor pk per process]) made in the parent, one per round
    prepare: Callable
    # act(object pk, actor pk) runs in a worker; returns normally on success, raises WorkflowError when refused
    act: Callable
    # check(object pk) → list of problems (history rows, audit events…) for one round after the race
    check: Callable


def _worker(case, rounds, slot, barrier, results):
    from core.workflow import WorkflowError

    connections.close_all()
    try:
        for round_no, (obj_pk, actor_pks) in enumerate(rounds):
            barrier.wait(timeout=60)
            try:
                case.act(obj_pk, actor_pks[slot % len(actor_pks)])
                results.put((round_no, "ok"))
            except WorkflowError as exc:
                results.put((round_no, f"refused:{exc.code}"))
            except Exception as exc:  # anything else is what a user would see as a 500
                results.put((round_no, f"error:{type(exc).__name__}:{exc}:{traceback.format_exc(limit=3)}"))
    finally:
        connections.close_all()


def run_race(case, rounds_count, processes=PROCESSES):
    """Race case.act `processes` times per round for `rounds_count` rounds; return {round: [outcomes]} and rounds."""
    rounds = case.prepare(rounds_count)
    connections.close_all()  # forked children must not inherit the parent's connection
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(processes)
    results = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(case, rounds, slot, barrier, results)) for slot in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = {}
    for _ in range(processes * rounds_count):
        round_no, outcome = results.get(timeout=300)
        outcomes.setdefault(round_no, []).append(outcome)
    for worker in workers:
        worker.join(timeout=60)
    return rounds, outcomes
