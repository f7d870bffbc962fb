from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import get_object_for_user, has_role, roles_of, visible_to
from accounts.services import record_access_denied
from core.pagination import CappedPaginator

from . import services
from .models import AuditEvent, Notification
from .navigation import inbox_for
from .search import search_text


@login_required
def home(request):
    """我的工作台: what waits for this user, and their latest notifications."""
    notifications = list(visible_to(request.user, Notification).filter(read_at__isnull=True)[:10])
    role_labels = [Role(r).label for r in sorted(roles_of(request.user))]
    return render(
        request,
        "core/home.html",
        {"inbox": inbox_for(request.user), "notifications": notifications, "role_labels": role_labels},
    )


@login_required
@require_POST
def notifications_read(request):
    count = services.mark_notifications_read(by=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect(_back_to_notifications(request))


def _back_to_notifications(request):
    """Back to the page the button was on when that was the notification list, else 我的工作台."""
    return "core:notification_list" if request.POST.get("back") == "list" else "core:home"


@login_required
def notification_list(request):
    """我的通知: the whole history, newest first, 未读 / 全部; each one can be opened or marked read."""
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = visible_to(request.user, Notification).order_by("-created_at", "-id")
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = CappedPaginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page, "show": show})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of my notifications read; with open=1 go on to the page it points to."""
    # Only the recipient sees a notification (404 for anyone else); marking it read is his own state, which the
    # read-only roles may change too.
    notification = get_object_for_user(request, Notification, pk)
    services.mark_notifications_read(by=request.user, ids=[notification.pk])
    if (
        request.POST.get("open")
        and notification.url
        and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(notification.url)
    return redirect(_back_to_notifications(request))


@login_required
def audit_list(request):
    if not has_role(request.user, Role.INSPECTOR, Role.ADMIN):
        raise PermissionDenied("仅纪检办公室和系统管理员可以查看审计日志。")
    events = visible_to(request.user, AuditEvent).select_related("actor")
    action = search_text(request, "action", 120)
    if action:
        events = events.filter(action__startswith=action)
    paginator = CappedPaginator(events.order_by("-id"), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "action": action})


@requires_csrf_token
def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    record_access_denied(user=user, path=request.path, reason=str(exception or "")[:200])
    message = str(exception) if exception and str(exception) else "您没有权限访问该页面。"
    return render(request, "403.html", {"message": message}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without request context on purpose: nothing of the failing request can leak into the page.
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
