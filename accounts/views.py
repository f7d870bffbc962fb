from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.middleware import client_ip

from . import cas, services
from .enums import Role
from .forms import ChangePasswordForm, LoginForm, PasswordResetRequestForm, SetNewPasswordForm
from .models import Department, RoleAssignment, User
from .permissions import NO_API_ACCESS_MESSAGE, get_object_for_user, may_use_api_tokens, visible_to
from .tokens import user_for_uid


class LoginView(auth_views.LoginView):
    """The one sign-in page. django.contrib.auth.login() rotates the session id; the session's start time, the
    throttle reset and the audit event come from the user_logged_in receiver (accounts.signals), as for any path."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def admin_login(request, extra_context=None):
    """Replaces the Django admin's own login form (config/urls.py): the admin is entered through our sign-in page, with
    its lockout and audit. A signed-in admin goes on to the admin; a signed-in person without admin access is refused
    (403, audited) rather than sent round in a loop."""
    from django.contrib import admin
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.utils.http import url_has_allowed_host_and_scheme

    admin_index = reverse("admin:index")
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = admin_index
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(target)
        raise PermissionDenied("您的账户没有进入系统后台的权限。")
    return redirect_to_login(target, reverse("accounts:login"))


@require_POST
def logout_view(request):
    from django.contrib.auth import logout

    sign_on_logout = cas.logout_redirect(request)  # a CAS session also signs out of the CAS server (single logout)
    logout(request)  # audited by the user_logged_out receiver (accounts.signals)
    messages.success(request, "您已安全退出。")
    return redirect(sign_on_logout or "accounts:login")


@login_required
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(by=request.user, request=request, new_password=form.cleaned_data["new_password1"])
        messages.success(request, "密码已修改。其他设备上的登录已失效。")
        return redirect("workspace:home")
    return render(request, "accounts/password_change.html", {"form": form})


class UserFilter(ListFilterSet):
    q = SearchFilter("username", "display_name", label="工号或姓名")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )
    role = ChoiceFilter(choices=Role.choices, empty_label="全部角色", label="角色", method="_role")
    active = ChoiceFilter(
        choices=(("1", "正常"), ("0", "已停用")), empty_label="全部状态", label="状态", method="_active"
    )

    def _role(self, queryset, name, value):
        # A subquery, not a join: a 系主任 of two departments would otherwise be listed twice.
        return queryset.filter(pk__in=RoleAssignment.objects.filter(role=value).values("user_id"))

    def _active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


def _roles(user):
    return "、".join(str(r) for r in user.role_assignments.all())


class UserListPage(ListPage):
    template_name = "accounts/user_list.html"
    filterset_class = UserFilter
    list_url_name = "accounts:user_list"
    export_title = "用户"
    default_page_size = 50
    columns = (
        Column("username", "工号", ("username",), "username"),
        Column("name", "姓名", ("display_name",), "display_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("roles", "角色", (), _roles),
        Column("active", "状态", ("is_active",), lambda u: "正常" if u.is_active else "已停用"),
    )
    default_sort = "username"

    def get_queryset(self):
        return (
            visible_to(self.request.user, User)
            .select_related("department")
            # Ordered by role, not RoleAssignment's default (user__username), which joined the whole user table
            # into the prefetch (a hash of 20,000 users per page in the PostgreSQL plan before ANALYZE).
            .prefetch_related(
                Prefetch(
                    "role_assignments",
                    queryset=RoleAssignment.objects.select_related("department").order_by("role", "pk"),
                )
            )
        )


user_list = UserListPage.as_view()
user_list_export = UserListPage.as_view(export=True)


@login_required
def user_detail(request, pk):
    user = get_object_for_user(
        request, User.objects.select_related("department").prefetch_related("role_assignments__department"), pk
    )
    may_activate = (
        user.is_active and not user.has_usable_password() and services.may_issue_activation(request.user, user)
    )
    return render(request, "accounts/user_detail.html", {"person": user, "may_activate": may_activate})


@login_required
def token_list(request):
    """The user's own API tokens; POST issues a new one (its key is shown once, on this response only).

    Only for the people whose work uses the API (permissions.may_use_api_tokens, asked again by the service); a
    token already issued can still be revoked by its owner (token_revoke)."""
    from django.core.exceptions import PermissionDenied

    from .models import ApiToken

    if not may_use_api_tokens(request.user):
        raise PermissionDenied(NO_API_ACCESS_MESSAGE)

    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name or len(name) > 100 or not name.isprintable():
            messages.error(request, "请填写令牌用途（1–100 个字符）。")
        else:
            _, new_key = services.issue_api_token(by=request.user, name=name)
            messages.success(request, "令牌已生成。请立即复制保存，离开本页后将无法再次查看。")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    context = {"tokens": tokens, "new_key": new_key, "now": timezone.now(), "token_days": settings.API_TOKEN_DAYS}
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    from django.http import Http404

    from .models import ApiToken

    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404("令牌不存在。")
    services.revoke_api_token(by=request.user, token=token)
    messages.success(request, f"令牌「{token.name}」已吊销。")
    return redirect("accounts:token_list")


# --- First-login activation and 忘记密码 ------------------------------------------------------------------------------


def _set_password_page(request, uidb64, token, *, checker, service, title, invalid_message, done_message):
    """GET: the form (or an 'invalid link' page, 400); POST: set the password through `service`, then say so (200)."""
    from django.core.exceptions import ValidationError

    user = user_for_uid(uidb64)
    valid = user is not None and checker(user, token)
    form = done = None
    if valid:
        form = SetNewPasswordForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(user=user, token=token, new_password=form.cleaned_data["new_password1"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                valid, form = False, None
                done = done_message
    context = {"form": form, "valid": valid, "done": done, "title": title, "invalid_message": invalid_message}
    # Referrer-Policy stays same-origin (every page): the link's token is never sent to another site.
    return render(
        request, "accounts/set_password.html", {**context, "person": user}, status=200 if valid or done else 400
    )


def activate(request, uidb64, token):
    from .tokens import activation_tokens

    return _set_password_page(
        request,
        uidb64,
        token,
        checker=lambda user, tok: not user.has_usable_password() and activation_tokens.check_token(user, tok),
        service=services.activate_account,
        title="激活账户",
        invalid_message="激活链接无效、已使用或已过期。请联系人事部重新生成激活链接。",
        done_message="账户已激活，请用工号和新密码登录。",
    )


def password_reset_confirm(request, uidb64, token):
    from .tokens import reset_tokens

    return _set_password_page(
        request,
        uidb64,
        token,
        checker=reset_tokens.check_token,
        service=services.reset_password_by_link,
        title="设置新密码",
        invalid_message="重置链接无效、已使用或已过期，请重新申请。",
        done_message="密码已重置，请用新密码登录。",
    )


def password_reset(request):
    """忘记密码: the same answer whether the 工号/e-mail exists or not (and whether it was rate-limited)."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(
            identifier=form.cleaned_data["identifier"],
            ip=client_ip(request),
            base_url=f"{request.scheme}://{request.get_host()}",
        )
        messages.success(
            request,
            "如果该工号或电子邮箱对应的账户登记了电子邮箱，我们已向其发送重置密码的链接，"
            f"请在 {settings.PASSWORD_RESET_MINUTES} 分钟内使用。没有收到邮件请联系人事部。",
        )
        return redirect("accounts:password_reset")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_required
@require_POST
def issue_activation(request, pk):
    """An officer issues a first-login link for an account without a password; the link is shown once, here."""
    from django.core.exceptions import PermissionDenied, ValidationError

    person = get_object_for_user(request, User.objects.select_related("department"), pk)
    if not services.may_issue_activation(request.user, person):
        raise PermissionDenied("您没有权限为该账户生成激活链接。")
    try:
        path = services.issue_activation(
            by=request.user, user=person, base_url=f"{request.scheme}://{request.get_host()}"
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("accounts:user_detail", pk=person.pk)
    response = render(
        request,
        "accounts/activation_issued.html",
        {"person": person, "link": request.build_absolute_uri(path), "days": settings.ACCOUNT_ACTIVATION_DAYS},
    )
    response["Cache-Control"] = "no-store"
    return response
