"""Work messages: copies of notifications posted to 企业微信 / 钉钉 group robots (README "集成：工作消息").

Off unless settings.WORK_MESSAGES. core.notifications hands every notification to the channels registered with it
(`register_channel`); ours (`queue_for`) picks the robots whose department or role matches a recipient, writes one
WorkMessage per robot and enqueues `deliver_work_message` for the django-tasks-db worker. The worker posts the message
(DingTalk signed: timestamp + HMAC-SHA256 of "timestamp\\nsecret" with the secret, base64, URL-encoded `sign`; WeCom:
the key is in the URL, no signature), writes a DeliveryAttempt for every try, and on failure enqueues itself again after
WORK_MESSAGE_RETRY_SECONDS × 2^(n-1) until WORK_MESSAGE_MAX_ATTEMPTS. Nothing here ever raises into the action that
caused the notification: channels run after its commit and their errors are logged.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from core.tasks import single_line

from .models import DeliveryAttempt, MessageStatus, Platform, WebhookTarget, WorkMessage

logger = logging.getLogger(__name__)

PLATFORM_HOSTS = {Platform.WECOM: "qyapi.weixin.qq.com", Platform.DINGTALK: "oapi.dingtalk.com"}
PLATFORM_PATHS = {Platform.WECOM: "/cgi-bin/webhook/send", Platform.DINGTALK: "/robot/send"}
# WeCom's text content is limited to 2,048 bytes; DingTalk's is larger. Stay under the smaller one.
MAX_CONTENT_BYTES = 2000


# --- Checking a robot's settings ------------------------------------------------------------------------------------


def check_target(*, platform, url, secret):
    """The refusals of a robot's URL and secret, in Chinese, as a ValidationError keyed by field (nothing saved)."""
    errors = {}
    parts = urllib.parse.urlsplit(url or "")
    host = (parts.hostname or "").lower()
    extra = {h.lower() for h in settings.WORK_MESSAGE_EXTRA_HOSTS}
    query = urllib.parse.parse_qs(parts.query)
    if host in extra:
        if parts.scheme not in {"http", "https"}:
            errors["url"] = "Webhook 地址须以 http:// 或 https:// 开头。"
    elif platform in PLATFORM_HOSTS and (parts.scheme != "https" or host != PLATFORM_HOSTS[platform]):
        errors["url"] = (
            f"{Platform(platform).label}的地址应为 https://{PLATFORM_HOSTS[platform]}{PLATFORM_PATHS[platform]}?…"
        )
    elif platform == Platform.WECOM and not query.get("key"):
        errors["url"] = "企业微信机器人地址中缺少 key 参数，请从群机器人设置中完整复制。"
    elif platform == Platform.DINGTALK and not query.get("access_token"):
        errors["url"] = "钉钉机器人地址中缺少 access_token 参数，请从机器人设置中完整复制。"
    if platform == Platform.DINGTALK and secret and not secret.startswith("SEC"):
        errors["secret"] = "钉钉“加签”密钥以 SEC 开头，请完整复制。"  # noqa: S105
    if platform == Platform.WECOM and secret:
        errors["secret"] = "企业微信群机器人不使用加签密钥，请留空。"  # noqa: S105
    if errors:
        raise ValidationError(errors)


# --- Signing and the request ----------------------------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(target, *, now_ms=None) -> str:
    if target.platform != Platform.DINGTALK or not target.secret:
        return target.url
    timestamp = int(time.time() * 1000) if now_ms is None else now_ms
    separator = "&" if "?" in target.url else "?"
    return f"{target.url}{separator}timestamp={timestamp}&sign={dingtalk_sign(target.secret, timestamp)}"


