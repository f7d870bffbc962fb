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
def api_token(applicant):
    from accounts.services import issue_api_token

    _row, key = issue_api_token(by=applicant, name="schemathesis")
    return key


def test_api_operations_survive_generated_input(api_schema, api_token):
    from schemathesis.checks import not_a_server_error

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the OpenAPI schema lists no operation"
    tried, failures = [0], []
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def run(case, operation=operation):
            response = case.call(headers={"Authorization": f"Bearer {api_token}"})
            tried[0] += 1
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # collect every failing operation, not just the first
                failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:300]}")

        run()
    print(f"\nschemathesis：{len(operations)} 个 API 操作，{tried[0]} 个请求，失败 {len(failures)}")
    assert not failures, "\n".join(failures[:10])
