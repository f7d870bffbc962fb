"""Every URL pattern × every persona × own/other object, against the expectations in permission_matrix.csv.

Fails on: a URL pattern (or API method) with no row; any outcome that differs from the table (so an unexpected
success of a write, or another department's object reachable by id, fails); a denied write that still changed
something (an audit event other than the access-denied record); a table that lets inspector/leadership write.
Set PERMISSION_MATRIX_DUMP=1 to print the observed outcomes as CSV rows (a starting point for new rows — review them).

Speed (the slowest module of the suite): the world is built once for all personas (module fixture, one transaction
rolled back at the end; each persona runs in a savepoint of it and each row in one more, so every row still starts
from the same world); each persona signs in once and its client's cookies are restored after each row; the requests
to make are computed once; a row's audit writes are counted from the newest id instead of counting the table twice;
WeasyPrint is skipped (the template is still rendered). Every row and expectation is exercised as before.
"""

import copy
import fnmatch
import functools
import json
import os
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent

from .matrix import (
    BODIES,
    PERSONAS,
    PUBLIC_TARGETS,
    QUERIES,
    READ_ONLY_PERSONAS,
    REFUSALS,
    TARGETS,
    WRITE_METHODS,
    all_endpoints,
    build_world,
    classify,
    load_matrix,
    outcome_matches,
    prepare_targets,
    row_matches,
    uncovered,
)

ROWS = load_matrix()
IGNORED_AUDIT = {"accounts.access.denied", "accounts.login.failed"}


def _concrete(row, endpoints):
    """The endpoints a row is requested at. A glob row (e.g. admin:*_changelist) applies to the names it matches that
    have no URL kwargs and no exact row and no earlier glob row; the rest of a glob group is covered, not requested."""
    if "*" not in row.url:
        return [e for e in endpoints if e.name == row.url]
    exact = {r.url for r in ROWS if "*" not in r.url}
    earlier = [r.url for r in ROWS if "*" in r.url and r.line < row.line and r.method == row.method]
    return [
        e
        for e in endpoints
        if fnmatch.fnmatchcase(e.name, row.url)
        and not e.kwargs
        and e.name not in exact
        and not any(fnmatch.fnmatchcase(e.name, g) for g in earlier)
    ]


def _url(endpoint, row, world):
    if ":<" in endpoint.name and not endpoint.kwargs:
        return "/" + endpoint.route  # unnamed pattern
    if row.target == "-":
        return reverse(endpoint.name)
    target, which = row.target.split(":")
    url = reverse(endpoint.name, kwargs=TARGETS[target](world, which))
    if target in QUERIES:  # a page that takes its object as ?name=value (the unread list's ?notice=)
        url += "?" + urlencode(QUERIES[target](world, which))
    return url


def _audit_mark():
    """The newest audit event's id (an index lookup; counting the whole table before and after each row is not)."""
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def _counted_audit_since(mark):
    return AuditEvent.objects.filter(pk__gt=mark).exclude(action__in=IGNORED_AUDIT).count()


def _request(client, method, url, is_api, body):
    if method == "GET":
        return client.get(url)
    if is_api and any(isinstance(v, UploadedFile) for v in (body or {}).values()):
        # an upload operation: multipart with a real file, so the row asks the permission question, not the parser
        return getattr(client, method.lower())(url, data=body)
    if is_api:
        return getattr(client, method.lower())(url, content_type="application/json", data=json.dumps(body or {}))
    return getattr(client, method.lower())(url, body or {})


def _refused(expected, user):
    # "login" is a refusal for an anonymous caller; for a signed-in one it is where logout lands.
    return expected in REFUSALS or (expected == "login" and user is None)


def test_every_url_pattern_has_a_row():
    missing = uncovered(ROWS, all_endpoints())
    assert not missing, "URL patterns with no row in tests/security/permission_matrix.csv:\n" + "\n".join(missing)


def test_rows_name_existing_patterns():
    endpoints = all_endpoints()
    stale = [f"line {r.line}: {r.url}" for r in ROWS if not any(row_matches(r, e) for e in endpoints)]
    assert not stale, "Rows for URL names that no longer exist:\n" + "\n".join(stale)


def test_read_only_roles_never_write_in_the_table():
    wrong = [
        f"line {r.line}: {r.url} {r.method} {p}={r.expected[p]}"
        for r in ROWS
        if r.kind == "write"
        for p in READ_ONLY_PERSONAS
        if r.expected[p] not in REFUSALS | {"login"}
    ]
    assert not wrong, "inspector/leadership must never be allowed a write:\n" + "\n".join(wrong)


