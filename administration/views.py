"""系统管理 screens. Each view: check the section (administration.access) and the object (accounts.permissions),
validate a form, call ONE service of the owning app (accounts, people, applications), then render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import otp
from accounts import services as account_services
from accounts.enums import Role
from accounts.models import Department, Major, User
from accounts.permissions import (
    can,
    get_object_for_user,
    grantable_roles,
    may_manage_account,
    may_write_as,
    visible_to,
)
from applications.models import Rubric, RubricCriterion, WorkdayOverride
from applications.services import settings as settings_services
from core.pagination import CappedPaginator
from people import services as people_services
from people.forms import HonorForm, WorkPeriodForm
from people.models import HonorKind, PolicyVersion
from people.permissions import PERSONNEL_WRITERS

from .access import (
    editable_rubric,
    expert_rows,
    external_only,
    person_for,
    require_section,
    rubric_criterion,
    sections_for,
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


def _apply_errors(form, exc: ValidationError):
    """A service's refusal shown on the form (on the field when the form has it)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _edit(request, *, form, save, success, redirect_to, title, back_url, extra=None):
    """The common shape of a settings form page: validate, call the service, show its refusal on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    context = {"form": form, "title": title, "back_url": back_url, **(extra or {})}
    return render(request, "administration/form.html", context)


@login_required
def index(request):
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied("您没有可使用的系统管理功能。")
    return render(request, "administration/index.html", {"sections": sections})


# --- 账户与角色 ------------------------------------------------------------------------------------------------------


@login_required
def user_list(request):
    require_section(request.user, "users")
    form = UserFilterForm(request.GET or None)
    users = user_rows(request.user, form.cleaned_data if form.is_bound and form.is_valid() else None)
    page = CappedPaginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "administration/user_list.html",
        {"page": page, "form": form, "external_only": external_only(request.user)},
    )


@login_required
def user_create(request):
    require_section(request.user, "users")
    only_external = external_only(request.user)
    form = UserCreateForm(request.POST or None, external_only=only_external)
    temporary = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_services.create_user(
                by=request.user,
                username=data["username"],
                display_name=data["display_name"],
                department=data["department"],
                email=data["email"],
                phone=data["phone"],
                is_external=data["is_external"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            temporary = account_services.reset_password(by=request.user, user=user)
            return _show_temporary_password(request, user, temporary, created=True)
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": "新建校外人员账户" if only_external else "新建账户",
            "back_url": "administration:user_list",
            "lead": "保存后系统生成一个临时密码，只显示一次；对方首次登录时须修改。",
        },
    )


def _show_temporary_password(request, person, temporary, *, created=False):
    response = render(
        request,
        "administration/temporary_password.html",
        {"person": person, "temporary": temporary, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_detail(request, pk):
    require_section(request.user, "users")
    person = person_for(request, pk)
    roles = grantable_roles(request.user)
    manageable = may_manage_account(request.user, person)
    assignments = sorted(person.role_assignments.all(), key=lambda a: a.role)
    return render(
        request,
        "administration/user_detail.html",
        {
            "person": person,
            "assignments": [(a, manageable and a.role in roles) for a in assignments],
            "grant_form": RoleGrantForm(roles=roles) if manageable and roles else None,
            "manageable": manageable,
            "may_record_evidence": not person.is_external and may_write_as(request.user, *PERSONNEL_WRITERS),
            "otp_enrolled": otp.is_enrolled(person),
            "may_reset_otp": otp.may_reset(request.user, person),
        },
    )


@login_required
@require_POST
def user_set_active(request, pk):
    require_section(request.user, "users")
    person = person_for(request, pk, "manage")
    active = request.POST.get("active") == "1"
    account_services.set_active(by=request.user, user=person, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}账户「{person.display_name}」。")
    return redirect("administration:user_detail", pk=person.pk)


@login_required
@require_POST
def user_reset_password(request, pk):
    require_section(request.user, "users")
    person = person_for(request, pk, "manage")
    try:
        temporary = account_services.reset_password(by=request.user, user=person)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("administration:user_detail", pk=person.pk)
    return _show_temporary_password(request, person, temporary)


@login_required
@require_POST
def user_reset_otp(request, pk):
    """系统管理员 removes the person's authenticator and recovery codes (lost phone); audited by accounts.otp."""
    require_section(request.user, "users")
    person = person_for(request, pk, "manage")
    try:
        otp.reset_devices(by=request.user, user=person)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重置「{person.display_name}」的两步验证；对方下次登录时需重新设置身份验证器。")
    return redirect("administration:user_detail", pk=person.pk)


