"""REST API of 系统管理, mounted at /api/v1/system/ (see config/api.py): every write the /system/ pages offer, and the
first-login activation link of the accounts page (accounts:issue_activation).

Each operation checks the section (administration.access, as the page), fetches objects through
accounts.permissions, validates with the page's OWN form and calls the SAME service as the page (by=, one transaction,
an audit event). Updates are PATCH: the fields sent are laid over the stored values and the whole form is validated
again, as a page submission would be. A refusal answers 403/404/422 in Chinese and changes nothing.
tests/security/test_api_parity.py maps each page write to its operation here.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts import otp
from accounts import services as account_services
from accounts.enums import Role
from accounts.models import Department, Major, User
from accounts.permissions import can, get_object_for_user, grantable_roles, visible_to
from applications.enums import CallStatus
from applications.models import Call, Rubric, RubricCriterion, WorkdayOverride
from applications.services import settings as settings_services
from core.apitypes import Code, Id, model_text, text
from core.pagination import BoundedPagination
from core.refusals import Refusal
from core.search import MAX_ID
from people import services as people_services
from people.models import HonorKind, PolicyVersion

from .access import (
    editable_rubric,
    expert_rows,
    external_only,
    person_for,
    require_section,
    rubric_criterion,
    user_rows,
)
from .forms import (
    CriterionForm,
    DepartmentForm,
    ExpertAddForm,
    HonorKindForm,
    MajorForm,
    PolicyVersionForm,
    RoleGrantForm,
    RubricForm,
    UserCreateForm,
    UserFilterForm,
    WorkdayOverrideForm,
)

router = Router(tags=["system"])
PREFIX = "system"

SmallInt = Annotated[int, Field(ge=0, le=32767)]
Order = Annotated[int, Field(ge=0, le=2_147_483_647)]


class NotFound(Refusal):
    status = 404


def _pk(value):
    """A path id beyond the database integer cannot exist (and would overflow SQLite: a 500)."""
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def _valid(form):
    """The page's form decides; its messages (with the field's label) are the 422 answer."""
    if form.is_valid():
        return form.cleaned_data
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        messages += [f"{label}：{error}" if label else error for error in errors]
    raise ValidationError(messages)


def _merged(form_class, instance, changes, **kwargs):
    """A bound form for PATCH: the stored values of the form's fields, with the fields sent laid over them."""
    data = model_to_dict(instance, fields=form_class._meta.fields)
    data.update(changes)
    return form_class({k: v for k, v in data.items() if v is not None}, instance=instance, **kwargs)


def _changes(payload, renames=None):
    """The fields the caller sent, with *_id renamed to the form's field name (department_id → department)."""
    data = payload.dict(exclude_unset=True)
    for old, new in (renames or {}).items():
        if old in data:
            data[new] = data.pop(old)
    return data


def _no_store(response):
    """A temporary password or a one-time link: shown once, never cached."""
    response["Cache-Control"] = "no-store"


# --- 账户与角色 ------------------------------------------------------------------------------------------------------


class RoleAssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    department_id: int | None

    @staticmethod
    def resolve_role_label(obj):
        return Role(obj.role).label


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    department_id: int | None
    is_external: bool
    is_active: bool
    must_change_password: bool
    email: str
    phone: str
    roles: list[RoleAssignmentOut]

    @staticmethod
    def resolve_roles(obj):
        return sorted(obj.role_assignments.all(), key=lambda a: (a.role, a.department_id or 0))


class UserCreateIn(Schema):
    username: model_text(User, "username")
    display_name: model_text(User, "display_name")
    is_external: bool = False
    department_id: Id | None = None
    email: model_text(User, "email") = ""
    phone: model_text(User, "phone") = ""


class TemporaryPasswordOut(Schema):
    user: UserOut
    temporary_password: str = Field(..., description="临时密码：只显示这一次，对方首次登录时须修改")


class ActiveIn(Schema):
    active: bool


class RoleGrantIn(Schema):
    role: Code
    department_id: Id | None = Field(None, description="仅「系（部）主任」需要")


class ActivationOut(Schema):
    user_id: int
    link: str = Field(..., description="激活链接：只显示这一次")
    days: int
    emailed: bool


