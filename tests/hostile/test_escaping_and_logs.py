"""HTML/JS in text shown to someone else is escaped; CR/LF in anything that reaches a log line cannot forge a line."""

import logging

import pytest
from django.test import Client

from core.audit import log_action
from core.logging import SafeFormatter
from core.models import Notification
from tests.factories import UserFactory

from .strategies import MARKUP

pytestmark = pytest.mark.django_db


def test_markup_in_names_notes_and_notifications_is_escaped_for_other_viewers(
    department, admin_user, inspector, applicant
):
    payload = MARKUP[0]
    victim_sees = []
    hostile = UserFactory(username="T6666", display_name=f"坏人{payload}", department=department)
    log_action(actor=hostile, action="tests.hostile.note", obj=hostile, note=f"备注{MARKUP[1]}")
    Notification.objects.create(recipient=applicant, title=f"通知{MARKUP[5]}", body=f"正文{MARKUP[1]}", url="")
    pages = [
        (admin_user, "/accounts/users/"),
        (admin_user, f"/accounts/users/{hostile.pk}/"),
        (inspector, "/audit/"),
        (applicant, "/"),
    ]
    for viewer, url in pages:
        client = Client()
        client.force_login(viewer)
        body = client.get(url).content.decode()
        victim_sees.append(url)
        for raw in MARKUP[:2] + [MARKUP[5]]:
            assert raw not in body, (url, raw)
    assert len(victim_sees) == 4


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_crlf_in_requests_cannot_forge_log_lines(applicant):
    handler = _Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        client = Client(raise_request_exception=False)
        client.get("/no-such-page/%0d%0aFORGED%20LINE")
        client.get("/no-such-page/\r\nFORGED LINE")
        client.post("/accounts/login/", {"username": "x\r\nFORGED LINE", "password": "y\nFORGED"})
        client.force_login(applicant)
        client.get("/accounts/users/999999/\nFORGED")
        logging.getLogger("tests.hostile").warning("用户输入：%s", "a\r\nFORGED LINE")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert handler.lines, "nothing was logged"
    for line in handler.lines:
        assert "\n" not in line and "\r" not in line, repr(line)
        assert not line.startswith("FORGED")
    assert any("FORGED" in line for line in handler.lines)


def test_the_configured_logging_uses_the_safe_formatter():
    from django.conf import settings

    from config import settings as production

    formatter = production.LOGGING["formatters"]["safe"]["()"]
    assert formatter == "core.logging.SafeFormatter"
    assert production.LOGGING["handlers"]["console"]["formatter"] == "safe"
    assert settings.ROOT_URLCONF
