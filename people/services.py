"""Writes of the people app. Each is atomic, checks permission against `by`, validates (Chinese messages, nothing
stored on refusal) and leaves an audit event. Replaced or deleted files are removed after the commit."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.enums import Role
from accounts.permissions import can, may_write_as, require_write_access
from core.audit import log_action

from .idcard import encrypt_id_number, hash_id_number, id_number_birth_date, mask_id_number, validate_id_number
from .models import Enterprise, ExternalAffiliation, Honor, StaffProfile, WorkPeriod
from .permissions import ENTERPRISE_WRITERS, PERSONNEL_WRITERS
from .validators import normalise_credit_code

PROFILE_OWN_FIELDS = ("phone", "title", "skill_certificate", "skill_level")
PROFILE_HR_FIELDS = ("gender", "birth_date", "hire_date", *PROFILE_OWN_FIELDS)
WORK_FIELDS = ("kind", "enterprise_name", "position", "start", "end", "description")
HONOR_FIELDS = ("kind", "title", "level", "rank", "date", "issuer")
ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "industry",
    "is_partner",
    "agreement_start",
    "agreement_end",
    "high_influence",
    "influence_reason",
    "contact_name",
    "contact_phone",
)


def _refuse_control_characters(data):
    """API bodies skip Django's form validators: refuse NUL and other control characters (PostgreSQL rejects NUL)."""
    for name, value in data.items():
        if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
            raise ValidationError({name: "内容包含不可见的控制字符，请删除后重试。"})


def _snapshot(obj, fields):
    data = {}
    for name in fields:
        value = getattr(obj, f"{name}_id", None) if name in ("kind",) else getattr(obj, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _delete_file_on_commit(fieldfile):
    if fieldfile:
        storage, name = fieldfile.storage, fieldfile.name
        transaction.on_commit(lambda: storage.delete(name))


def _upload_name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "")[:200]


# --- Staff profiles -------------------------------------------------------------------------------------------------


def _apply_id_number(profile, id_number):
    """Validate, de-duplicate (by keyed hash) and store an ID number encrypted; '' clears it."""
    if not id_number:
        profile.id_number_encrypted, profile.id_number_hash, profile.id_number_masked = "", None, ""
        return
    try:
        number = validate_id_number(id_number, profile.birth_date)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    digest = hash_id_number(number)
    if StaffProfile.objects.filter(id_number_hash=digest).exclude(pk=profile.pk).exists():
        raise ValidationError({"id_number": "该身份证号码已登记在其他教职工档案中。"})
    profile.id_number_encrypted = encrypt_id_number(number)
    profile.id_number_hash = digest
    profile.id_number_masked = mask_id_number(number)


@transaction.atomic
def save_profile(*, by, user, data, majors=None, id_number=None):
    """Create or update `user`'s profile. HR/admin may set every field; the owner only phone, title, certificate,
    skill level and majors. `id_number=None` leaves the number unchanged, "" clears it."""
    require_write_access(by)
    is_hr = may_write_as(by, *PERSONNEL_WRITERS)
    if not is_hr and by.pk != user.pk:
        raise PermissionDenied("只有本人或人事部可以修改教职工档案。")
    if not is_hr and (set(data) - set(PROFILE_OWN_FIELDS) or id_number is not None):
        raise PermissionDenied("性别、出生日期、身份证号码、入职日期由人事部维护，如有错误请联系人事部更正。")
    _refuse_control_characters({**data, "id_number": id_number or ""})
    profile = StaffProfile.objects.select_for_update().select_related("user").filter(user=user).first()
    created = profile is None
    profile = profile or StaffProfile(user=user)
    before = None if created else {**_snapshot(profile, PROFILE_HR_FIELDS), "id_number": profile.id_number_masked}
    for name in PROFILE_HR_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    if id_number is not None:
        _apply_id_number(profile, id_number)
    elif profile.id_number_encrypted and "birth_date" in data:
        embedded = id_number_birth_date(profile.reveal_id_number())
        if profile.birth_date and embedded != profile.birth_date:
            raise ValidationError(
                {"birth_date": f"出生日期与已登记身份证号码中的出生日期（{embedded:%Y-%m-%d}）不一致。"}
            )
    profile.full_clean(exclude=["user"])
    try:
        with transaction.atomic():  # a savepoint: two clerks registering the same number at once
            profile.save()
    except IntegrityError:
        raise ValidationError({"id_number": "该身份证号码已登记在其他教职工档案中。"}) from None
    if majors is not None:
        profile.majors.set(majors)
    after = {**_snapshot(profile, PROFILE_HR_FIELDS), "id_number": profile.id_number_masked}
    if majors is not None:
        after["majors"] = sorted(m.pk for m in majors)
    log_action(
        actor=by,
        action=f"people.profile.{'created' if created else 'changed'}",
        obj=profile,
        before=before,
        after=after,
    )
    return profile


