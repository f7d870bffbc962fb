"""/api/v1/integrations/: 工作消息机器人 (系统管理员) and one's own calendar link — the same services as the pages."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Id, model_text
from core.search import MAX_ID

from . import calendar, services
from .forms import WebhookTargetForm
from .models import WebhookTarget
from .permissions import may_manage_webhooks

router = Router(tags=["integrations"])


class WebhookOut(Schema):
    id: int
    name: str
    platform: str
    department_id: int | None
    role: str
    is_active: bool
    secret_set: bool


class WebhookIn(Schema):
    name: model_text(WebhookTarget, "name", min_length=1)
    platform: model_text(WebhookTarget, "platform", min_length=1)
    url: model_text(WebhookTarget, "url", min_length=1)
    secret: model_text(WebhookTarget, "secret") = ""
    department_id: Id | None = None
    role: model_text(WebhookTarget, "role") = ""
    is_active: bool = True


class CalendarOut(Schema):
    active: bool
    created_at: datetime | None = None
    url: str | None = None  # only in the answer that created it: the token is not stored


def _out(target):
    return {
        "id": target.pk,
        "name": target.name,
        "platform": target.platform,
        "department_id": target.department_id,
        "role": target.role,
        "is_active": target.is_active,
        "secret_set": bool(target.secret),
    }


def _cleaned(payload):
    """The page's form validates the body (same messages, 422), then the service decides."""
    body = payload.dict()
    data = {
        "name": body["name"],
        "platform": body["platform"],
        "url": body["url"],
        "secret": body["secret"],
        "department": body["department_id"] or "",
        "role": body["role"],
    }
    if body["is_active"]:
        data["is_active"] = "on"
    form = WebhookTargetForm(data)
    if not form.is_valid():
        messages = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            messages += [f"{label}：{e}" if label else e for e in errors]
        raise ValidationError(messages)
    cleaned = dict(form.cleaned_data)
    cleaned["role"] = cleaned.get("role") or ""
    return cleaned


def _require_admin(user):
    if not may_manage_webhooks(user):
        raise PermissionDenied("只有系统管理员可以设置工作消息机器人。")


def _target(request, pk, action):
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_for_user(request, WebhookTarget, pk, action)


@router.get("/webhooks", response=list[WebhookOut], summary="工作消息机器人列表")
def list_webhooks(request):
    _require_admin(request.auth)
    return [_out(t) for t in visible_to(request.auth, WebhookTarget).order_by("name", "pk")[:500]]


@router.post("/webhooks", response={201: WebhookOut}, summary="添加工作消息机器人")
def create_webhook(request, payload: WebhookIn):
    _require_admin(request.auth)
    target = services.create_target(by=request.auth, data=_cleaned(payload))
    return Status(201, _out(target))


@router.put("/webhooks/{int:pk}", response=WebhookOut, summary="修改工作消息机器人（加签密钥留空表示不变）")
def update_webhook(request, pk: int, payload: WebhookIn):
    target = _target(request, pk, "change")
    target = services.update_target(by=request.auth, target=target, data=_cleaned(payload))
    return _out(target)


@router.delete("/webhooks/{int:pk}", response={204: None}, summary="删除工作消息机器人及其发送记录")
def delete_webhook(request, pk: int):
    target = _target(request, pk, "delete")
    services.delete_target(by=request.auth, target=target)
    return Status(204, None)


@router.post("/webhooks/{int:pk}/test", response={202: None}, summary="发送测试消息")
def test_webhook(request, pk: int):
    target = _target(request, pk, "change")
    services.send_test(by=request.auth, target=target)
    return Status(202, None)


@router.get("/calendar", response=CalendarOut, summary="我的日历订阅链接状态")
def my_calendar(request):
    feed = calendar.active_feed(request.auth)
    return {"active": feed is not None, "created_at": feed.created_at if feed else None}


@router.post("/calendar", response={201: CalendarOut}, summary="生成新的日历订阅链接（原链接停用；链接只返回这一次）")
def issue_calendar(request, response: HttpResponse):
    token = calendar.issue_feed(by=request.auth)
    response["Cache-Control"] = "no-store"
    feed = calendar.active_feed(request.auth)
    url = request.build_absolute_uri(reverse("integrations:calendar_feed", args=[token]))
    return Status(201, {"active": True, "created_at": feed.created_at, "url": url})


@router.delete("/calendar", response={204: None}, summary="停用日历订阅链接")
def revoke_calendar(request):
    calendar.revoke_feed(by=request.auth)
    return Status(204, None)
