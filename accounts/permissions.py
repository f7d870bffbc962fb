"""The one place that answers "may this user do X to this object" and "which rows may this user see".

Each model with access rules registers an ObjectPolicy (its app does it in permissions.py, imported by apps.ready()).
Views never test roles themselves: they call get_object_for_user() / visible_to() / can().
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from .enums import ALL_SCOPE_ROLES, READ_ONLY_ROLES, Role

READ_ACTIONS = frozenset({"view", "download", "export"})
# The only writes a holder of a read-only role (纪检办, 校领导) may make: his own supervision work (DOMAIN §2: the
# inspector's 监督意见). An ObjectPolicy that offers such an action names it here; every other write is refused.
SUPERVISION_ACTIONS = frozenset({"supervise"})
# Questions about what a user may SEE, asked through can() but not writes (blind review identity, an ID number in
# clear): the read-only rule does not apply to them.
SEE_ACTIONS = frozenset({"see_identity", "see_personal_data", "reveal_id"})
READ_ONLY_MESSAGE = "您担任纪检办公室或校领导岗位，账号为只读：不能填报、申报、表决、提出异议或修改业务数据。"
# How a refused action reads in a 403 message.
ACTION_LABELS = {
    "view": "查看",
    "download": "下载",
    "export": "导出",
    "change": "修改",
    "edit": "编辑",
    "delete": "删除",
    "transition": "办理",
    "upload": "上传材料到",
    "review": "评审",
    "vote": "表决",
}


# --- Roles ----------------------------------------------------------------------------------------------------------


def _assignments(user):
    """(role, department id or None) of each role assignment. The signed-in user of a request carries them as text
    from the backend's one SELECT (accounts.backends: role_assignments_text, None when he has none); any other user
    reads role_assignments (prefetched by views that list users: reused instead of querying per row)."""
    if hasattr(user, "role_assignments_text"):
        pairs = (item.partition(":") for item in (user.role_assignments_text or "").split(",") if item)
        return [(role, int(department) if department else None) for role, _sep, department in pairs]
    return [(a.role, a.department_id) for a in user.role_assignments.all()]


def _load_roles(user):
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        roles = set()
        dept_ids = set()
        if user.is_authenticated and user.is_active:
            if not getattr(user, "is_external", False):
                roles.add(Role.STAFF.value)
            if user.is_superuser:
                roles.add(Role.ADMIN.value)
            for role, department_id in _assignments(user):
                roles.add(role)
                if role == Role.DEPT_HEAD and department_id:
                    dept_ids.add(department_id)
        cache = (frozenset(roles), frozenset(dept_ids))
        user._role_cache = cache
    return cache


def roles_of(user) -> frozenset:
    if user is None or not user.is_authenticated:
        return frozenset()
    return _load_roles(user)[0]


def has_role(user, *roles) -> bool:
    return bool(roles_of(user) & {str(r) for r in roles})


def headed_department_ids(user) -> frozenset:
    """Departments this user heads (系部 data scope of dept_head)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return _load_roles(user)[1]


def sees_everything(user) -> bool:
    return has_role(user, *ALL_SCOPE_ROLES)


def is_read_only(user) -> bool:
    """Does this user hold a read-only role (纪检办, 校领导)? Then he writes nothing but his own supervision work —
    whatever other role he also holds (staff, a department head, an expert …): supervisors do not take part."""
    return bool(roles_of(user) & READ_ONLY_ROLES)


def write_roles_of(user) -> frozenset:
    """Roles that may write: none at all for a holder of a read-only role (see is_read_only)."""
    roles = roles_of(user)
    return frozenset() if roles & READ_ONLY_ROLES else roles


def may_write_as(user, *roles) -> bool:
    return bool(write_roles_of(user) & {str(r) for r in roles})


def require_write_access(user):
    """The service-layer guard: every write service that is not already gated by may_write_as() (owner writes: own
    records, own application, own vote/review/objection) calls this first. Raises PermissionDenied for read-only roles."""
    if is_read_only(user):
        raise PermissionDenied(READ_ONLY_MESSAGE)


# Roles whose work includes scripts against the API (imports, exports, integrations). Everybody else works in the
# pages; settings.API_TOKENS_FOR_EVERYONE opens API tokens to every signed-in person (issue 9 item 11).
API_TOKEN_ROLES = frozenset(
    {Role.ADMIN, Role.TEACHING_AFFAIRS, Role.HR, Role.DEV_OFFICE, Role.FINANCE, Role.COOP_OFFICE}
)
NO_API_ACCESS_MESSAGE = "API 令牌只发给需要用接口对接其他系统的部门。如您需要，请联系系统管理员。"


def may_use_api_tokens(user) -> bool:
    """Who may hold a personal API token: the page (accounts:token_list) and the service (issue_api_token) ask this."""
    if user is None or not user.is_authenticated:
        return False
    return getattr(settings, "API_TOKENS_FOR_EVERYONE", False) or has_role(user, *API_TOKEN_ROLES)


