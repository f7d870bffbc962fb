"""REST API of the people app, mounted at /api/v1/people/ (see config/api.py).

People are addressed by their user id. ID-card numbers appear only masked. Writes go through people.services, so the
permission checks, validation (422 with a Chinese message) and audit are the same as in the web screens.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.models import Major, User
from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Id, IdList, model_text, text
from core.pagination import BoundedPagination

from . import services
from .enums import Gender, HonorLevel, HonorRank, SkillLevel, WorkKind
from .models import Enterprise, Honor, HonorKind, StaffProfile, WorkPeriod
from .permissions import may_view_person
from .rules import check_master_eligibility
from .validators import validate_record_date

router = Router(tags=["people"])
# Larger ids overflow the database integer (a 500 on SQLite): such ids cannot exist.
MAX_ID = 2**63 - 1


def _id(value):
    if value is not None and not 0 < value <= MAX_ID:
        raise Http404
    return value


class PersonOut(Schema):
    id: int = Field(..., alias="user_id", description="用户编号")
    username: str = Field(..., alias="user.username")
    display_name: str = Field(..., alias="user.display_name")
    department_id: int | None = Field(None, alias="user.department_id")
    gender: str
    birth_date: date | None
    id_number_masked: str = Field(..., description="身份证号码（掩码）")
    title: str
    skill_certificate: str
    skill_level: str
    hire_date: date | None
    phone: str
    major_ids: list[int]

    @staticmethod
    def resolve_major_ids(obj):
        return [m.pk for m in obj.majors.all()]


class PersonPatch(Schema):
    gender: Gender | None = None
    birth_date: date | None = None
    id_number: text(18) | None = Field(None, description="身份证号码（仅人事部/管理员可修改）")
    title: model_text(StaffProfile, "title") | None = None
    skill_certificate: model_text(StaffProfile, "skill_certificate") | None = None
    skill_level: SkillLevel | None = None
    hire_date: date | None = None
    phone: model_text(StaffProfile, "phone") | None = None
    major_ids: IdList | None = None


class RuleResultOut(Schema):
    code: str
    title: str
    verdict: str
    message: str
    evidence: list[str]


class ReportOut(Schema):
    ok: bool
    on: date
    policy_year: int | None
    notes: list[str]
    results: list[RuleResultOut]


class WorkPeriodIn(Schema):
    kind: WorkKind
    enterprise_name: model_text(WorkPeriod, "enterprise_name")
    position: model_text(WorkPeriod, "position") = ""
    start: date
    end: date
    description: model_text(WorkPeriod, "description") = ""


class WorkPeriodOut(WorkPeriodIn):
    id: int
    user_id: int
    has_proof: bool
    proof_url: str | None = Field(None, description="证明材料下载地址（需登录且有权查看）")

    @staticmethod
    def resolve_has_proof(obj):
        return bool(obj.proof)

    @staticmethod
    def resolve_proof_url(obj):
        return reverse("people:work_proof", args=[obj.pk]) if obj.proof else None


class HonorIn(Schema):
    kind: model_text(HonorKind, "code") = Field(..., description="荣誉类别代码，如 skill_master")
    title: model_text(Honor, "title")
    level: HonorLevel
    rank: HonorRank | None = None
    date: date
    issuer: model_text(Honor, "issuer")


class HonorOut(Schema):
    id: int
    user_id: int
    kind: str
    title: str
    level: str
    rank: str
    date: date
    issuer: str
    has_certificate: bool
    certificate_url: str | None = Field(None, description="证书下载地址（需登录且有权查看）")

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_certificate_url(obj):
        return reverse("people:honor_certificate", args=[obj.pk]) if obj.certificate else None


class HonorKindOut(Schema):
    code: str
    name: str
    has_rank: bool


class EnterpriseIn(Schema):
    name: model_text(Enterprise, "name")
    credit_code: model_text(Enterprise, "credit_code")
    industry: model_text(Enterprise, "industry") = ""
    is_partner: bool = False
    agreement_start: date | None = None
    agreement_end: date | None = None
    high_influence: bool = False
    influence_reason: model_text(Enterprise, "influence_reason") = ""
    contact_name: model_text(Enterprise, "contact_name") = ""
    contact_phone: model_text(Enterprise, "contact_phone") = ""
    major_ids: IdList = []


class EnterpriseOut(EnterpriseIn):
    id: int
    can_supply_members: bool
    has_agreement_file: bool

    @staticmethod
    def resolve_major_ids(obj):
        return [m.pk for m in obj.majors.all()]

    @staticmethod
    def resolve_can_supply_members(obj):
        return obj.can_supply_members(timezone.localdate())

    @staticmethod
    def resolve_has_agreement_file(obj):
        return bool(obj.agreement_file)


def _profiles(request):
    return visible_to(request.auth, StaffProfile).select_related("user").prefetch_related("majors")


def _person(request, user_id):
    person = get_object_for_user(request, User.objects.filter(is_external=False), user_id)
    if not may_view_person(request.auth, person):
        raise PermissionDenied("您无权查看该教职工的资料。")
    return person


def _majors(ids):
    majors = list(Major.objects.filter(pk__in=ids or []))
    if len(majors) != len(set(ids or [])):
        raise ValidationError("所选专业不存在。")
    return majors


# --- People ---------------------------------------------------------------------------------------------------------


@router.get("/", response=list[PersonOut], summary="教职工档案列表")
@paginate(BoundedPagination)
def list_people(request):
    return _profiles(request).order_by("user__username")


@router.get("/{int:user_id}", response=PersonOut, summary="教职工档案")
def get_person(request, user_id: int):
    _id(user_id)
    return get_object_or_404(_profiles(request), user_id=user_id)


@router.patch("/{int:user_id}", response=PersonOut, summary="修改教职工档案")
def patch_person(request, user_id: int, payload: PersonPatch):
    _id(user_id)
    person = _person(request, user_id)
    fields = payload.dict(exclude_unset=True)
    id_number = fields.pop("id_number", None)
    major_ids = fields.pop("major_ids", None)
    data = {k: ("" if v is None else str(v) if hasattr(v, "value") else v) for k, v in fields.items()}
    services.save_profile(
        by=request.auth,
        user=person,
        data=data,
        majors=_majors(major_ids) if major_ids is not None else None,
        id_number=id_number,
    )
    return _profiles(request).get(user_id=person.pk)


@router.get("/{int:user_id}/eligibility", response=ReportOut, summary="技能大师资格预审（R4–R8）")
def person_eligibility(request, user_id: int, on: date | None = None):
    _id(user_id)
    person = _person(request, user_id)
    on = on or timezone.localdate()
    validate_record_date(on)
    return {"on": on, **check_master_eligibility(person, on=on).as_dict()}


# --- Work periods ---------------------------------------------------------------------------------------------------


@router.get("/work-periods", response=list[WorkPeriodOut], summary="企业工作/实践经历")
@paginate(BoundedPagination)
def list_work_periods(request, user_id: Id | None = None):
    _id(user_id)
    rows = visible_to(request.auth, WorkPeriod).order_by("user_id", "-start", "id")
    return rows.filter(user_id=user_id) if user_id else rows


@router.post("/work-periods", response={201: WorkPeriodOut}, summary="添加企业工作/实践经历")
def create_work_period(request, payload: WorkPeriodIn, user_id: Id | None = None):
    _id(user_id)
    owner = _person(request, user_id) if user_id else request.auth
    return Status(201, services.create_work_period(by=request.auth, user=owner, data=payload.dict()))


@router.get("/work-periods/{int:pk}", response=WorkPeriodOut)
def get_work_period(request, pk: int):
    _id(pk)
    return get_object_for_user(request, WorkPeriod, pk)


@router.put("/work-periods/{int:pk}", response=WorkPeriodOut)
def update_work_period(request, pk: int, payload: WorkPeriodIn):
    _id(pk)
    period = get_object_for_user(request, WorkPeriod, pk, action="change")
    return services.update_work_period(period, by=request.auth, data=payload.dict())


@router.post("/work-periods/{int:pk}/proof", response=WorkPeriodOut, summary="上传证明材料（multipart，字段 file）")
def upload_proof(request, pk: int, file: File[UploadedFile]):
    _id(pk)
    period = get_object_for_user(request, WorkPeriod, pk, action="change")
    return services.update_work_period(period, by=request.auth, data={}, proof=file)


@router.delete("/work-periods/{int:pk}", response={204: None})
def delete_work_period(request, pk: int):
    _id(pk)
    services.delete_work_period(get_object_for_user(request, WorkPeriod, pk, action="delete"), by=request.auth)
    return Status(204, None)


# --- Honours --------------------------------------------------------------------------------------------------------


@router.get("/honor-kinds", response=list[HonorKindOut], summary="荣誉/奖项类别")
def list_honor_kinds(request):
    return HonorKind.objects.filter(is_active=True)


def _honor_data(payload: HonorIn):
    data = payload.dict()
    data["kind"] = get_object_or_404(HonorKind, code=data["kind"], is_active=True)
    data["rank"] = data["rank"] or ""
    return data


def _honors(request):
    return visible_to(request.auth, Honor).select_related("kind")


@router.get("/honors", response=list[HonorOut], summary="荣誉/奖项")
@paginate(BoundedPagination)
def list_honors(request, user_id: Id | None = None):
    _id(user_id)
    rows = _honors(request).order_by("user_id", "-date", "id")
    return rows.filter(user_id=user_id) if user_id else rows


@router.post("/honors", response={201: HonorOut}, summary="添加荣誉/奖项（证书用 /honors/{id}/certificate 上传）")
def create_honor(request, payload: HonorIn, user_id: Id | None = None):
    _id(user_id)
    owner = _person(request, user_id) if user_id else request.auth
    honor = services.create_honor(by=request.auth, user=owner, data=_honor_data(payload))
    return Status(201, _honors(request).get(pk=honor.pk))


@router.get("/honors/{int:pk}", response=HonorOut)
def get_honor(request, pk: int):
    _id(pk)
    return get_object_for_user(request, _honors(request), pk)


@router.put("/honors/{int:pk}", response=HonorOut)
def update_honor(request, pk: int, payload: HonorIn):
    _id(pk)
    honor = get_object_for_user(request, _honors(request), pk, action="change")
    services.update_honor(honor, by=request.auth, data=_honor_data(payload))
    return _honors(request).get(pk=pk)


@router.post("/honors/{int:pk}/certificate", response=HonorOut, summary="上传证书（multipart，字段 file）")
def upload_certificate(request, pk: int, file: File[UploadedFile]):
    _id(pk)
    honor = get_object_for_user(request, _honors(request), pk, action="change")
    services.update_honor(honor, by=request.auth, data={}, certificate=file)
    return _honors(request).get(pk=pk)


@router.delete("/honors/{int:pk}", response={204: None})
def delete_honor(request, pk: int):
    _id(pk)
    services.delete_honor(get_object_for_user(request, Honor, pk, action="delete"), by=request.auth)
    return Status(204, None)


# --- Enterprises ----------------------------------------------------------------------------------------------------


def _enterprises(request):
    if request.auth.is_external:
        raise PermissionDenied("校外人员不能查看合作企业名录。")
    return visible_to(request.auth, Enterprise).prefetch_related("majors")


def _enterprise_data(payload: EnterpriseIn):
    data = payload.dict()
    return data, _majors(data.pop("major_ids"))


@router.get("/enterprises", response=list[EnterpriseOut], summary="合作企业名录")
@paginate(BoundedPagination)
def list_enterprises(request):
    return _enterprises(request).order_by("name")


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记合作企业（校企办）")
def create_enterprise(request, payload: EnterpriseIn):
    data, majors = _enterprise_data(payload)
    enterprise = services.save_enterprise(None, by=request.auth, data=data, majors=majors)
    return Status(201, _enterprises(request).get(pk=enterprise.pk))


@router.get("/enterprises/{int:pk}", response=EnterpriseOut)
def get_enterprise(request, pk: int):
    _id(pk)
    return get_object_for_user(request, _enterprises(request), pk)


@router.put("/enterprises/{int:pk}", response=EnterpriseOut)
def update_enterprise(request, pk: int, payload: EnterpriseIn):
    _id(pk)
    enterprise = get_object_for_user(request, _enterprises(request), pk, action="change")
    data, majors = _enterprise_data(payload)
    services.save_enterprise(enterprise, by=request.auth, data=data, majors=majors)
    return _enterprises(request).get(pk=pk)


@router.delete("/enterprises/{int:pk}", response={204: None})
def delete_enterprise(request, pk: int):
    _id(pk)
    services.delete_enterprise(get_object_for_user(request, Enterprise, pk, action="delete"), by=request.auth)
    return Status(204, None)


# The screens' other writes (agreement file, external members' enterprise, roster import) live in their own module,
# registered on this router.
from . import api_writes  # noqa: E402, F401