class RoleOut(Schema):
    role: str
    label: str
    grantable: bool


def _user(request, pk):
    return user_rows(request.auth).get(pk=pk)


@router.get("/roles", response=list[RoleOut], summary="角色（及您可以授予哪些）")
def system_roles(request):
    require_section(request.auth, "users")
    mine = grantable_roles(request.auth)
    return [{"role": r.value, "label": r.label, "grantable": r in mine} for r in Role if r != Role.STAFF]


@router.get(
    "/users",
    response=list[UserOut],
    summary="账户列表（筛选同页面：q 工号或姓名、department_id、role、status=active/inactive）",
)
@paginate(BoundedPagination)
def system_users(
    request,
    q: text(50) = "",
    department_id: Id | None = None,
    role: Code = "",
    status: Code = "",
):
    require_section(request.auth, "users")
    form = UserFilterForm({"q": q, "department": department_id or "", "role": role, "status": status})
    return user_rows(request.auth, _valid(form))


@router.get("/users/{int:pk}", response=UserOut, summary="账户")
def system_user(request, pk: int):
    require_section(request.auth, "users")
    return person_for(request, _pk(pk))


@router.post("/users", response={201: TemporaryPasswordOut}, summary="新建账户（返回只显示一次的临时密码）")
def system_create_user(request, payload: UserCreateIn, response: HttpResponse):
    require_section(request.auth, "users")
    data = _changes(payload, {"department_id": "department"})
    cleaned = _valid(UserCreateForm(data, external_only=external_only(request.auth)))
    user = account_services.create_user(
        by=request.auth,
        username=cleaned["username"],
        display_name=cleaned["display_name"],
        department=cleaned["department"],
        email=cleaned["email"],
        phone=cleaned["phone"],
        is_external=cleaned["is_external"],
    )
    temporary = account_services.reset_password(by=request.auth, user=user)
    _no_store(response)
    return Status(201, {"user": _user(request, user.pk), "temporary_password": temporary})


@router.post("/users/{int:pk}/active", response=UserOut, summary="启用或停用账户")
def system_set_active(request, pk: int, payload: ActiveIn):
    require_section(request.auth, "users")
    person = person_for(request, _pk(pk), "manage")
    account_services.set_active(by=request.auth, user=person, active=payload.active)
    return _user(request, person.pk)


@router.post("/users/{int:pk}/password", response=TemporaryPasswordOut, summary="重置为临时密码（只显示一次）")
def system_reset_password(request, pk: int, response: HttpResponse):
    require_section(request.auth, "users")
    person = person_for(request, _pk(pk), "manage")
    temporary = account_services.reset_password(by=request.auth, user=person)
    _no_store(response)
    return {"user": _user(request, person.pk), "temporary_password": temporary}


@router.post("/users/{int:pk}/otp/reset", response=UserOut, summary="重置两步验证（清除身份验证器和恢复码）")
def system_reset_otp(request, pk: int):
    require_section(request.auth, "users")
    person = person_for(request, _pk(pk), "manage")
    otp.reset_devices(by=request.auth, user=person)
    return _user(request, person.pk)


@router.post("/users/{int:pk}/roles", response={201: RoleAssignmentOut}, summary="授予角色")
def system_grant_role(request, pk: int, payload: RoleGrantIn):
    require_section(request.auth, "users")
    person = person_for(request, _pk(pk), "manage")
    form = RoleGrantForm(
        {"role": payload.role, "department": payload.department_id or ""}, roles=grantable_roles(request.auth)
    )
    cleaned = _valid(form)
    assignment = account_services.assign_role(
        by=request.auth, user=person, role=cleaned["role"], department=cleaned["department"]
    )
    return Status(201, assignment)


@router.delete("/users/{int:pk}/roles/{int:assignment_pk}", response={204: None}, summary="撤销角色")
def system_revoke_role(request, pk: int, assignment_pk: int):
    require_section(request.auth, "users")
    person = person_for(request, _pk(pk), "manage")
    assignment = next((a for a in person.role_assignments.all() if a.pk == assignment_pk), None)
    if assignment is None:
        raise NotFound("该角色已被撤销。")
    account_services.revoke_role(by=request.auth, user=person, role=assignment.role, department=assignment.department)
    return Status(204, None)


