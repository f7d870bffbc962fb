import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from accounts.enums import Role
from accounts.models import Department, RoleAssignment, User
from core.models import Notification
from core.navigation import InboxEntry, register_inbox

pytestmark = pytest.mark.django_db


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_workbench_lists_notifications_and_inbox(login, applicant):
    Notification.objects.create(recipient=applicant, title="您的申报已被退回")

    def provider(user):
        return [InboxEntry("待补充材料", 2 if user.pk == applicant.pk else 0, "/")]

    register_inbox(provider)
    try:
        html = login(applicant).get("/").content.decode()
    finally:
        from core import navigation

        navigation._INBOX.remove(provider)
    assert "我的工作台" in html
    assert "您的申报已被退回" in html
    assert "待补充材料" in html


def test_inbox_counts_queryset_entries_together_in_one_statement(applicant, outsider):
    """Sources may hand inbox_for a queryset as the count: all of them are counted in ONE statement, each exactly as
    .count() would (a join's duplicates included), a source that can match nothing costs no SQL, and 0 is dropped."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import navigation

    both = User.objects.filter(pk__in=[applicant.pk, outsider.pk])
    joined = User.objects.filter(role_assignments__isnull=False, pk__in=[applicant.pk, outsider.pk])
    sources = {
        "甲": User.objects.filter(pk=applicant.pk),
        "乙": both,
        "丙": User.objects.filter(pk__in=[]),  # EmptyResultSet: 0 without SQL
        "丁": User.objects.filter(pk=-1),
        "戊": joined,
    }

    def provider(user):
        return [InboxEntry(title, queryset, "/") for title, queryset in sources.items()]

    with CaptureQueriesContext(connection) as ctx:
        counts = navigation.count_together(list(sources.values()))
    assert counts == [1, 2, 0, 0, joined.count()]
    assert len(ctx.captured_queries) == 1 and ctx.captured_queries[0]["sql"].count("COUNT(*)") == 4
    with CaptureQueriesContext(connection) as ctx:
        assert navigation.count_together([User.objects.none(), User.objects.filter(pk__in=[])]) == [0, 0]
    assert ctx.captured_queries == []

    register_inbox(provider)
    try:
        with CaptureQueriesContext(connection) as ctx:
            entries = {e.title: e.count for e in navigation.inbox_for(applicant) if e.title in sources}
    finally:
        navigation._INBOX.remove(provider)
    assert entries == {"甲": 1, "乙": 2, **({"戊": joined.count()} if joined.count() else {})}
    # every source's queryset (these and the apps' own) in one statement
    assert len([q for q in ctx.captured_queries if "SELECT (SELECT COUNT(*)" in q["sql"]]) == 1


def test_workbench_is_empty_but_real(login, applicant):
    html = login(applicant).get("/").content.decode()
    assert 'data-testid="inbox-empty"' in html


def test_mark_notifications_read_changes_only_own(login, applicant, outsider):
    mine = Notification.objects.create(recipient=applicant, title="甲")
    theirs = Notification.objects.create(recipient=outsider, title="乙")
    login(applicant).post("/notifications/read/")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_csp_with_nonce_and_no_inline_scripts(login, applicant):
    response = login(applicant).get("/")
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts, "htmx and bootstrap are loaded"
    assert all(f'nonce="{nonce}"' in attrs and "src=" in attrs for attrs in scripts)
    assert "htmx" in html
    assert " style=" not in html and "<style" not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_404_page_is_chinese(login, applicant, settings):
    settings.DEBUG = False
    response = login(applicant).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_chinese_and_leaks_nothing(client, settings):
    from django.urls import path

    from config import urls

    def boom(request):
        raise RuntimeError("SELECT secret FROM settings")

    settings.DEBUG = False
    urls.urlpatterns.append(path("__boom__/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        client.raise_request_exception = False
        response = client.get("/__boom__/")
    finally:
        urls.urlpatterns.pop()
        clear_url_caches()
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in body
    assert "SELECT" not in body and "Traceback" not in body and "SECRET_KEY" not in body


def test_seed_demo_is_idempotent():
    call_command("seed_demo", quiet=True)
    counts = (User.objects.count(), Department.objects.count(), RoleAssignment.objects.count())
    call_command("seed_demo", quiet=True)
    assert (User.objects.count(), Department.objects.count(), RoleAssignment.objects.count()) == counts
    assert RoleAssignment.objects.filter(role=Role.DEPT_HEAD, department__isnull=False).exists()
    for role in Role:
        if role != Role.STAFF:
            assert RoleAssignment.objects.filter(role=role).exists(), role


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x7$Qp!2vLr9#Tz4&Wm8*Ky6^Hn3@Bd5%Fs1(Gj0)Ua-Ce+Ix=Ro_Pw",
        "SECURE_HTTPS": "1",
        "ALLOWED_HOSTS": "studio.school.example",
        "VAR_DIR": str(tmp_path),
        # people: ID numbers are encrypted with a key from the environment (people.W001 without it)
        "PERSONAL_DATA_KEY": "q0bBbZ6pUjVUl4ys4BqvQ8pSYr5nLx0l3bRZqj5sT0Q=",
        # people.E002: the ID-number hash key is fixed apart from the (rotating) encryption key
        "PERSONAL_DATA_HASH_KEY": "hK3vN8qR2tW6yZ9bD4fG7jL1mP5sV0xC",
        # core.E001: audit rows, the chain-head anchor and backup manifests are signed with a key from the environment
        "AUDIT_HMAC_KEY": "aU7dI9tH2mA4cK6eY8kE1yZ3xQ5wR0pL",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
