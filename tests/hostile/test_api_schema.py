"""schemathesis against /api/v1/openapi.json: every API operation with generated bodies and parameters, signed in by
a personal API token, a bounded number of examples each. No operation may answer 500.

The operations are read from the live schema, so a new API endpoint is fuzzed without touching this file.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db
EXAMPLES = 15


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    # Called straight through WSGI, each request would close the test's database connection (the test client
    # disconnects this handler the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(applicant, settings):
    from accounts.services import issue_api_token

    settings.API_TOKENS_FOR_EVERYONE = True  # the fuzzing signs in as a plain teacher (officer roles by default)
    _row, key = issue_api_token(by=applicant, name="schemathesis")
    return key


def test_api_operations_survive_generated_input(api_schema, api_token):
    from schemathesis.checks import not_a_server_error

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the OpenAPI schema lists no operation"
    tried, failures = [0], []

    def fuzz(operation):
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,  # the same examples on every run: a failure reproduces, CI does not flicker
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {api_token}"})
            tried[0] += 1
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # collect every failing operation, not just the first
                failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:300]}")

        run()

    for operation in operations:
        fuzz(operation)
    print(f"\nschemathesis：{len(operations)} 个 API 操作，{tried[0]} 个请求，失败 {len(failures)}")
    assert not failures, "\n".join(failures[:10])


# Paginated API lists whose huge ?offset= still reaches the database (a 500): known, reported to the owner.
# Remove an entry when it is fixed (the test then fails until you do, so the list stays true).
# Lists known to answer 500 on a huge ?offset= (none since every router uses core.pagination.BoundedPagination).
KNOWN_OFFSET_500 = {}


def test_paginated_lists_refuse_huge_limit_and_offset(api_schema, applicant):
    from django.db import transaction
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    lists = [
        op.path
        for op in (r.ok() for r in api_schema.get_all_operations())
        # lists under an object's path ({studio_id}…) need a real object: their bounds are the same Query types
        if op.method.upper() == "GET" and "offset" in {p.name for p in op.query} and "{" not in op.path
    ]
    assert lists, "no paginated API list found"
    failing = set()
    for path in lists:
        for query in ("limit=3313297075208183611392", "offset=99999999999999999999", "limit=-1", "offset=-5"):
            # a savepoint per request: on PostgreSQL a failed query aborts the test's transaction for what follows
            savepoint = transaction.savepoint_create()
            response = client.get(f"{path}?{query}")
            transaction.savepoint_rollback(savepoint)
            if response.status_code >= 500:
                failing.add(path)
            else:
                assert response.status_code in (200, 400, 422), (path, query, response.status_code)
    unknown = failing - set(KNOWN_OFFSET_500)
    fixed = set(KNOWN_OFFSET_500) & set(lists) - failing
    assert not unknown, f"500 on huge limit/offset: {sorted(unknown)}"
    assert not fixed, f"fixed — remove from KNOWN_OFFSET_500: {sorted(fixed)}"
    if failing:
        pytest.xfail(f"known defect, reported: huge ?offset= answers 500 on {sorted(failing)}")