@router.post(
    "/users/{int:pk}/activation",
    response={201: ActivationOut},
    summary="生成首次登录激活链接（人事部、管理员；只显示一次，有邮箱时同时发送）",
)
def system_issue_activation(request, pk: int, response: HttpResponse):
    # The checks of the accounts page (accounts.views.issue_activation): any account the caller sees, then the rule.
    person = get_object_for_user(request, User.objects.select_related("department"), _pk(pk))
    if not account_services.may_issue_activation(request.auth, person):
        raise PermissionDenied("您没有权限为该账户生成激活链接。")
    path = account_services.issue_activation(
        by=request.auth, user=person, base_url=f"{request.scheme}://{request.get_host()}"
    )
    _no_store(response)
    link = request.build_absolute_uri(path)
    return Status(
        201,
        {"user_id": person.pk, "link": link, "days": settings.ACCOUNT_ACTIVATION_DAYS, "emailed": bool(person.email)},
    )


# --- 评审专家库 ------------------------------------------------------------------------------------------------------


class ExpertOut(Schema):
    user_id: int
    username: str = Field(..., alias="user.username")
    display_name: str = Field(..., alias="user.display_name")
    department_id: int | None = Field(None, alias="user.department_id")
    is_external: bool = Field(..., alias="user.is_external")
    is_active: bool = Field(..., alias="user.is_active")
    granted_by_id: int | None
    granted_at: dt.datetime = Field(..., alias="created_at")


class ExpertIn(Schema):
    username: model_text(User, "username") = Field(..., description="工号（校内外均可）")


@router.get("/experts", response=list[ExpertOut], summary="评审专家库")
@paginate(BoundedPagination)
def system_experts(request):
    require_section(request.auth, "experts")
    return expert_rows(request.auth)


@router.post("/experts", response={201: ExpertOut}, summary="加入评审专家库")
def system_add_expert(request, payload: ExpertIn):
    require_section(request.auth, "experts")
    cleaned = _valid(ExpertAddForm({"username": payload.username}))
    person = get_object_for_user(request, User, cleaned["username"].pk)
    assignment = account_services.assign_role(by=request.auth, user=person, role=Role.EXPERT)
    return Status(201, expert_rows(request.auth).get(pk=assignment.pk))


@router.delete("/experts/{int:pk}", response={204: None}, summary="移出评审专家库（已分配的评审不受影响）")
def system_remove_expert(request, pk: int):
    require_section(request.auth, "experts")
    person = get_object_for_user(request, User, _pk(pk))
    if not account_services.revoke_role(by=request.auth, user=person, role=Role.EXPERT):
        raise NotFound(f"{person.display_name}不在评审专家库中。")
    return Status(204, None)


# --- 政策参数 --------------------------------------------------------------------------------------------------------


class PolicyOut(Schema):
    id: int
    year: int
    editable: bool = Field(..., description="尚未生效（次年及以后），可以修改")
    school_name: str
    master_max_age: int
    enterprise_work_years: int
    practice_months: int
    min_core_teachers: int
    publicity_days: int
    publicity_working_days: bool
    annual_report_due_month: int
    annual_report_due_day: int
    grade_excellent_min: Decimal
    grade_good_min: Decimal
    grade_pass_min: Decimal
    note: str

    @staticmethod
    def resolve_editable(obj):
        return people_services.policy_editable(obj)


Grade = Annotated[Decimal, Field(max_digits=5, decimal_places=1)]


class PolicyPatch(Schema):
    school_name: model_text(PolicyVersion, "school_name") | None = None
    master_max_age: SmallInt | None = None
    enterprise_work_years: SmallInt | None = None
    practice_months: SmallInt | None = None
    min_core_teachers: SmallInt | None = None
    publicity_days: SmallInt | None = None
    publicity_working_days: bool | None = None
    annual_report_due_month: SmallInt | None = None
    annual_report_due_day: SmallInt | None = None
    grade_excellent_min: Grade | None = None
    grade_good_min: Grade | None = None
    grade_pass_min: Grade | None = None
    note: model_text(PolicyVersion, "note") | None = None


