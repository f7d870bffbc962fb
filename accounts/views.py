import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.middleware import client_ip

from . import services
from .enums import Role
from .forms import ChangePasswordForm, LoginForm
from .middleware import SESSION_AUTH_TIME_KEY
from .models import Department, RoleAssignment, User
from .permissions import get_object_for_user, visible_to


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login() rotates the session id
        self.request.session[SESSION_AUTH_TIME_KEY] = time.time()
        services.record_login(user=form.get_user(), ip=client_ip(self.request))
        return response


@require_POST
def logout_view(request):
    from django.contrib.auth import logout

    if request.user.is_authenticated:
        services.record_logout(user=request.user)
    logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(by=request.user, request=request, new_password=form.cleaned_data["new_password1"])
        messages.success(request, "密码已修改。其他设备上的登录已失效。")
        return redirect("core:home")
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
    return render(request, "accounts/user_detail.html", {"person": user})


@login_required
def token_list(request):
    """The user's own API tokens; POST issues a new one (its key is shown once, on this response only).

    Only for the people whose work uses the API (self_service.may_use_api_tokens); a token already issued can
    still be revoked by its owner (token_revoke)."""
    from django.core.exceptions import PermissionDenied

    from .models import ApiToken
    from .self_service import may_use_api_tokens

    if not may_use_api_tokens(request.user):
        raise PermissionDenied("API 令牌只发给需要用接口对接其他系统的部门。如您需要，请联系系统管理员。")

    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name or len(name) > 100 or not name.isprintable():
            messages.error(request, "请填写令牌用途（1–100 个字符）。")
        else:
            _, new_key = services.issue_api_token(by=request.user, name=name)
            messages.success(request, "令牌已生成。请立即复制保存，离开本页后将无法再次查看。")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/token_list.html", {"tokens": tokens, "new_key": new_key})


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
