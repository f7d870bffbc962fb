"""Two gunicorn processes against one PostgreSQL database: a session created through one is valid through the other
(sessions live in the database, SECRET_KEY is shared). Skipped on SQLite: the deployment this proves is PostgreSQL."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _start_gunicorn(port, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "two-processes-share-this-secret-key-0123456789-abcdefghijklmnopq",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "VAR_DIR": str(tmp_path),
        "DB_POOL": "0",
    }
    env.pop("TEST_DB_SUFFIX", None)
    log = open(tmp_path / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process, log
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise AssertionError((tmp_path / f"gunicorn-{port}.log").read_text(errors="replace")[-3000:])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_session_from_one_process_is_valid_in_the_other(applicant, password, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：设置 DATABASE_URL=postgres://… 后运行（两个进程共享一个 PostgreSQL 数据库）。")
    # The test settings hash with MD5 for speed; the production settings the servers run do not accept MD5.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    applicant.password = hasher.encode(password, hasher.salt())
    applicant.save(update_fields=["password"])
    ports = [_free_port(), _free_port()]
    servers = [_start_gunicorn(port, tmp_path) for port in ports]
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        with opener.open(f"{a}/accounts/login/") as response:
            html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": applicant.username, "password": password}
        )
        request = urllib.request.Request(f"{a}/accounts/login/", data=body.encode(), headers={"Referer": f"{a}/"})  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as redirect:  # the 302 after a successful sign-in
            opener.open(request)
        assert redirect.value.code == 302 and redirect.value.headers["Location"] == "/"
        assert any(c.name == "sessionid" for c in jar)
        # Cookies are per host, not per port: the browser would send the same cookie to process B.
        with opener.open(f"{b}/") as response:
            page = response.read().decode()
        assert response.status == 200
        assert "我的工作台" in page and applicant.display_name in page
        with opener.open(f"{b}/api/v1/me") as response:
            assert applicant.username in response.read().decode()
    finally:
        for process, log in servers:
            process.terminate()
            process.wait(timeout=20)
            log.close()
