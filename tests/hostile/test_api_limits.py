"""Every API schema, read from /api/v1/openapi.json (a new operation is covered without touching this file):

1. every text a request can carry has a maxLength (core.apitypes.model_text / text), every id a maximum
   (core.apitypes.Id / IdList), every list a maxItems;
2. each operation, sent over-long text per field, huge ids and NUL, refuses with 422 and a Chinese message —
   never a 500, never reaching the handler (so nothing is stored).
"""

import copy

import pytest

pytestmark = pytest.mark.django_db
HUGE = 2**64
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def openapi():
    from config.api import api

    return api.get_openapi_schema()


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if isinstance(node, dict) and "anyOf" in node:  # Optional[X] → X
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) == 1:
            return _resolve(schema, options[0])
    if isinstance(node, dict) and "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _json_body(openapi, operation):
    content = (operation.get("requestBody") or {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(openapi, content["application/json"]["schema"])


def _unbounded(openapi, node, where):
    """Names of the inputs under `node` that have no bound."""
    node = _resolve(openapi, node)
    kind = node.get("type")
    found = []
    if "enum" in node or node.get("format") in ("date", "date-time", "binary"):
        return found
    if kind == "string" and "maxLength" not in node:
        found.append(f"{where}: text without maxLength")
    elif kind == "integer" and where.rsplit(".", 1)[-1].endswith(("id", "ids", "[]")) and "maximum" not in node:
        found.append(f"{where}: id without maximum")
    elif kind == "array":
        if "maxItems" not in node:
            found.append(f"{where}: list without maxItems")
        found += _unbounded(openapi, node.get("items", {}), f"{where}[]")
    elif kind == "object" or "properties" in node:
        for name, prop in node.get("properties", {}).items():
            found += _unbounded(openapi, prop, f"{where}.{name}")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            keys = node.get("propertyNames", {})
            if "maxLength" not in keys:
                found.append(f"{where}: object keys without maxLength")
            found += _unbounded(openapi, extra, f"{where}{{}}")
    return found


def test_every_api_input_is_bounded(openapi):
    problems = []
    for path, method, operation in _operations(openapi):
        name = f"{method.upper()} {path}"
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                continue  # {int:pk}: Django's converter; huge values are tried below
            problems += _unbounded(openapi, parameter.get("schema", {}), f"{name} ?{parameter['name']}")
        body = _json_body(openapi, operation)
        if body is not None:
            problems += _unbounded(openapi, body, f"{name} body")
    assert not problems, "API inputs without a limit (use core.apitypes):\n" + "\n".join(problems)


def _sample(openapi, node):
    """A value of the right shape (not necessarily acceptable to the handler)."""
    node = _resolve(openapi, node)
    if "enum" in node:
        return node["enum"][0]
    kind, fmt = node.get("type"), node.get("format")
    if fmt == "date":
        return "2026-06-01"
    if fmt == "date-time":
        return "2026-06-01T09:00:00"
    if kind == "string":
        return "甲"
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object" or "properties" in node:
        return {name: _sample(openapi, prop) for name, prop in node.get("properties", {}).items()}
    return None


def _variants(openapi, body):
    """(label, payload) with one hostile value each: over-long text, NUL, huge id, huge id in a list."""
    base = _sample(openapi, body)
    for name, prop in body.get("properties", {}).items():
        prop = _resolve(openapi, prop)
        kind = prop.get("type")
        if kind == "string" and "maxLength" in prop and "enum" not in prop and not prop.get("format"):
            for label, value in (("over-long", "長" * (prop["maxLength"] + 1)), ("NUL", "甲\x00乙")):
                payload = copy.deepcopy(base)
                payload[name] = value
                yield f"{name} {label}", payload
        elif kind == "integer" and "maximum" in prop:
            payload = copy.deepcopy(base)
            payload[name] = HUGE
            yield f"{name} huge", payload
        elif kind == "array" and _resolve(openapi, prop.get("items", {})).get("type") == "integer":
            payload = copy.deepcopy(base)
            payload[name] = [HUGE]
            yield f"{name} huge item", payload


def _url(path, pk=1):
    import re

    return re.sub(r"\{[^}]+\}", str(pk), path)


def test_hostile_bodies_and_huge_ids_are_refused_with_422_never_500(openapi, applicant, client):
    from django.db import transaction

    client.force_login(applicant)
    failures, tried = [], 0
    for path, method, operation in _operations(openapi):
        call = getattr(client, method)
        body = _json_body(openapi, operation)
        requests = []
        if body is not None:
            requests += [(label, _url(path), payload) for label, payload in _variants(openapi, body)]
        if "{" in path:
            requests.append(("huge path id", _url(path, HUGE), _sample(openapi, body) if body else None))
        for label, url, payload in requests:
            savepoint = transaction.savepoint_create()  # PostgreSQL: a failed query must not poison the next
            response = call(url) if payload is None else call(url, payload, content_type="application/json")
            transaction.savepoint_rollback(savepoint)
            tried += 1
            name = f"{method.upper()} {path} [{label}]"
            if response.status_code >= 500:
                failures.append(f"{name}: {response.status_code}")
            elif label != "huge path id":
                detail = response.json().get("detail", "") if response.status_code == 422 else ""
                if response.status_code != 422 or not any("\u4e00" <= ch <= "\u9fff" for ch in str(detail)):
                    failures.append(f"{name}: {response.status_code} {str(detail)[:80]}")
            elif response.status_code not in (404, 422, 403, 405):
                failures.append(f"{name}: {response.status_code}")
    assert tried > 20
    assert not failures, "\n".join(failures)