@login_required
@require_POST
def role_grant(request, pk):
    require_section(request.user, "users")
    person = person_for(request, pk, "manage")
    form = RoleGrantForm(request.POST, roles=grantable_roles(request.user))
    if form.is_valid():
        try:
            account_services.assign_role(
                by=request.user, user=person, role=form.cleaned_data["role"], department=form.cleaned_data["department"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已授予「{Role(form.cleaned_data['role']).label}」角色。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("administration:user_detail", pk=person.pk)


@login_required
@require_POST
def role_revoke(request, pk, assignment_pk):
    require_section(request.user, "users")
    person = person_for(request, pk, "manage")
    assignment = next((a for a in person.role_assignments.all() if a.pk == assignment_pk), None)
    if assignment is None:
        messages.error(request, "该角色已被撤销。")
        return redirect("administration:user_detail", pk=person.pk)
    account_services.revoke_role(by=request.user, user=person, role=assignment.role, department=assignment.department)
    messages.success(request, f"已撤销「{assignment}」角色。")
    return redirect("administration:user_detail", pk=person.pk)


def _evidence_for(request, pk, form_class, create, file_field, title):
    """人事部 records a work period or an honour on a staff member's behalf (the people services check it too)."""
    require_section(request.user, "users")
    if not may_write_as(request.user, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以代教职工登记资历。")
    person = person_for(request, pk)
    if person.is_external:
        raise PermissionDenied("校外人员没有教职工资历档案。")
    form = form_class(request.POST or None, request.FILES or None, instance=form_class._meta.model(user=person))
    fields = [f for f in form_class._meta.fields if f != file_field]
    if request.method == "POST" and form.is_valid():
        try:
            create(
                by=request.user,
                user=person,
                data={k: form.cleaned_data[k] for k in fields},
                **{file_field: request.FILES.get(file_field)},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已为{person.display_name}登记。")
            return redirect("administration:user_detail", pk=person.pk)
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "title": f"{title}：{person.display_name}（{person.username}）",
            "back_url": "administration:user_list",
            "multipart": True,
        },
    )


@login_required
def work_create(request, pk):
    return _evidence_for(
        request, pk, WorkPeriodForm, people_services.create_work_period, "proof", "代为登记企业工作/实践经历"
    )


@login_required
def honor_create(request, pk):
    return _evidence_for(request, pk, HonorForm, people_services.create_honor, "certificate", "代为登记荣誉/奖项")


# --- 评审专家库 ------------------------------------------------------------------------------------------------------


@login_required
def expert_list(request):
    require_section(request.user, "experts")
    form = ExpertAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = get_object_for_user(request, User, form.cleaned_data["username"].pk)
        try:
            account_services.assign_role(by=request.user, user=person, role=Role.EXPERT)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已将{person.display_name}（{person.username}）加入评审专家库。")
            return redirect("administration:expert_list")
    experts = (
        expert_rows(request.user)
        .select_related("user__profile", "user__affiliation__enterprise")
        .prefetch_related("user__profile__majors")
    )
    page = CappedPaginator(experts, 50).get_page(request.GET.get("page"))
    return render(request, "administration/expert_list.html", {"page": page, "form": form})


@login_required
@require_POST
def expert_remove(request, pk):
    require_section(request.user, "experts")
    person = get_object_for_user(request, User, pk)
    if account_services.revoke_role(by=request.user, user=person, role=Role.EXPERT):
        messages.success(request, f"已将{person.display_name}移出评审专家库；已分配给他的评审不受影响。")
    else:
        messages.info(request, f"{person.display_name}不在评审专家库中。")
    return redirect("administration:expert_list")


# --- 政策参数 --------------------------------------------------------------------------------------------------------


@login_required
def policy_list(request):
    require_section(request.user, "policy")
    this_year = timezone.localdate().year
    versions = list(visible_to(request.user, PolicyVersion).order_by("-year"))
    in_force = next((v for v in versions if v.year <= this_year), None)
    return render(
        request,
        "administration/policy_list.html",
        {"versions": versions, "in_force": in_force, "this_year": this_year},
    )


@login_required
@require_POST
def policy_copy(request):
    """Start next year's version from the newest one (never a year already in force: that would rewrite the rules
    applications were judged by)."""
    require_section(request.user, "policy")
    latest = visible_to(request.user, PolicyVersion).order_by("-year").first()
    if latest is None:
        messages.error(request, "还没有任何政策参数版本可以复制。")
        return redirect("administration:policy_list")
    year = max(latest.year, timezone.localdate().year) + 1
    try:
        copy = people_services.copy_policy_version(latest, by=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("administration:policy_list")
    messages.success(request, f"已由{latest.year}年版本复制出{year}年版本，请修改后保存。")
    return redirect("administration:policy_edit", pk=copy.pk)


@login_required
def policy_edit(request, pk):
    require_section(request.user, "policy")
    version = get_object_for_user(request, PolicyVersion, pk)
    editable = people_services.policy_editable(version) and can(request.user, "change", version)
    form = PolicyVersionForm(request.POST or None, instance=version)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
        if request.method == "POST":
            raise PermissionDenied(f"{version.year}年的政策参数已经生效，不能修改。")
    rules = version.honor_rules.select_related("kind").order_by("order", "id")
    return _edit(
        request,
        form=form,
        save=lambda data: people_services.update_policy_version(version, by=request.user, data=data),
        success=f"{version.year}年政策参数已保存。",
        redirect_to="administration:policy_list",
        title=f"{version.year}年起施行的政策参数",
        back_url="administration:policy_list",
        extra={"readonly": not editable, "rules": rules, "template_extra": "administration/_policy_rules.html"},
    )


# --- 评分标准 --------------------------------------------------------------------------------------------------------


@login_required
def rubric_list(request):
    require_section(request.user, "rubrics")
    rubrics = visible_to(request.user, Rubric).prefetch_related("criteria").order_by("name")
    in_use = set(
        visible_to(request.user, Rubric).filter(calls__status__in=["open", "closed"]).values_list("pk", flat=True)
    )
    return render(request, "administration/rubric_list.html", {"rubrics": rubrics, "in_use": in_use})


@login_required
def rubric_create(request):
    require_section(request.user, "rubrics")
    return _edit(
        request,
        form=RubricForm(request.POST or None),
        save=lambda data: settings_services.save_rubric(by=request.user, data=data),
        success="评分标准已建立，请添加评分项。",
        redirect_to="administration:rubric_list",
        title="新建评分标准",
        back_url="administration:rubric_list",
    )


@login_required
def rubric_edit(request, pk):
    require_section(request.user, "rubrics")
    rubric = editable_rubric(request, pk)
    return _edit(
        request,
        form=RubricForm(request.POST or None, instance=rubric),
        save=lambda data: settings_services.save_rubric(rubric, by=request.user, data=data),
        success="评分标准已保存。",
        redirect_to="administration:rubric_list",
        title=f"修改评分标准：{rubric.name}",
        back_url="administration:rubric_list",
    )


@login_required
def criterion_create(request, pk):
    require_section(request.user, "rubrics")
    rubric = editable_rubric(request, pk)
    return _edit(
        request,
        form=CriterionForm(request.POST or None, instance=RubricCriterion(rubric=rubric)),
        save=lambda data: settings_services.save_criterion(by=request.user, rubric=rubric, data=data),
        success="评分项已添加。",
        redirect_to="administration:rubric_list",
        title=f"添加评分项：{rubric.name}",
        back_url="administration:rubric_list",
    )


@login_required
def criterion_edit(request, pk, criterion_pk):
    require_section(request.user, "rubrics")
    rubric, criterion = rubric_criterion(request, pk, criterion_pk)
    return _edit(
        request,
        form=CriterionForm(request.POST or None, instance=criterion),
        save=lambda data: settings_services.save_criterion(criterion, by=request.user, rubric=rubric, data=data),
        success="评分项已保存。",
        redirect_to="administration:rubric_list",
        title=f"修改评分项：{criterion.label}",
        back_url="administration:rubric_list",
    )


@login_required
@require_POST
def criterion_delete(request, pk, criterion_pk):
    require_section(request.user, "rubrics")
    _rubric, criterion = rubric_criterion(request, pk, criterion_pk)
    settings_services.delete_criterion(criterion, by=request.user)
    messages.success(request, f"已删除评分项「{criterion.label}」。")
    return redirect("administration:rubric_list")


# --- 节假日校正 ------------------------------------------------------------------------------------------------------


@login_required
def holiday_list(request):
    require_section(request.user, "holidays")
    this_year = timezone.localdate().year
    year = request.GET.get("year") or ""
    year = int(year) if year.isdecimal() and 2000 <= int(year) <= 2100 else this_year
    overrides = visible_to(request.user, WorkdayOverride).filter(date__year=year).order_by("date")
    return render(
        request,
        "administration/holiday_list.html",
        {"overrides": overrides, "year": year, "years": range(this_year - 2, this_year + 3)},
    )


@login_required
def holiday_create(request):
    require_section(request.user, "holidays")
    return _edit(
        request,
        form=WorkdayOverrideForm(request.POST or None),
        save=lambda data: settings_services.save_workday_override(by=request.user, data=data),
        success="节假日校正已保存。",
        redirect_to="administration:holiday_list",
        title="添加节假日校正",
        back_url="administration:holiday_list",
    )


@login_required
def holiday_edit(request, pk):
    require_section(request.user, "holidays")
    override = get_object_for_user(request, WorkdayOverride, pk, "change")
    return _edit(
        request,
        form=WorkdayOverrideForm(request.POST or None, instance=override),
        save=lambda data: settings_services.save_workday_override(override, by=request.user, data=data),
        success="节假日校正已保存。",
        redirect_to="administration:holiday_list",
        title=f"修改节假日校正：{override.date:%Y-%m-%d}",
        back_url="administration:holiday_list",
    )


@login_required
@require_POST
def holiday_delete(request, pk):
    require_section(request.user, "holidays")
    override = get_object_for_user(request, WorkdayOverride, pk, "delete")
    settings_services.delete_workday_override(override, by=request.user)
    messages.success(request, f"已删除 {override.date:%Y-%m-%d} 的校正，该日按国家公布的安排计算。")
    return redirect("administration:holiday_list")


# --- 数据字典 --------------------------------------------------------------------------------------------------------


@login_required
def dictionary_index(request):
    require_section(request.user, "dictionaries")
    return render(
        request,
        "administration/dictionaries.html",
        {
            "departments": visible_to(request.user, Department).order_by("code"),
            "majors": visible_to(request.user, Major).select_related("department").order_by("department__code", "code"),
            "honor_kinds": visible_to(request.user, HonorKind).order_by("order", "code"),
        },
    )


def _dictionary_edit(request, *, model, form_class, pk, save, noun):
    require_section(request.user, "dictionaries")
    instance = get_object_for_user(request, model, pk, "change") if pk else None
    return _edit(
        request,
        form=form_class(request.POST or None, instance=instance),
        save=lambda data: save(instance, by=request.user, data=data),
        success=f"{noun}已保存。",
        redirect_to="administration:dictionary_index",
        title=f"修改{noun}：{instance}" if instance else f"新建{noun}",
        back_url="administration:dictionary_index",
    )


@login_required
def department_edit(request, pk=None):
    return _dictionary_edit(
        request, model=Department, form_class=DepartmentForm, pk=pk, save=account_services.save_department, noun="系部"
    )


@login_required
def major_edit(request, pk=None):
    return _dictionary_edit(
        request, model=Major, form_class=MajorForm, pk=pk, save=account_services.save_major, noun="专业"
    )


@login_required
def honor_kind_edit(request, pk=None):
    return _dictionary_edit(
        request,
        model=HonorKind,
        form_class=HonorKindForm,
        pk=pk,
        save=people_services.save_honor_kind,
        noun="荣誉/奖项类别",
    )