# --- Evidence: work periods and honours -----------------------------------------------------------------------------


def _check_evidence_write(by, owner, obj=None):
    require_write_access(by)  # 纪检办 / 校领导 keep no 资历 of their own here: they do not apply
    if obj is not None:
        if not can(by, "change", obj):
            raise PermissionDenied("您只能维护本人的资历记录。")
    elif by.pk != owner.pk and not may_write_as(by, *PERSONNEL_WRITERS):
        raise PermissionDenied("您只能维护本人的资历记录。")


def _save_evidence(obj, *, by, data, fields, file_field, upload, model_name):
    _refuse_control_characters(data)
    created = obj.pk is None
    before = None if created else _snapshot(obj, fields)
    old_file = getattr(obj, file_field)
    old_name = old_file.name if old_file else ""
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    if upload is not None:
        setattr(obj, file_field, upload)
        setattr(obj, f"{file_field}_name", _upload_name(upload))
    obj.full_clean()
    obj.save()
    if upload is not None and old_name:
        storage = getattr(obj, file_field).storage
        transaction.on_commit(lambda: storage.delete(old_name))
    after = _snapshot(obj, fields)
    after[file_field] = getattr(obj, f"{file_field}_name") if getattr(obj, file_field) else ""
    log_action(
        actor=by,
        action=f"people.{model_name}.{'created' if created else 'changed'}",
        obj=obj,
        before=before,
        after=after,
    )
    return obj


@transaction.atomic
def create_work_period(*, by, user, data, proof=None):
    """Add an enterprise work / practice period for `user` (the owner, or HR/admin)."""
    _check_evidence_write(by, user)
    return _save_evidence(
        WorkPeriod(user=user),
        by=by,
        data=data,
        fields=WORK_FIELDS,
        file_field="proof",
        upload=proof,
        model_name="workperiod",
    )


@transaction.atomic
def update_work_period(period, *, by, data, proof=None):
    period = WorkPeriod.objects.select_for_update().select_related("user").get(pk=period.pk)
    _check_evidence_write(by, period.user, period)
    return _save_evidence(
        period, by=by, data=data, fields=WORK_FIELDS, file_field="proof", upload=proof, model_name="workperiod"
    )


@transaction.atomic
def delete_work_period(period, *, by):
    period = WorkPeriod.objects.select_for_update().select_related("user").get(pk=period.pk)
    _check_evidence_write(by, period.user, period)
    log_action(actor=by, action="people.workperiod.deleted", obj=period, before=_snapshot(period, WORK_FIELDS))
    _delete_file_on_commit(period.proof)
    period.delete()


@transaction.atomic
def create_honor(*, by, user, data, certificate=None):
    """Add an honour / award for `user`. Without a certificate it is kept but does not count for eligibility."""
    _check_evidence_write(by, user)
    return _save_evidence(
        Honor(user=user),
        by=by,
        data=data,
        fields=HONOR_FIELDS,
        file_field="certificate",
        upload=certificate,
        model_name="honor",
    )


@transaction.atomic
def update_honor(honor, *, by, data, certificate=None):
    honor = Honor.objects.select_for_update().select_related("user").get(pk=honor.pk)
    _check_evidence_write(by, honor.user, honor)
    return _save_evidence(
        honor, by=by, data=data, fields=HONOR_FIELDS, file_field="certificate", upload=certificate, model_name="honor"
    )


@transaction.atomic
def delete_honor(honor, *, by):
    honor = Honor.objects.select_for_update().select_related("user").get(pk=honor.pk)
    _check_evidence_write(by, honor.user, honor)
    log_action(actor=by, action="people.honor.deleted", obj=honor, before=_snapshot(honor, HONOR_FIELDS))
    _delete_file_on_commit(honor.certificate)
    honor.delete()