@router.get("/policy-versions", response=list[PolicyOut], summary="政策参数版本（新年度在前）")
@paginate(BoundedPagination)
def system_policy_versions(request):
    require_section(request.auth, "policy")
    return visible_to(request.auth, PolicyVersion).order_by("-year")


@router.post(
    "/policy-versions/next", response={201: PolicyOut}, summary="由最新版本复制出下一年度版本（尚未生效的年度）"
)
def system_copy_policy(request):
    require_section(request.auth, "policy")
    latest = visible_to(request.auth, PolicyVersion).order_by("-year").first()
    if latest is None:
        raise ValidationError("还没有任何政策参数版本可以复制。")
    year = max(latest.year, timezone.localdate().year) + 1
    return Status(201, people_services.copy_policy_version(latest, by=request.auth, year=year))


@router.patch("/policy-versions/{int:pk}", response=PolicyOut, summary="修改尚未生效的政策参数")
def system_update_policy(request, pk: int, payload: PolicyPatch):
    require_section(request.auth, "policy")
    version = get_object_for_user(request, PolicyVersion, _pk(pk))
    if not (people_services.policy_editable(version) and can(request.auth, "change", version)):
        raise PermissionDenied(f"{version.year}年的政策参数已经生效，不能修改。")
    cleaned = _valid(_merged(PolicyVersionForm, version, _changes(payload)))
    return people_services.update_policy_version(version, by=request.auth, data=cleaned)


# --- 评分标准 --------------------------------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    code: str
    label: str
    weight: Decimal
    min_score: int
    max_score: int
    order: int


class RubricOut(Schema):
    id: int
    name: str
    description: str
    in_use: bool = Field(..., description="已用于开放过的申报批次，不能再修改")
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj):
        return sorted(obj.criteria.all(), key=lambda c: (c.order, c.pk))


class RubricIn(Schema):
    name: model_text(Rubric, "name")
    description: model_text(Rubric, "description") = ""


class RubricPatch(Schema):
    name: model_text(Rubric, "name") | None = None
    description: model_text(Rubric, "description") | None = None


Weight = Annotated[Decimal, Field(max_digits=5, decimal_places=2)]


class CriterionIn(Schema):
    code: model_text(RubricCriterion, "code")
    label: model_text(RubricCriterion, "label")
    weight: Weight = Decimal(1)
    min_score: SmallInt = 0
    max_score: SmallInt = 10
    order: SmallInt = 0


class CriterionPatch(Schema):
    code: model_text(RubricCriterion, "code") | None = None
    label: model_text(RubricCriterion, "label") | None = None
    weight: Weight | None = None
    min_score: SmallInt | None = None
    max_score: SmallInt | None = None
    order: SmallInt | None = None


def _rubrics(request):
    opened = Call.objects.filter(rubric=OuterRef("pk")).exclude(status=CallStatus.PLANNED)
    return visible_to(request.auth, Rubric).annotate(in_use=Exists(opened)).prefetch_related("criteria")


@router.get("/rubrics", response=list[RubricOut], summary="评分标准及评分项")
@paginate(BoundedPagination)
def system_rubrics(request):
    require_section(request.auth, "rubrics")
    return _rubrics(request).order_by("name", "id")


@router.post("/rubrics", response={201: RubricOut}, summary="新建评分标准")
def system_create_rubric(request, payload: RubricIn):
    require_section(request.auth, "rubrics")
    cleaned = _valid(RubricForm(payload.dict()))
    rubric = settings_services.save_rubric(by=request.auth, data=cleaned)
    return Status(201, _rubrics(request).get(pk=rubric.pk))


@router.patch("/rubrics/{int:pk}", response=RubricOut, summary="修改评分标准（未用于开放过的批次）")
def system_update_rubric(request, pk: int, payload: RubricPatch):
    require_section(request.auth, "rubrics")
    rubric = editable_rubric(request, _pk(pk))
    cleaned = _valid(_merged(RubricForm, rubric, _changes(payload)))
    settings_services.save_rubric(rubric, by=request.auth, data=cleaned)
    return _rubrics(request).get(pk=rubric.pk)


@router.post("/rubrics/{int:pk}/criteria", response={201: CriterionOut}, summary="添加评分项")
def system_create_criterion(request, pk: int, payload: CriterionIn):
    require_section(request.auth, "rubrics")
    rubric = editable_rubric(request, _pk(pk))
    cleaned = _valid(CriterionForm(payload.dict(), instance=RubricCriterion(rubric=rubric)))
    return Status(201, settings_services.save_criterion(by=request.auth, rubric=rubric, data=cleaned))


