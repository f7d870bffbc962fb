"""Issue 14: the first CAS/LDAP sign-on of a 工号 the platform does not know, with CAS_CREATE_UNKNOWN=1, creates one
disabled account for 人事部. 8 processes sign on as the same new 工号 at the same instant (a double click, two tabs):
exactly one account, created once, disabled, with one accounts.sso.account_created event — and no process sees an
error (the losers find the winner's account). SQLite and PostgreSQL."""

import pytest

from core.models import AuditEvent

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 4


def _prepare(n):
    return [(i, [0]) for i in range(n)]


def _username(round_no):
    return f"NEW{round_no:03d}"


def _sign_on(round_no, _actor):
    from accounts.cas import CasAssertion, CasBackend
    from core.workflow import WorkflowError

    assertion = CasAssertion(user=_username(round_no), ticket=f"ST-race-{round_no}", attributes={"cn": "新教师"})
    try:
        CasBackend().authenticate(None, username=assertion.staff_no, cas_assertion=assertion)
    except Exception as exc:  # the expected refusal: "账户待人事部启用"
        message = str(exc)
        if "待人事部" in message:
            raise WorkflowError(message, code="created") from None
        if "已停用" in message:  # a later process found the account another one has just created, still disabled
            raise WorkflowError(message, code="disabled") from None
        raise


def _check(round_no):
    from accounts.models import User

    users = list(User.objects.filter(username=_username(round_no)).values_list("is_active", "display_name"))
    problems = [] if users == [(False, "新教师")] else [f"{_username(round_no)}: {users}"]
    events = AuditEvent.objects.filter(action="accounts.sso.account_created", object_repr__contains=_username(round_no))
    if events.count() != 1:
        problems.append(f"{_username(round_no)}: {events.count()} account_created events")
    return problems


CASE = RaceCase("sso.first_sign_on", _prepare, _sign_on, _check)


def test_concurrent_first_sign_ons_create_one_disabled_account(settings):
    settings.CAS_SERVER_URL = "http://127.0.0.1:9/cas"  # never contacted: the assertion is given directly
    settings.CAS_CREATE_UNKNOWN = True
    settings.CAS_NAME_ATTRIBUTE = "cn"
    rounds, outcomes = run_race(CASE, ROUNDS)
    problems = []
    for round_no, _ in rounds:
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        # every process is refused (the account waits for 人事部); none errs, whichever found it already created
        if any(r not in ("refused:created", "refused:disabled") for r in results) or "refused:created" not in results:
            problems.append(f"round {round_no}: {results}")
        problems += _check(round_no)
    assert AuditEvent.objects.filter(action="accounts.sso.account_created").count() == ROUNDS
    assert not problems, "\n".join(problems[:20])
