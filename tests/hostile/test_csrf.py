"""Missing CSRF token: every write of the permission matrix (pages, and the API under session auth), posted by a
person who may make it but without the token, is refused with 403 and writes nothing."""

import json

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from tests.security.matrix import (
    BODIES,
    PERSONAS,
    TARGETS,
    all_endpoints,
    build_world,
    load_matrix,
    prepare_targets,
)

pytestmark = pytest.mark.django_db
IGNORED = {"accounts.access.denied", "accounts.login.failed"}


def test_writes_without_csrf_token_are_refused():
    world = build_world()
    prepare_targets(world)
    names = {e.name for e in all_endpoints()}
    tried, wrongly_accepted = 0, []
    for row in load_matrix():
        if row.method == "GET" or "*" in row.url or ":<" in row.url or row.url not in names:
            continue
        # the first signed-in persona the table allows this write (the check must not be a permission refusal)
        persona = next((p for p in PERSONAS if p != "anon" and row.expected[p] in {"ok", "redirect"}), None)
        if persona is None:
            continue
        which = row.target.split(":")[-1]
        kwargs = {} if row.target == "-" else TARGETS[row.target.split(":")[0]](world, which)
        url = reverse(row.url, kwargs=kwargs)
        body = BODIES[row.url](world, which) if row.url in BODIES else {}
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users[persona])
        before = AuditEvent.objects.exclude(action__in=IGNORED).count()
        uploads = any(isinstance(v, UploadedFile) for v in body.values())  # an API upload is multipart
        if row.url.startswith("api:") and not uploads:
            response = getattr(client, row.method.lower())(url, data=json.dumps(body), content_type="application/json")
        else:
            response = getattr(client, row.method.lower())(url, body)
        tried += 1
        wrote = AuditEvent.objects.exclude(action__in=IGNORED).count() - before
        if response.status_code != 403 or wrote:
            wrongly_accepted.append(f"{row.method} {url} as {persona}: {response.status_code}, {wrote} writes")
    print(f"\n缺少 CSRF 令牌的写请求：尝试 {tried} 个，错误接受 {len(wrongly_accepted)}")
    assert tried >= 20
    assert not wrongly_accepted, "\n".join(wrongly_accepted)