@router.patch("/rubrics/{int:pk}/criteria/{int:criterion_pk}", response=CriterionOut, summary="修改评分项")
def system_update_criterion(request, pk: int, criterion_pk: int, payload: CriterionPatch):
    require_section(request.auth, "rubrics")
    rubric, criterion = rubric_criterion(request, _pk(pk), _pk(criterion_pk))
    cleaned = _valid(_merged(CriterionForm, criterion, _changes(payload)))
    return settings_services.save_criterion(criterion, by=request.auth, rubric=rubric, data=cleaned)


@router.delete("/rubrics/{int:pk}/criteria/{int:criterion_pk}", response={204: None}, summary="删除评分项")
def system_delete_criterion(request, pk: int, criterion_pk: int):
    require_section(request.auth, "rubrics")
    _rubric, criterion = rubric_criterion(request, _pk(pk), _pk(criterion_pk))
    settings_services.delete_criterion(criterion, by=request.auth)
    return Status(204, None)


# --- 节假日校正 ------------------------------------------------------------------------------------------------------


class HolidayOut(Schema):
    id: int
    date: dt.date
    is_workday: bool = Field(..., description="true 调休上班 / false 放假")
    reason: str


class HolidayIn(Schema):
    date: dt.date
    is_workday: bool
    reason: model_text(WorkdayOverride, "reason")


class HolidayPatch(Schema):
    date: dt.date | None = None
    is_workday: bool | None = None
    reason: model_text(WorkdayOverride, "reason") | None = None


def _holiday_form_data(data):
    """The form asks 「这一天是」 工作日 ("1") or 休息日 ("0")."""
    if isinstance(data.get("is_workday"), bool):
        data["is_workday"] = "1" if data["is_workday"] else "0"
    return data


@router.get("/holidays", response=list[HolidayOut], summary="节假日校正（按年份，默认今年）")
@paginate(BoundedPagination)
def system_holidays(request, year: Annotated[int, Field(ge=2000, le=2100)] | None = None):
    require_section(request.auth, "holidays")
    year = year or timezone.localdate().year
    return visible_to(request.auth, WorkdayOverride).filter(date__year=year).order_by("date", "id")


@router.post("/holidays", response={201: HolidayOut}, summary="添加节假日校正")
def system_create_holiday(request, payload: HolidayIn):
    require_section(request.auth, "holidays")
    cleaned = _valid(WorkdayOverrideForm(_holiday_form_data(payload.dict())))
    return Status(201, settings_services.save_workday_override(by=request.auth, data=cleaned))


@router.patch("/holidays/{int:pk}", response=HolidayOut, summary="修改节假日校正")
def system_update_holiday(request, pk: int, payload: HolidayPatch):
    require_section(request.auth, "holidays")
    override = get_object_for_user(request, WorkdayOverride, _pk(pk), "change")
    data = _holiday_form_data({**model_to_dict(override, fields=["date", "reason"]), **_changes(payload)})
    data.setdefault("is_workday", "1" if override.is_workday else "0")
    cleaned = _valid(WorkdayOverrideForm(data, instance=override))
    return settings_services.save_workday_override(override, by=request.auth, data=cleaned)


@router.delete("/holidays/{int:pk}", response={204: None}, summary="删除节假日校正（该日按国家公布的安排计算）")
def system_delete_holiday(request, pk: int):
    require_section(request.auth, "holidays")
    override = get_object_for_user(request, WorkdayOverride, _pk(pk), "delete")
    settings_services.delete_workday_override(override, by=request.auth)
    return Status(204, None)


# --- 数据字典 --------------------------------------------------------------------------------------------------------


class DepartmentOut(Schema):
    id: int
    name: str
    code: str
    is_active: bool


class DepartmentIn(Schema):
    name: model_text(Department, "name")
    code: model_text(Department, "code")
    is_active: bool = True


class DepartmentPatch(Schema):
    name: model_text(Department, "name") | None = None
    code: model_text(Department, "code") | None = None
    is_active: bool | None = None