def test_other_department_objects_are_never_readable_by_plain_staff_in_the_table():
    wrong = [
        f"line {r.line}: {r.url} {p}={r.expected[p]}"
        for r in ROWS
        if r.target.endswith(":other") and r.target.split(":")[0] not in PUBLIC_TARGETS
        for p in ("staff", "dept_head", "unrelated")
        if r.expected[p] in {"ok", "redirect"}
    ]
    assert not wrong, "IDOR: another department's object reachable by id:\n" + "\n".join(wrong)


@functools.cache
def _plan():
    """Every (row, endpoint) request of the table, in table order — the same for every persona, computed once.
    PERMISSION_MATRIX_ONLY=<glob>[,<glob>…] keeps the rows of matching URL names (while writing rows; CI runs all)."""
    endpoints = all_endpoints()
    only = [g for g in os.environ.get("PERMISSION_MATRIX_ONLY", "").split(",") if g]
    rows = [r for r in ROWS if not only or any(fnmatch.fnmatchcase(r.url, g) for g in only)]
    return tuple((row, endpoint) for row in rows for endpoint in _concrete(row, endpoints))


def _fake_pdf(html, base_url, timeout=None):
    """WeasyPrint's fork-per-render costs seconds a PDF; the matrix asks who may download a document, not how it
    looks (the documents' own tests render real PDFs). The template is still rendered (render_pdf), only the HTML →
    PDF step is skipped."""
    return b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def _no_weasyprint(monkeypatch):
    from reports import pdf

    monkeypatch.setattr(pdf, "html_to_pdf", _fake_pdf)


def _reference_rows():
    """What conftest's _reference_data puts back for each test (a transactional test earlier in the session may have
    flushed the data migrations' rows): the world is built before any test's fixtures run."""
    import datetime

    from people.policy import ensure_policy_version
    from plans.services import ensure_indicator_set

    ensure_policy_version(2026)
    for year in {2026, datetime.date.today().year}:
        ensure_indicator_set(year)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and every target object, built once for the module inside a transaction that is rolled back
    after the last persona (each persona's test runs in a savepoint inside it, each row in one more). Its files live
    in a media folder of its own, which each persona's test points MEDIA_ROOT at."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        _reference_rows()
        world = build_world()
        prepare_targets(world)
        yield world, media
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_matrix(persona, matrix_world, settings, _no_weasyprint):
    """One signed-in client per persona (its cookies restored after each row: a logout or password change is rolled
    back with the row's transaction, and the client must not carry its new cookie into the next row)."""
    world, settings.MEDIA_ROOT = matrix_world
    user = world.users.get(persona)
    client = Client()
    if user is not None:
        client.force_login(user)
    cookies = copy.deepcopy(client.cookies)
    mismatches, dump = [], []
    tried = 0
    for row, endpoint in _plan():
        is_api = endpoint.name.startswith("api:")
        url = _url(endpoint, row, world)
        with transaction.atomic():
            mark = _audit_mark()
            body = BODIES[endpoint.name](world, row.target.split(":")[-1]) if endpoint.name in BODIES else None
            response = _request(client, row.method, url, is_api, body)
            changed = _counted_audit_since(mark)
            transaction.set_rollback(True)  # each row starts from the same world
        client.cookies = copy.deepcopy(cookies)
        tried += 1
        actual = classify(response, is_api=is_api)
        expected = row.expected[persona]
        dump.append(f"{row.url},{row.method},{row.target},{persona}={actual}")
        if response.status_code >= 500:
            mismatches.append(f"line {row.line}: {row.method} {url} answered {response.status_code}")
        elif not outcome_matches(expected, actual):
            mismatches.append(f"line {row.line}: {row.method} {url} expected {expected}, got {actual}")
        elif row.method in WRITE_METHODS and _refused(expected, user) and changed:
            mismatches.append(f"line {row.line}: refused {row.method} {url} still wrote {changed} audit event(s)")
    if os.environ.get("PERMISSION_MATRIX_DUMP"):
        print("\n".join(dump))
    assert tried > 0
    assert not mismatches, f"persona {persona}: {len(mismatches)} of {tried} requests differ:\n" + "\n".join(mismatches)