# --- Enterprises ----------------------------------------------------------------------------------------------------


def _require_enterprise_writer(by):
    if not may_write_as(by, *ENTERPRISE_WRITERS):
        raise PermissionDenied("只有校企办可以维护合作企业名录。")


@transaction.atomic
def save_enterprise(enterprise=None, *, by, data, majors=None, agreement_file=None):
    """Register or update a partner enterprise (校企办)."""
    _require_enterprise_writer(by)
    _refuse_control_characters(data)
    if enterprise is not None and enterprise.pk:
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    else:
        enterprise = Enterprise()
    created = enterprise.pk is None
    if "credit_code" in data:
        data = {**data, "credit_code": normalise_credit_code(data["credit_code"])}
    if data.get("high_influence") and not (data.get("influence_reason") or enterprise.influence_reason).strip():
        raise ValidationError({"influence_reason": "评估为“具有较高行业影响力”时须填写评估理由。"})
    before = None if created else _snapshot(enterprise, ENTERPRISE_FIELDS)
    old_name = enterprise.agreement_file.name if enterprise.agreement_file else ""
    for name in ENTERPRISE_FIELDS:
        if name in data:
            setattr(enterprise, name, data[name])
    if agreement_file is not None:
        enterprise.agreement_file = agreement_file
        enterprise.agreement_file_name = _upload_name(agreement_file)
    enterprise.full_clean()
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        raise ValidationError("该企业名称或统一社会信用代码已登记。") from None
    if agreement_file is not None and old_name:
        storage = enterprise.agreement_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    if majors is not None:
        enterprise.majors.set(majors)
    after = _snapshot(enterprise, ENTERPRISE_FIELDS)
    if majors is not None:
        after["majors"] = sorted(m.pk for m in majors)
    log_action(
        actor=by,
        action=f"people.enterprise.{'created' if created else 'changed'}",
        obj=enterprise,
        before=before,
        after=after,
    )
    return enterprise


@transaction.atomic
def delete_enterprise(enterprise, *, by):
    _require_enterprise_writer(by)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if ExternalAffiliation.objects.filter(enterprise=enterprise).exists():
        raise ValidationError("该企业仍有登记的校外人员，不能删除；可取消其“合作企业”标记。")
    log_action(
        actor=by, action="people.enterprise.deleted", obj=enterprise, before=_snapshot(enterprise, ENTERPRISE_FIELDS)
    )
    _delete_file_on_commit(enterprise.agreement_file)
    enterprise.delete()


@transaction.atomic
def set_affiliation(*, by, user, enterprise, position=""):
    """Record the enterprise of an external member (a User with is_external=True)."""
    if not may_write_as(by, *ENTERPRISE_WRITERS, Role.HR):
        raise PermissionDenied("只有校企办或人事部可以登记校外人员所在企业。")
    if not user.is_external:
        raise ValidationError("只能为校外人员登记所在企业。")
    affiliation, created = ExternalAffiliation.objects.select_for_update().get_or_create(
        user=user, defaults={"enterprise": enterprise, "position": position}
    )
    before = None if created else {"enterprise": affiliation.enterprise_id, "position": affiliation.position}
    affiliation.enterprise, affiliation.position = enterprise, position
    affiliation.full_clean()
    affiliation.save()
    log_action(
        actor=by,
        action="people.affiliation.saved",
        obj=affiliation,
        before=before,
        after={"enterprise": enterprise.pk, "position": position},
    )
    return affiliation


@transaction.atomic
def remove_affiliation(affiliation, *, by):
    if not may_write_as(by, *ENTERPRISE_WRITERS, Role.HR):
        raise PermissionDenied("只有校企办或人事部可以登记校外人员所在企业。")
    affiliation = ExternalAffiliation.objects.select_for_update().get(pk=affiliation.pk)
    log_action(
        actor=by,
        action="people.affiliation.removed",
        obj=affiliation,
        before={"enterprise": affiliation.enterprise_id, "position": affiliation.position},
    )
    affiliation.delete()


# --- Policy versions ------------------------------------------------------------------------------------------------


