"""Who sees and does what with funds (registered for BudgetLine and Expenditure in apps.ready()). The ONE place for
funds' permission questions; views and the API call these helpers (through accounts.permissions for objects).

Visible (budget lines and expenditures): the studio's master and members past and present, the head of the studio's
department, and the roles that see every row (财务部, school offices, 纪检办, 校领导, admin).
Writes (the studio must be active — a revoked studio is read-only):
- budget lines: 财务部 for every source; the head of the studio's department for the 系部配套 source of its studios;
- expenditures: the studio's master or its current 执行负责人 enter, change, upload vouchers and submit (draft or
  returned); 财务部 confirms or returns a submitted expenditure and approves an overrun (超支审批) on a draft or
  returned one.
- the overview across studios: 财务部 and the other all-row roles see every studio, a department head his own.
"""

from django.db.models import Q

from accounts.enums import ALL_SCOPE_ROLES, Role
from accounts.permissions import (
    READ_ACTIONS,
    ObjectPolicy,
    has_role,
    headed_department_ids,
    is_read_only,
    may_write_as,
)
from ledger.permissions import visible_records_q
from studios.enums import StudioStatus
from studios.models import Membership

from .enums import ExpenditureStatus, FundingSource

SPEND_ACTIONS = frozenset({"edit", "upload", "submit"})
FINANCE_ACTIONS = frozenset({"confirm", "return"})


def is_finance(user):
    return may_write_as(user, Role.FINANCE)


def is_spender(user, studio):
    """The studio's master or its current 执行负责人 (studio must be active)."""
    if studio.status == StudioStatus.REVOKED or not user.is_authenticated or is_read_only(user):
        return False
    if studio.master_id == user.pk:
        return True
    if not studio.exec_lead_id:
        return False
    return Membership.objects.filter(pk=studio.exec_lead_id, user_id=user.pk, left_on__isnull=True).exists()


def budget_sources(user, studio):
    """The funding sources `user` may enter budget lines for on `studio` (empty: none)."""
    if studio.status == StudioStatus.REVOKED:
        return frozenset()
    if is_finance(user):
        return frozenset(FundingSource.values)
    if may_write_as(user, Role.DEPT_HEAD) and studio.department_id in headed_department_ids(user):
        return frozenset({FundingSource.DEPARTMENT.value})
    return frozenset()


def sees_overview(user):
    """The cross-studio views (预算执行情况): the all-row roles and department heads."""
    return has_role(user, *ALL_SCOPE_ROLES) or bool(headed_department_ids(user))


def overview_studio_q(user, prefix=""):
    """Q over studios (prefix="") or rows with a studio (prefix="studio__") in the overview; None: every studio."""
    if has_role(user, *ALL_SCOPE_ROLES):
        return None
    return Q(**{f"{prefix}department_id__in": headed_department_ids(user)})


def funds_studios(user, queryset):
    """The studios (a Studio queryset) whose funds `user` sees: the same people as for the rows (the studio's master
    and members past and present, its department head, the all-row roles)."""
    if has_role(user, *ALL_SCOPE_ROLES):
        return queryset
    return queryset.filter(
        Q(department_id__in=headed_department_ids(user))
        | Q(master_id=user.pk)
        | Q(pk__in=Membership.objects.filter(user_id=user.pk).values("studio_id"))
    )


def can_manage_categories(user):
    return may_write_as(user, Role.FINANCE, Role.ADMIN)


class _StudioRowPolicy(ObjectPolicy):
    def visible(self, user, queryset):
        q = visible_records_q(user)
        return queryset if q is None else queryset.filter(q)


class BudgetLinePolicy(_StudioRowPolicy):
    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        if action == "edit":
            return obj.source in budget_sources(user, obj.studio)
        return False


class ExpenditurePolicy(_StudioRowPolicy):
    def can(self, user, action, obj):
        if action in READ_ACTIONS:
            return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        studio = obj.studio
        if studio.status == StudioStatus.REVOKED:
            return False
        if action in SPEND_ACTIONS:
            return obj.is_editable and is_spender(user, studio)
        if action in FINANCE_ACTIONS:
            return obj.status == ExpenditureStatus.SUBMITTED and is_finance(user)
        if action == "approve_overrun":
            return obj.is_editable and is_finance(user)
        return False