def forget_roles(user):
    if hasattr(user, "_role_cache"):
        del user._role_cache


# --- Object policies ------------------------------------------------------------------------------------------------


class ObjectPolicy:
    """Override visible() and can() per model. Default: nobody sees or does anything."""

    def visible(self, user, queryset: QuerySet) -> QuerySet:
        return queryset.none()

    def can(self, user, action: str, obj) -> bool:
        return False


_POLICIES: dict[type, ObjectPolicy] = {}


def register_policy(model, policy: ObjectPolicy):
    _POLICIES[model] = policy
    return policy


def policy_for(model) -> ObjectPolicy:
    try:
        return _POLICIES[model]
    except KeyError:  # pragma: no cover - a programming error, surfaced loudly
        raise LookupError(f"No ObjectPolicy registered for {model.__name__}") from None


def visible_to(user, model_or_queryset) -> QuerySet:
    """The rows of this model the user may see."""
    if isinstance(model_or_queryset, QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        queryset = model._default_manager.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return policy_for(model).visible(user, queryset)


def can(user, action: str, obj) -> bool:
    """May this user do `action` to obj? Any action other than a read (or his own supervision work) is refused to a
    holder of a read-only role, whatever the model's policy says — one rule for every model."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action not in READ_ACTIONS | SEE_ACTIONS | SUPERVISION_ACTIONS and is_read_only(user):
        return False
    return policy_for(type(obj)).can(user, action, obj)


def get_object_for_user(request, model_or_queryset, pk, action="view"):
    """Fetch one object and check access: 404 if the user may not see it (no IDOR probing), 403 if they may see it
    but not do `action`."""
    queryset = visible_to(request.user, model_or_queryset)
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("对象不存在或您无权查看。") from None
    if action != "view" and not can(request.user, action, obj):
        if action not in READ_ACTIONS | SEE_ACTIONS and is_read_only(request.user):
            raise PermissionDenied(READ_ONLY_MESSAGE)
        raise PermissionDenied(f"您没有权限{ACTION_LABELS.get(action, '执行此操作')}：{obj._meta.verbose_name}。")
    return obj


# --- Policies of this app -------------------------------------------------------------------------------------------


class UserPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        if sees_everything(user):
            return queryset
        dept_ids = headed_department_ids(user)
        if dept_ids:
            return queryset.filter(Q(department_id__in=dept_ids) | Q(pk=user.pk))
        return queryset.filter(pk=user.pk)

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action == "change_own":
            return obj.pk == user.pk
        if action == "manage":  # enable/disable, reset password, change roles (系统管理 › 用户管理)
            return may_manage_account(user, obj)
        return may_write_as(user, Role.ADMIN, Role.HR)


class DepartmentPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return True
        return may_write_as(user, Role.ADMIN)


# --- Account management (系统管理) -----------------------------------------------------------------------------------

# Which roles each managing role may grant and revoke. 人事部 appoints officers but neither the system administrator
# nor the discipline office that oversees everyone (and so cannot make itself or anyone else admin); 教学工作部 keeps
# the expert pool. `staff` is never granted: every internal user holds it implicitly.
GRANTABLE_ROLES = {
    Role.ADMIN: frozenset(r for r in Role if r != Role.STAFF),
    Role.HR: frozenset(
        {
            Role.DEPT_HEAD,
            Role.TEACHING_AFFAIRS,
            Role.EXPERT,
            Role.COMMITTEE,
            Role.DEV_OFFICE,
            Role.FINANCE,
            Role.HR,
            Role.COOP_OFFICE,
            Role.LEADERSHIP,
        }
    ),
    Role.TEACHING_AFFAIRS: frozenset({Role.EXPERT}),
}
# Roles an external (校外) account may hold.
EXTERNAL_ROLES = frozenset({Role.EXPERT})


def grantable_roles(user) -> frozenset:
    """The roles `user` may grant or revoke (empty for everybody but admin, HR and teaching affairs)."""
    granted = set()
    for role, grantable in GRANTABLE_ROLES.items():
        if may_write_as(user, role):
            granted |= grantable
    return frozenset(granted)


def may_manage_account(user, account) -> bool:
    """May `user` enable/disable `account`, reset its password or change its roles? Admin: anyone but himself.
    人事部: internal and external accounts whose roles it could have granted itself (never an admin or the discipline
    office, nor a superuser); 校企办: external accounts. Nobody manages his own account here."""
    if user is None or not user.is_authenticated or account.pk == user.pk:
        return False
    if may_write_as(user, Role.ADMIN):
        return True
    if account.is_superuser:
        return False
    if account.is_external and may_write_as(user, Role.COOP_OFFICE):
        return True  # 校企办 looks after the accounts of partner-enterprise staff (they hold at most 评审专家)
    if not may_write_as(user, Role.HR):
        return False
    held = {a.role for a in account.role_assignments.all()}
    return held <= {str(r) for r in GRANTABLE_ROLES[Role.HR]}
