"""我的工作台, 我的通知 and 审计日志: the pages over core's notifications and audit trail, and the 403 page that records
the refusal. They need the permission helper and roles of accounts, so they live above it (core sits below)."""

import datetime as dt

import django_filters
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import get_object_for_user, has_role, roles_of, visible_to
from accounts.services import record_access_denied
from core import services
from core.actions import action_choices, action_label
from core.audit import verify_and_record
from core.lists import ChoiceFilter, Column, DayFilter, ListFilterSet, ListPage, SearchFilter
from core.models import AuditEvent, Notification
from core.navigation import inbox_for
from core.pagination import CappedPaginator


@login_required
def home(request):
    """我的工作台: what waits for this user, and their latest notifications."""
    notifications = list(visible_to(request.user, Notification).filter(read_at__isnull=True)[:10])
    role_labels = [Role(r).label for r in sorted(roles_of(request.user))]
    return render(
        request,
        "workspace/home.html",
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
    return "workspace:notification_list" if request.POST.get("back") == "list" else "workspace:home"


@login_required
def notification_list(request):
    """我的通知: the whole history, newest first, 未读 / 全部; each one can be opened or marked read."""
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = visible_to(request.user, Notification).order_by("-created_at", "-id")
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = CappedPaginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "workspace/notification_list.html", {"page": page, "show": show})


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


def _object_types_by_name():
    """Chinese name → the model labels (the values of AuditEvent.object_type) that carry it."""
    names = {}
    for model in apps.get_models():
        names.setdefault(str(model._meta.verbose_name), []).append(model._meta.label_lower)
    return names


def _actions_by_label():
    """Chinese label → the action codes (exact and workflow codes of core.actions) that read so."""
    labels = {}
    for code, label in action_choices():
        labels.setdefault(label, []).append(code)
    return labels


def _name_choices(mapping):
    # The option values are the Chinese names themselves: the page never shows an internal code.
    return lambda: [(name, name) for name in sorted(mapping())]


class AuditFilter(ListFilterSet):
    action = django_filters.CharFilter(label="动作前缀，如 accounts.login", max_length=120, method="_action")
    # By Chinese label (core.actions): one exact action, or every action on one kind of object.
    action_code = ChoiceFilter(
        choices=_name_choices(_actions_by_label), empty_label="全部动作", label="动作", method="_action_code"
    )
    object_type = ChoiceFilter(
        choices=_name_choices(_object_types_by_name),
        empty_label="全部对象类型",
        label="对象类型",
        method="_object_type",
    )
    object_id = django_filters.CharFilter(label="对象编号", max_length=64, method="_object_id")
    actor = SearchFilter("actor_name", "actor__display_name", "actor__username", label="操作人")
    since = DayFilter(label="起始日期", method="_since")
    until = DayFilter(label="截止日期", method="_until")

    def _action(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(action__startswith=value) if value else queryset

    def _action_code(self, queryset, name, value):
        return queryset.filter(action__in=_actions_by_label().get(value, []))

    def _object_type(self, queryset, name, value):
        return queryset.filter(object_type__in=_object_types_by_name().get(value, []))

    def _object_id(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(object_id=value) if value else queryset

    # Whole days in local time as a range on the indexed column (at__date would read every row).
    # A bound at the ends of the calendar (0001-01-01, 9999-12-31) bounds nothing; taken literally it overflows when
    # the day is shifted to the next one or to UTC (a 500 found by the hostile-input test).
    def _since(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value)) if value > dt.date(1900, 1, 1) else queryset

    def _until(self, queryset, name, value):
        if value >= dt.date(9999, 1, 1):
            return queryset
        return queryset.filter(at__lt=_day_start(value + dt.timedelta(days=1)))


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditListPage(ListPage):
    """审计日志 for the inspector and the administrator: newest first; filter by action, actor and dates; 导出 Excel."""

    template_name = "workspace/audit_list.html"
    filterset_class = AuditFilter
    list_url_name = "workspace:audit_list"
    export_title = "审计日志"
    default_page_size = 50
    columns = (
        Column("id", "#", ("id",), "pk"),
        Column("at", "时间", ("at",), lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
        Column("actor", "操作人", (), lambda e: _actor(e)),
        Column("action", "动作", (), lambda e: action_label(e.action)),
        Column("object", "对象", (), lambda e: e.object_repr or e.object_id),
        Column("ip", "IP", (), lambda e: e.ip or ""),
    )
    default_sort = "-id"

    def check_access(self, request):
        if not has_role(request.user, Role.INSPECTOR, Role.ADMIN):
            raise PermissionDenied("仅纪检办公室和系统管理员可以查看审计日志。")

    def get_queryset(self):
        return visible_to(self.request.user, AuditEvent).select_related("actor")


def _actor(event):
    return (event.actor.display_name if event.actor else "") or event.actor_name or "（系统/匿名）"


audit_list = AuditListPage.as_view()
audit_list_export = AuditListPage.as_view(export=True)


@login_required
@require_POST
def audit_verify(request):
    """校验审计链: the check of `manage.py verify_audit`, run by 纪检办 or the administrator; the check is audited."""
    if not has_role(request.user, Role.INSPECTOR, Role.ADMIN):
        raise PermissionDenied("仅纪检办公室和系统管理员可以校验审计链。")
    ok, message, _broken = verify_and_record(by=request.user)
    (messages.success if ok else messages.error)(request, message)
    return redirect("workspace:audit_list")


@requires_csrf_token
def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    record_access_denied(user=user, path=request.path, reason=str(exception or "")[:200])
    message = str(exception) if exception and str(exception) else "您没有权限访问该页面。"
    return render(request, "403.html", {"message": message}, status=403)
