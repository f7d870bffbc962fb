"""Work messages (issue 14 item 5) against a local HTTP server that checks the payload and the DingTalk signature."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from core.models import AuditEvent, Notification
from core.notifications import notify
from integrations import services, webhooks
from integrations.models import DeliveryAttempt, MessageStatus, Platform, WebhookTarget, WorkMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "SECtest0123456789"


class Robot:
    """A local robot: records each request; `fail` first answers are HTTP 500."""

    def __init__(self):
        self.requests = []
        self.fail = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.requests.append((self.path, json.loads(body)))
                if robot.fail > 0:
                    robot.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                ok = True
                if "sign" in query:  # DingTalk 加签: recompute and compare
                    timestamp = query["timestamp"][0]
                    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
                    ok = hmac.compare_digest(base64.b64encode(digest).decode(), query["sign"][0])
                answer = {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, platform):
        if platform == Platform.DINGTALK:
            return f"http://127.0.0.1:{self.port}/robot/send?access_token=abc"
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key=k1"


@pytest.fixture
def robot(settings):
    settings.WORK_MESSAGES = True
    settings.WORK_MESSAGE_EXTRA_HOSTS = ["127.0.0.1"]
    settings.WORK_MESSAGE_MAX_ATTEMPTS = 3
    server = Robot()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _target(admin_user, robot, platform, **scope):
    return services.create_target(
        by=admin_user,
        data={
            "name": f"{platform}群",
            "platform": platform,
            "url": robot.url(platform),
            "secret": SECRET if platform == Platform.DINGTALK else "",
            "is_active": True,
            **scope,
        },
    )


def test_dingtalk_message_is_signed_and_delivered(robot, admin_user, department, applicant):
    target = _target(admin_user, robot, Platform.DINGTALK, department=department)
    notify([applicant], title="您的申报已被系部推荐", body="请等待专家评审。", url="/applications/1/")
    path, payload = robot.requests[-1]
    assert path.startswith("/robot/send?access_token=abc&timestamp=") and "&sign=" in path
    assert payload["msgtype"] == "text" and "您的申报已被系部推荐" in payload["text"]["content"]
    message = WorkMessage.objects.get(target=target)
    assert message.status == MessageStatus.SENT
    assert list(message.deliveries.values_list("number", "ok")) == [(1, True)]


def test_wecom_message_unsigned_and_scoped_by_role(robot, admin_user, applicant, teaching_affairs):
    target = _target(admin_user, robot, Platform.WECOM, role=Role.TEACHING_AFFAIRS)
    notify([applicant], title="与教学工作部无关", body="")
    assert not WorkMessage.objects.filter(target=target).exists()
    notify([teaching_affairs], title="有新的申报待审核", body="")
    path, payload = robot.requests[-1]
    assert path == "/cgi-bin/webhook/send?key=k1" and "有新的申报待审核" in payload["text"]["content"]
    assert WorkMessage.objects.get(target=target).status == MessageStatus.SENT


def test_failing_robot_is_retried_and_the_action_still_succeeds(robot, admin_user, applicant):
    target = _target(admin_user, robot, Platform.DINGTALK)
    robot.fail = 2
    rows = notify([applicant], title="公示开始", body="")
    assert Notification.objects.filter(pk=rows[0].pk).exists()
    message = WorkMessage.objects.get(target=target)
    assert message.status == MessageStatus.SENT and message.attempts == 3
    assert list(message.deliveries.values_list("number", "ok", "http_status")) == [
        (1, False, 500),
        (2, False, 500),
        (3, True, 200),
    ]


def test_unreachable_robot_gives_up_after_the_last_attempt_without_raising(robot, admin_user, applicant, settings):
    target = _target(admin_user, robot, Platform.WECOM)
    WebhookTarget.objects.filter(pk=target.pk).update(url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x")
    rows = notify([applicant], title="通知", body="")
    assert rows
    message = WorkMessage.objects.get(target=target)
    assert message.status == MessageStatus.FAILED
    assert DeliveryAttempt.objects.filter(message=message, ok=False).count() == settings.WORK_MESSAGE_MAX_ATTEMPTS


def test_a_workflow_action_with_a_broken_channel_still_commits(robot, admin_user, applicant, monkeypatch):
    _target(admin_user, robot, Platform.WECOM)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(webhooks, "targets_for", broken)
    rows = notify([applicant], title="仍然通知", body="")
    assert Notification.objects.filter(pk=rows[0].pk, title="仍然通知").exists()


def test_off_by_default_nothing_is_sent(robot, admin_user, applicant, settings):
    _target(admin_user, robot, Platform.WECOM)
    settings.WORK_MESSAGES = False
    notify([applicant], title="不发送", body="")
    assert not WorkMessage.objects.exists() and not robot.requests


def test_robot_settings_are_checked(admin_user, settings):
    settings.WORK_MESSAGE_EXTRA_HOSTS = []
    with pytest.raises(ValidationError) as refused:
        services.create_target(
            by=admin_user,
            data={"name": "内网", "platform": Platform.WECOM, "url": "http://10.0.0.1/x?key=1", "secret": ""},
        )
    assert "url" in refused.value.message_dict
    target = services.create_target(
        by=admin_user,
        data={
            "name": "钉钉",
            "platform": Platform.DINGTALK,
            "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "secret": SECRET,
        },
    )
    event = AuditEvent.objects.get(action="integrations.webhook.created")
    assert SECRET not in json.dumps(event.after) and "access_token" not in json.dumps(event.after)
    assert target.secret == SECRET


def test_admin_pages(client, login, admin_user):
    hr = UserFactory(roles=[Role.HR])
    login(admin_user)
    response = client.post(
        reverse("integrations:webhook_create"),
        {
            "name": "全校群",
            "platform": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "is_active": "on",
        },
    )
    target = WebhookTarget.objects.get(name="全校群")
    assert response.status_code == 302
    assert client.get(reverse("integrations:webhook_detail", args=[target.pk])).status_code == 200
    login(hr)
    assert client.get(reverse("integrations:webhook_list")).status_code == 403
    assert client.post(reverse("integrations:webhook_delete", args=[target.pk])).status_code == 404
    assert WebhookTarget.objects.filter(pk=target.pk).exists()
