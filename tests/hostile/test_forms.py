"""hypothesis drives every form and API body with hostile input: no 500, nothing wrongly accepted, nothing echoed raw.

Prints how many inputs were tried and how many wrongly accepted (must be 0).
"""

import urllib.parse

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .strategies import MARKUP
from .targets import FORMS

pytestmark = pytest.mark.django_db
EXAMPLES = 40


@pytest.mark.parametrize("target", FORMS, ids=lambda t: t.name)
def test_hostile_form_input(target, request):
    user = None if target.persona == "anon" else request.getfixturevalue(target.persona)
    tried, wrongly_accepted, errors = [0], [], []
    params = target.setup(user) if target.setup else {}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.fixed_dictionaries(target.fields))
    def run(data):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        before = target.prepare(user) if target.prepare else None
        url = target.url.format(**params) if params else target.url
        if "{pk}" in url:
            url = url.replace("{pk}", urllib.parse.quote(str(data.pop("pk")), safe="") or "0")
        if "\x00" in url:
            url = url.replace("\x00", "%00")
        response = getattr(client, target.method)(url, data)
        tried[0] += 1
        if response.status_code >= 500:
            errors.append((data, response.status_code))
        if target.wrongly_accepted and target.wrongly_accepted(response, user, before):
            wrongly_accepted.append(data)
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode("utf-8", "replace")
            # only markup that HTML escaping changes; "javascript:" in a text box value is inert text
            echoed = [m for m in MARKUP if set(m) & set("<>\"'") and m in str(data) and m in body]
            if echoed:
                errors.append((data, f"未转义回显：{echoed}"))

    run()
    print(f"\n{target.name}：尝试 {tried[0]} 组恶意输入，错误接受 {len(wrongly_accepted)}，500/未转义 {len(errors)}")
    assert not errors, errors[:3]
    assert not wrongly_accepted, wrongly_accepted[:3]