class MajorOut(Schema):
    id: int
    department_id: int
    name: str
    code: str
    is_active: bool


class MajorIn(Schema):
    department_id: Id
    name: model_text(Major, "name")
    code: model_text(Major, "code")
    is_active: bool = True


class MajorPatch(Schema):
    department_id: Id | None = None
    name: model_text(Major, "name") | None = None
    code: model_text(Major, "code") | None = None
    is_active: bool | None = None


class HonorKindOut(Schema):
    id: int
    code: str
    name: str
    has_rank: bool
    order: int
    is_active: bool


class HonorKindIn(Schema):
    code: model_text(HonorKind, "code")
    name: model_text(HonorKind, "name")
    has_rank: bool = False
    order: Order = 100
    is_active: bool = True


class HonorKindPatch(Schema):
    """The code is fixed once created (policies refer to it): it is not a field here."""

    name: model_text(HonorKind, "name") | None = None
    has_rank: bool | None = None
    order: Order | None = None
    is_active: bool | None = None


def _dictionary_row(request, model, pk):
    require_section(request.auth, "dictionaries")
    return get_object_for_user(request, model, _pk(pk), "change")


@router.get("/departments", response=list[DepartmentOut], summary="系部（含停用）")
@paginate(BoundedPagination)
def system_departments(request):
    require_section(request.auth, "dictionaries")
    return visible_to(request.auth, Department).order_by("code", "id")


@router.post("/departments", response={201: DepartmentOut}, summary="新建系部")
def system_create_department(request, payload: DepartmentIn):
    require_section(request.auth, "dictionaries")
    cleaned = _valid(DepartmentForm(payload.dict()))
    return Status(201, account_services.save_department(None, by=request.auth, data=cleaned))


@router.patch("/departments/{int:pk}", response=DepartmentOut, summary="修改系部（系部不删除，停用即可）")
def system_update_department(request, pk: int, payload: DepartmentPatch):
    department = _dictionary_row(request, Department, pk)
    cleaned = _valid(_merged(DepartmentForm, department, _changes(payload)))
    return account_services.save_department(department, by=request.auth, data=cleaned)


@router.get("/majors", response=list[MajorOut], summary="专业（含停用）")
@paginate(BoundedPagination)
def system_majors(request):
    require_section(request.auth, "dictionaries")
    return visible_to(request.auth, Major).order_by("department__code", "code", "id")


@router.post("/majors", response={201: MajorOut}, summary="新建专业")
def system_create_major(request, payload: MajorIn):
    require_section(request.auth, "dictionaries")
    cleaned = _valid(MajorForm(_changes(payload, {"department_id": "department"})))
    return Status(201, account_services.save_major(None, by=request.auth, data=cleaned))


@router.patch("/majors/{int:pk}", response=MajorOut, summary="修改专业")
def system_update_major(request, pk: int, payload: MajorPatch):
    major = _dictionary_row(request, Major, pk)
    cleaned = _valid(_merged(MajorForm, major, _changes(payload, {"department_id": "department"})))
    return account_services.save_major(major, by=request.auth, data=cleaned)


@router.get("/honor-kinds", response=list[HonorKindOut], summary="荣誉/奖项类别（含停用）")
@paginate(BoundedPagination)
def system_honor_kinds(request):
    require_section(request.auth, "dictionaries")
    return visible_to(request.auth, HonorKind).order_by("order", "code", "id")


@router.post("/honor-kinds", response={201: HonorKindOut}, summary="新建荣誉/奖项类别")
def system_create_honor_kind(request, payload: HonorKindIn):
    require_section(request.auth, "dictionaries")
    cleaned = _valid(HonorKindForm(payload.dict()))
    return Status(201, people_services.save_honor_kind(None, by=request.auth, data=cleaned))


@router.patch("/honor-kinds/{int:pk}", response=HonorKindOut, summary="修改荣誉/奖项类别（代码建立后不能修改）")
def system_update_honor_kind(request, pk: int, payload: HonorKindPatch):
    kind = _dictionary_row(request, HonorKind, pk)
    cleaned = _valid(_merged(HonorKindForm, kind, _changes(payload)))
    return people_services.save_honor_kind(kind, by=request.auth, data=cleaned)
