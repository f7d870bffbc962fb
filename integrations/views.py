"""Pages: 日历订阅 (个人中心), the feed itself, and 工作消息机器人 (系统管理)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import get_object_for_user, visible_to
from core.pagination import CappedPaginator

from . import calendar, services
from .forms import WebhookTargetForm
from .models import DeliveryAttempt, WebhookTarget, WorkMessage
from .permissions import may_manage_webhooks

# --- 日历订阅 -------------------------------------------------------------------------------------------------------


@login_required
def calendar_settings(request):
    """个人中心 → 日历订阅: generate (again) or stop the private link. The link is shown once, right after it is made."""
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if calendar.revoke_feed(by=request.user):
                messages.success(request, "订阅链接已停用，已订阅的日历将不再更新。")
            return redirect("integrations:calendar")
        token = calendar.issue_feed(by=request.user)
        new_url = request.build_absolute_uri(reverse("integrations:calendar_feed", args=[token]))
        messages.success(request, "已生成新的订阅链接，原有链接（如有）已停用。")
    feed = calendar.active_feed(request.user)
    response = render(request, "integrations/calendar.html", {"feed": feed, "new_url": new_url})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed(request, token):
    """The .ics of the link's owner. No session: the unguessable token is the credential; unknown or revoked → 404."""
    feed = calendar.feed_for_token(token)
    if feed is None:
        raise Http404("订阅链接无效或已停用。")
    response = HttpResponse(calendar.ics_bytes(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="studio-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- 工作消息机器人 -------------------------------------------------------------------------------------------------


def _require_admin(request):
    if not may_manage_webhooks(request.user):
        raise PermissionDenied("只有系统管理员可以设置工作消息机器人。")


def _form_data(form):
    data = dict(form.cleaned_data)
    data["role"] = data.get("role") or ""
    return data


@login_required
def webhook_list(request):
    _require_admin(request)
    targets = visible_to(request.user, WebhookTarget).select_related("department").order_by("name", "pk")
    context = {"targets": targets, "enabled": _enabled()}
    return render(request, "integrations/webhook_list.html", context)


def _enabled():
    return settings.WORK_MESSAGES


@login_required
def webhook_create(request):
    _require_admin(request)
    form = WebhookTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.create_target(by=request.user, data=_form_data(form))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, f"已添加机器人「{target.name}」。")
            return redirect("integrations:webhook_detail", pk=target.pk)
    return render(request, "integrations/webhook_form.html", {"form": form, "title": "添加工作消息机器人"})


def _errors(form, exc):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def webhook_detail(request, pk):
    """One robot: its settings (edit) and its latest messages with every delivery attempt."""
    target = get_object_for_user(request, WebhookTarget.objects.select_related("department"), pk, "change")
    initial = {
        "name": target.name,
        "platform": target.platform,
        "url": target.url,
        "department": target.department_id,
        "role": target.role,
        "is_active": target.is_active,
    }
    form = WebhookTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_target(by=request.user, target=target, data=_form_data(form))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("integrations:webhook_detail", pk=target.pk)
    recent = (
        WorkMessage.objects.filter(target=target)
        .prefetch_related(Prefetch("deliveries", queryset=DeliveryAttempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")
    )
    page = CappedPaginator(recent, 20).get_page(request.GET.get("page"))
    context = {"form": form, "target": target, "page": page, "title": f"工作消息机器人：{target.name}"}
    return render(request, "integrations/webhook_form.html", context)


@login_required
@require_POST
def webhook_delete(request, pk):
    target = get_object_for_user(request, WebhookTarget, pk, "delete")
    services.delete_target(by=request.user, target=target)
    messages.success(request, f"已删除机器人「{target.name}」及其发送记录。")
    return redirect("integrations:webhook_list")


@login_required
@require_POST
def webhook_test(request, pk):
    target = get_object_for_user(request, WebhookTarget, pk, "change")
    services.send_test(by=request.user, target=target)
    messages.success(request, "测试消息已交给后台发送，稍后刷新本页查看发送结果。")
    return redirect("integrations:webhook_detail", pk=target.pk)