def _trim_bytes(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def payload(message) -> dict:
    """A plain text message (both platforms take the same shape)."""
    content = _trim_bytes(f"【{settings.PLATFORM_NAME}】{message.title}\n{message.text}".strip(), MAX_CONTENT_BYTES)
    return {"msgtype": "text", "text": {"content": content}}


def post(target, message):
    """One HTTP attempt. Returns (ok, http_status, response_excerpt, error)."""
    body = json.dumps(payload(message), ensure_ascii=False).encode()
    url = signed_url(target)
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        return False, None, "", "Webhook 地址不是 http(s)"
    request = urllib.request.Request(  # noqa: S310  (scheme checked above and when saved)
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WORK_MESSAGE_TIMEOUT_S) as response:  # noqa: S310
            status, text = response.status, response.read(2000).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return False, exc.code, exc.read(500).decode(errors="replace"), f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections
        return False, None, "", single_line(str(exc), 500) or exc.__class__.__name__
    try:
        answer = json.loads(text)
    except ValueError:
        return False, status, text[:500], "应答不是 JSON"
    ok = isinstance(answer, dict) and answer.get("errcode") == 0
    return (
        ok,
        status,
        text[:500],
        "" if ok else single_line(f"errcode={answer.get('errcode')} {answer.get('errmsg', '')}", 500),
    )


# --- Choosing robots for a notification -----------------------------------------------------------------------------


def targets_for(user_ids):
    """The active robots that receive a notification addressed to `user_ids`: by a recipient's department, by a role
    he holds (教职工 for every internal account), or robots without either (every notification). Three queries."""
    ids = list(user_ids)
    if not ids:
        return []
    people = list(User.objects.filter(pk__in=ids).values_list("department_id", "is_external"))
    departments = {dept for dept, _ in people if dept}
    roles = set(RoleAssignment.objects.filter(user_id__in=ids).values_list("role", flat=True).distinct())
    if any(not external for _, external in people):
        roles.add(Role.STAFF.value)
    scope = Q(department__isnull=True, role="") | Q(department__in=departments) | Q(role__in=roles)
    return list(WebhookTarget.objects.filter(scope, is_active=True).order_by("pk"))


def message_text(body, url):
    link = f"{settings.SITE_URL}{url}" if url and url.startswith("/") else (url or "")
    return f"{body}\n{link}".strip()[: WorkMessage._meta.get_field("text").max_length]


def queue_for(user_ids, *, title, body="", url=""):
    """core.notifications channel: one WorkMessage per matching robot, each sent by the worker. Never raises."""
    if not settings.WORK_MESSAGES:
        return []
    try:
        targets = targets_for(user_ids)
        if not targets:
            return []
        title = single_line(title)
        text = message_text(body, url)
        with transaction.atomic():
            messages = WorkMessage.objects.bulk_create([WorkMessage(target=t, title=title, text=text) for t in targets])
        for message in messages:
            enqueue(message.pk, attempt=1)
        return messages
    except Exception:  # a robot must never block or undo the action that notified
        logger.exception("work message not queued: %s", title)
        return []


def enqueue(message_pk, *, attempt, delay=None):
    job = deliver_work_message
    if delay and job.get_backend().supports_defer:
        job = job.using(run_after=timezone.now() + delay)
    try:
        job.enqueue(message_pk=message_pk)
    except Exception:
        logger.exception("work message %s attempt %s not enqueued", message_pk, attempt)


def retry_delay(attempt: int) -> timedelta:
    """The pause after the `attempt`-th failure: RETRY_SECONDS, then twice that, four times …"""
    return timedelta(seconds=settings.WORK_MESSAGE_RETRY_SECONDS * 2 ** max(attempt - 1, 0))


def deliver(message_pk):
    """One delivery attempt of a pending message (the worker's job): record it, then finish or schedule the next."""
    message = WorkMessage.objects.select_related("target").filter(pk=message_pk).first()
    if message is None or message.status != MessageStatus.PENDING:
        return None
    if not message.target.is_active:
        WorkMessage.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(status=MessageStatus.FAILED)
        return None
    ok, status, response, error = post(message.target, message)
    with transaction.atomic():
        number = message.attempts + 1
        # Conditional on the attempt count: a second worker running the same message records nothing twice.
        claimed = WorkMessage.objects.filter(
            pk=message.pk, status=MessageStatus.PENDING, attempts=message.attempts
        ).update(
            attempts=number,
            status=MessageStatus.SENT
            if ok
            else (MessageStatus.FAILED if number >= settings.WORK_MESSAGE_MAX_ATTEMPTS else MessageStatus.PENDING),
            sent_at=timezone.now() if ok else None,
        )
        if not claimed:
            return None
        attempt = DeliveryAttempt.objects.create(
            message=message, number=number, ok=ok, http_status=status, response=response[:500], error=error[:500]
        )
    if not ok and number < settings.WORK_MESSAGE_MAX_ATTEMPTS:
        transaction.on_commit(lambda: enqueue(message.pk, attempt=number + 1, delay=retry_delay(number)))
    return attempt


@task()
def deliver_work_message(*, message_pk):
    """Runs in the django-tasks-db worker (`manage.py db_worker`)."""
    deliver(message_pk)
