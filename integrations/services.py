"""Writes of the integrations app: robots (系统管理) and calendar links (个人中心, in calendar.py). Each takes `by=`,
runs in one transaction and leaves an audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import log_action

from .models import Platform, WebhookTarget, WorkMessage
from .permissions import may_manage_webhooks
from .webhooks import check_target, enqueue

FIELDS = ("name", "platform", "url", "secret", "department", "role", "is_active")


def _require(by):
    if not may_manage_webhooks(by):
        raise PermissionDenied("只有系统管理员可以设置工作消息机器人。")


def _clean(data, *, current=None):
    data = {k: data[k] for k in FIELDS if k in data}
    if current is not None and not data.get("secret") and data.get("platform", current.platform) == current.platform:
        data["secret"] = current.secret  # left empty on the edit form: keep the stored secret
    if data.get("department") and data.get("role"):
        raise ValidationError({"role": "一个机器人只能按系部或按角色接收，不能同时设置。"})
    if data.get("platform") not in Platform.values:
        raise ValidationError({"platform": "请选择企业微信或钉钉。"})
    check_target(platform=data["platform"], url=data.get("url", ""), secret=data.get("secret", ""))
    return data


def _summary(target):
    """What the audit log keeps of a robot: never its URL key or secret."""
    return {
        "name": target.name,
        "platform": target.platform,
        "department": target.department_id,
        "role": target.role,
        "is_active": target.is_active,
        "secret_set": bool(target.secret),
    }


@transaction.atomic
def create_target(*, by, data):
    _require(by)
    target = WebhookTarget(created_by=by, **_clean(data))
    target.full_clean()
    target.save()
    log_action(actor=by, action="integrations.webhook.created", obj=target, after=_summary(target))
    return target


@transaction.atomic
def update_target(*, by, target, data):
    _require(by)
    target = WebhookTarget.objects.select_for_update().get(pk=target.pk)
    before = _summary(target)
    url_before, secret_before = target.url, target.secret
    for name, value in _clean(data, current=target).items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    after = _summary(target)
    after["url_changed"] = target.url != url_before
    after["secret_changed"] = target.secret != secret_before
    log_action(actor=by, action="integrations.webhook.changed", obj=target, before=before, after=after)
    return target


@transaction.atomic
def delete_target(*, by, target):
    _require(by)
    target = WebhookTarget.objects.select_for_update().get(pk=target.pk)
    summary = _summary(target)
    log_action(actor=by, action="integrations.webhook.deleted", obj=target, before=summary)
    target.delete()  # its messages and delivery records go with it


def send_test(*, by, target):
    """A test message to one robot through the worker (its deliveries show on the robot's page)."""
    _require(by)
    with transaction.atomic():
        message = WorkMessage.objects.create(
            target=target, title="测试消息", text=f"这是一条测试消息，由{by.display_name or by.username}发送。"
        )
        log_action(actor=by, action="integrations.webhook.tested", obj=target)
        transaction.on_commit(lambda: enqueue(message.pk, attempt=1))
    return message
