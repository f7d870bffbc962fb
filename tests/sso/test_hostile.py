"""Hostile input at the sign-on entry points with the integrations ON (tests/hostile/targets.py drives them with the
default settings, where they answer 404): the CAS callback's ticket/next and the back-channel logoutRequest, against
the real CAS server; the login form's 工号 and password against the real slapd. No 500, nobody signed in, nothing
echoed raw, no session ended by a forged logout request."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import SignOnSession
from tests.factories import UserFactory
from tests.hostile.strategies import MARKUP, hostile_text

from .test_cas import cas_sign_in

pytestmark = pytest.mark.django_db
EXAMPLES = 30
RUN = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _check(response, data, errors):
    if response.status_code >= 500:
        errors.append((data, response.status_code))
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode("utf-8", "replace")
        echoed = [m for m in MARKUP if set(m) & set("<>\"'") and m in str(data) and m in body]
        if echoed:
            errors.append((data, echoed))


def test_hostile_cas_callback(cas, department):
    UserFactory(username="T1001", display_name="张老师", department=department)
    errors, signed_in = [], []

    @RUN
    @given(st.fixed_dictionaries({"ticket": hostile_text, "next": hostile_text}))
    def run(data):
        client = Client(raise_request_exception=False)
        response = client.get("/accounts/cas/callback/", data)
        _check(response, data, errors)
        if SESSION_KEY in client.session:
            signed_in.append(data)

    run()
    assert not errors, errors[:3]
    assert not signed_in, signed_in[:3]


def test_hostile_logout_requests_end_no_session(cas, department):
    UserFactory(username="T1001", display_name="张老师", department=department)
    victim = Client()
    cas_sign_in(victim, "T1001")
    key = victim.session.session_key
    errors = []

    @RUN
    @given(
        st.one_of(
            hostile_text,
            hostile_text.map(
                lambda t: (
                    f"<samlp:LogoutRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'>"
                    f"<samlp:SessionIndex>{t}</samlp:SessionIndex></samlp:LogoutRequest>"
                )
            ),
        )
    )
    def run(body):
        response = Client(raise_request_exception=False).post("/accounts/cas/callback/", {"logoutRequest": body})
        _check(response, body, errors)

    run()
    assert not errors, errors[:3]
    assert Session.objects.filter(session_key=key).exists() and SignOnSession.objects.count() == 1


def test_hostile_ldap_sign_in(ldap, department):
    UserFactory(username="T1001", display_name="张老师", department=department)
    errors, signed_in = [], []

    @RUN
    @given(st.fixed_dictionaries({"username": st.one_of(hostile_text, st.just("T1001")), "password": hostile_text}))
    def run(data):
        client = Client(raise_request_exception=False)
        response = client.post("/accounts/login/", data)
        _check(response, data, errors)
        if SESSION_KEY in client.session:
            signed_in.append(data)

    run()
    assert not errors, errors[:3]
    assert not signed_in, signed_in[:3]