@transaction.atomic
def copy_policy_version(version, *, by, year):
    """Start next year's policy from an existing version (parameters and honour rules); admin only."""
    from .models import HonorRule, PolicyVersion

    if not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以修改政策参数。")
    if PolicyVersion.objects.filter(year=year).exists():
        raise ValidationError(f"{year}年的政策参数版本已存在。")
    rules = list(HonorRule.objects.filter(policy=version))
    source_pk = version.pk
    copy = PolicyVersion.objects.get(pk=source_pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.year = year
    copy.note = f"由{version.year}年版本复制。"
    copy.full_clean()
    copy.save(force_insert=True)
    HonorRule.objects.bulk_create(
        HonorRule(
            policy=copy,
            kind_id=r.kind_id,
            min_level=r.min_level,
            min_rank=r.min_rank,
            min_count=r.min_count,
            order=r.order,
        )
        for r in rules
    )
    log_action(
        actor=by, action="people.policyversion.copied", obj=copy, after={"from_year": version.year, "year": year}
    )
    return copy


POLICY_FIELDS = (
    "school_name",
    "master_max_age",
    "enterprise_work_years",
    "practice_months",
    "min_core_teachers",
    "publicity_days",
    "publicity_working_days",
    "annual_report_due_month",
    "annual_report_due_day",
    "grade_excellent_min",
    "grade_good_min",
    "grade_pass_min",
    "note",
)


def policy_editable(version, today=None) -> bool:
    """A version may be edited only before it takes effect (1 January of its year); past and current years are the
    rules applications were judged by and stay as they were."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return version.year > today.year


@transaction.atomic
def update_policy_version(version, *, by, data):
    """Change the parameters of a version that has not taken effect yet (admin); audited with before/after."""
    from .models import PolicyVersion

    if not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以修改政策参数。")
    _refuse_control_characters(data)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if not policy_editable(version):
        raise ValidationError(f"{version.year}年的政策参数已经生效，不能再修改；请为下一年度建立新版本。")
    before = {name: getattr(version, name) for name in POLICY_FIELDS}
    for name in POLICY_FIELDS:
        if name in data:
            setattr(version, name, data[name])
    version.full_clean()
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # the check constraint, should full_clean miss it
        raise ValidationError("等级分数线须满足：优秀 ≥ 良好 ≥ 合格。") from None
    after = {name: getattr(version, name) for name in POLICY_FIELDS}
    changed = [name for name in POLICY_FIELDS if before[name] != after[name]]
    log_action(
        actor=by,
        action="people.policyversion.changed",
        obj=version,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return version


HONOR_KIND_FIELDS = ("code", "name", "has_rank", "order", "is_active")


@transaction.atomic
def save_honor_kind(kind=None, *, by, data):
    """Create or change an honour kind (admin). The code is fixed once created (policies refer to it); a kind in use
    cannot change whether it has ranks (existing honours would become invalid); retire a kind by disabling it."""
    from .models import HonorKind

    if not may_write_as(by, Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以维护荣誉/奖项类别。")
    _refuse_control_characters(data)
    kind = HonorKind.objects.select_for_update().get(pk=kind.pk) if kind is not None and kind.pk else HonorKind()
    created = kind.pk is None
    before = None if created else {name: getattr(kind, name) for name in HONOR_KIND_FIELDS}
    if not created and "code" in data and data["code"] != kind.code:
        raise ValidationError({"code": "类别代码建立后不能修改（政策参数按代码引用）。"})
    if (
        not created
        and "has_rank" in data
        and data["has_rank"] != kind.has_rank
        and Honor.objects.filter(kind=kind).exists()
    ):
        raise ValidationError({"has_rank": "已有荣誉记录使用该类别，不能修改“有奖项等次”。"})
    for name in HONOR_KIND_FIELDS:
        if name in data:
            setattr(kind, name, data[name])
    kind.full_clean()
    try:
        with transaction.atomic():
            kind.save()
    except IntegrityError:
        raise ValidationError("类别代码或名称与已有类别重复。") from None
    log_action(
        actor=by,
        action=f"people.honorkind.{'created' if created else 'changed'}",
        obj=kind,
        before=before,
        after={name: getattr(kind, name) for name in HONOR_KIND_FIELDS},
    )
    return kind
