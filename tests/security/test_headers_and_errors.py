"""Security headers on every page of the matrix, CSP nonces, HSTS in production, and error pages with DEBUG off that
leak no traceback, SQL or settings."""

import re

import pytest
from django.conf import settings
from django.db import ProgrammingError
from django.test import Client
from django.urls import reverse

from .matrix import TARGETS, all_endpoints, build_world, load_matrix, prepare_targets

pytestmark = pytest.mark.django_db

# Pages whose HTML does not yet fit the CSP, with the reason. Each is a known defect to fix, not a design decision.
KNOWN_CSP_GAPS = {
    "/api/v1/docs": "django-ninja's Swagger page loads swagger-ui from cdn.jsdelivr.net and runs an inline script "
    "without our nonce: under the CSP it renders blank (fix: docs_url=None, or serve swagger-ui from static/ with a "
    "nonce-carrying template).",
}
LEAKS = ("Traceback", "SELECT ", "ProgrammingError", "DATABASES", "SECRET_KEY", "settings.py", 'File "/', "/work/")


def _get_pages(world):
    """(url name, url) of every GET row that needs no object or uses the persona's own one."""
    names = {e.name for e in all_endpoints()}
    seen, pages = set(), []
    for row in load_matrix():
        if (
            row.method != "GET"
            or "*" in row.url
            or ":<" in row.url
            or row.url not in names
            or row.target.endswith(":other")
        ):
            continue
        kwargs = {} if row.target == "-" else TARGETS[row.target.split(":")[0]](world, "own")
        url = reverse(row.url, kwargs=kwargs)
        if url not in seen:
            seen.add(url)
            pages.append((row.url, url))
    return pages


def _check_headers(response, url, problems):
    h = response.headers
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: X-Content-Type-Options={h.get('X-Content-Type-Options')}")
    if h.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: X-Frame-Options={h.get('X-Frame-Options')}")
    if h.get("Referrer-Policy") != "same-origin":
        problems.append(f"{url}: Referrer-Policy={h.get('Referrer-Policy')}")
    csp = h.get("Content-Security-Policy", "")
    if h.get("Content-Disposition", "").startswith("attachment"):
        # a stored file or generated document: served by a permission-checking view, as an attachment, sandboxed
        if csp != "default-src 'none'; sandbox" and "default-src 'self'" not in csp:
            problems.append(f"{url}: download without a restrictive CSP: {csp!r}")
        return
    if (
        response.get("Content-Type", "").startswith("image/")
        and csp == "default-src 'none'; sandbox"
        and url.startswith("/showcase/")
    ):
        return  # a published photo of the public showcase: shown in <img> (inline), re-encoded, sandboxed, nosniff
    if response.status_code == 200 and not response.get("Content-Type", "").startswith(
        ("text/html", "application/json")
    ):
        problems.append(
            f"{url}: {response.get('Content-Type')} served inline (must be Content-Disposition: attachment)"
        )
    if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
        problems.append(f"{url}: CSP={csp!r}")
    if url in KNOWN_CSP_GAPS:
        return
    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
        nonce = re.search(r"'nonce-([^']+)'", csp)
        body = response.content.decode()
        if not nonce:
            # a page with no script needs no nonce: the public showcase renders without one so that its HTML (and
            # ETag) is the same for every visitor; any <script> there would be blocked, so none may appear
            if re.search(r"<script\b(?![^>]*application/json)", body):
                problems.append(f"{url}: HTML page with a <script> but without a CSP nonce")
        else:
            for tag in re.findall(r"<script\b[^>]*>", body):
                if f'nonce="{nonce.group(1)}"' not in tag and 'type="application/json"' not in tag:
                    problems.append(f"{url}: <script> without the page nonce: {tag}")
        if re.search(r"\son[a-z]+\s*=", body) or re.search(r"\sstyle\s*=", body):
            problems.append(f"{url}: inline event handler or style attribute (blocked by CSP)")


@pytest.mark.parametrize("persona", ["anon", "staff", "admin"])
def test_security_headers_on_every_page(persona):
    world = build_world()
    prepare_targets(world)
    client = Client()
    if persona != "anon":
        client.force_login(world.users[persona])
    problems, checked = [], 0
    for _name, url in _get_pages(world):
        response = client.get(url)
        checked += 1
        _check_headers(response, url, problems)
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_csp_nonce_changes_per_request(client):
    first = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    second = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert re.search(r"'nonce-[^']+'", first) and first != second


def test_hsts_and_secure_cookies_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_settings_make_cookies_secure(monkeypatch):
    """config.settings with SECURE_HTTPS=1 (what deployments set) turns on every transport flag."""
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0,"
        " s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "SECURE_HTTPS": "1", "DEBUG": "0", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        env={**env, "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"]


def _explode(*args, **kwargs):
    raise ProgrammingError(
        f"SELECT password FROM accounts_user WHERE id = 1 -- DATABASES={settings.DATABASES} "
        f"SECRET_KEY={settings.SECRET_KEY}"
    )


def test_forced_ui_error_leaks_nothing(settings, monkeypatch, applicant):
    settings.DEBUG = False
    monkeypatch.setattr("workspace.views.inbox_for", _explode)
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器" in body or "出错" in body
    leaked = [word for word in (*LEAKS, settings.SECRET_KEY) if word in body]
    assert not leaked, leaked


def test_forced_api_error_leaks_nothing(settings, monkeypatch, applicant):
    settings.DEBUG = False
    monkeypatch.setattr("config.api.roles_of", _explode)  # what /me calls
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    response = client.get("/api/v1/me")
    assert response.status_code == 500
    body = response.content.decode()
    leaked = [word for word in (*LEAKS, settings.SECRET_KEY) if word in body]
    assert not leaked, leaked


def test_unknown_url_with_debug_off_lists_no_patterns(settings, client):
    settings.DEBUG = False
    response = client.get("/no-such-page/../../etc/passwd")
    assert response.status_code == 404
    body = response.content.decode()
    assert "accounts/" not in body and "urlpatterns" not in body.lower() and "Traceback" not in body


def test_media_is_never_served_at_a_url(client, applicant, settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    (media / "attachments").mkdir(parents=True, exist_ok=True)
    (media / "attachments" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    client.force_login(applicant)
    for url in ("/media/attachments/secret.pdf", f"{settings.MEDIA_URL}attachments/secret.pdf"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"secret" not in response.content
