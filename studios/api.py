"""REST API of the studios app, mounted at /api/v1/studios/ (config/api.py): studios, members over time, temporary
exceptions, 执行负责人/联系人, the 责任书 (generate, sign) and 历史登记 (one studio, or an Excel sheet).

Every write calls the same service as the pages (same permission, R1–R3 under the studio lock, revoked = read-only,
same audit events). Refusals: 403/404 (access; 403 with 「已撤销」 for a revoked studio), 422 (bad input or a rule).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.enums import Role
from accounts.models import Department, User
from accounts.permissions import get_object_for_user, may_write_as, visible_to
from core.apitypes import Code, Id, IdList, model_text
from core.pagination import BoundedPagination
from people.models import Enterprise

from . import registration, services
from .enums import MembershipRole, role_rank
from .forms import ImportForm, SignLetterForm
from .models import Membership, ResponsibilityLetter, ResponsibilityLetterTemplate, Studio, StudioException

router = Router(tags=["studios"])


class MemberOut(Schema):
    id: int
    user_id: int
    name: str
    role: str
    role_label: str
    is_external: bool
    joined_on: date
    join_reason: str
    left_on: date | None
    leave_reason: str

    @staticmethod
    def resolve_name(obj):
        return obj.user.display_name

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()


class StudioOut(Schema):
    id: int
    official_name: str
    plaque_name: str
    source: str
    master_id: int
    master_name: str
    department_id: int
    mode: str
    venue_school: str
    venue_partner: str
    partner_enterprise_id: int | None
    status: str
    document_number: str
    approved_on: date
    level: str
    level_label: str
    exec_lead_id: int | None
    contact_id: int | None

    @staticmethod
    def resolve_master_name(obj):
        return obj.master.display_name

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()


class StudioDetailOut(StudioOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj):
        return obj.current_members


class ExceptionOut(Schema):
    id: int
    reason: str
    deadline: date
    resolved_on: date | None
    resolution: str


class LetterOut(Schema):
    id: int
    term_start: date
    term_end: date
    signed_on: date | None
    signed_file_name: str


def _studio(request, pk, action="view"):
    return get_object_for_user(request, Studio.objects.select_related("master"), pk, action=action)


def _members(studio, current_only=True):
    rows = Membership.objects.filter(studio=studio).select_related("user")
    if current_only:
        rows = rows.filter(left_on__isnull=True)
    return list(rows.annotate(rank=role_rank()).order_by("rank", "joined_on", "pk"))


@router.get("/", response=list[StudioOut], summary="工作室列表（可见范围内）")
@paginate(BoundedPagination)
def studios_list(request, status: Code = "", source: Code = ""):
    studios = visible_to(request.auth, Studio).select_related("master").order_by("-approved_on", "-id")
    if status:
        studios = studios.filter(status=status)
    if source:
        studios = studios.filter(source=source)
    return studios


@router.get("/{int:pk}", response=StudioDetailOut, summary="工作室详情（含现有成员）")
def studio_get(request, pk: int):
    studio = _studio(request, pk)
    studio.current_members = _members(studio)
    return studio


@router.get("/{int:pk}/members", response=list[MemberOut], summary="成员（含已退出成员的历史记录）")
def studio_members(request, pk: int, current_only: bool = False):
    return _members(_studio(request, pk), current_only=current_only)


class MemberIn(Schema):
    user_id: Id
    role: Code
    joined_on: date | None = None
    reason: model_text(Membership, "join_reason") = ""


@router.post("/{int:pk}/members", response={201: MemberOut}, summary="添加成员（技能大师、教学工作部；检查 R1–R3）")
def studio_member_add(request, pk: int, payload: MemberIn):
    studio = _studio(request, pk, action="manage_members")
    user = User.objects.filter(pk=payload.user_id).first()
    if user is None:
        raise ValidationError("该人员不存在。")
    row = services.add_member(
        studio, by=request.auth, user=user, role=payload.role, joined_on=payload.joined_on, reason=payload.reason
    )
    return Status(201, Membership.objects.select_related("user").get(pk=row.pk))


class LeaveIn(Schema):
    left_on: date | None = None
    reason: model_text(Membership, "leave_reason", min_length=1)


@router.post(
    "/{int:pk}/members/{int:membership_id}/leave",
    response=MemberOut,
    summary="成员退出（保留记录；骨干教师少于规定人数时拒绝，除非有临时例外）",
)
def studio_member_leave(request, pk: int, membership_id: int, payload: LeaveIn):
    studio = _studio(request, pk, action="manage_members")
    services.remove_member(studio, membership_id, by=request.auth, left_on=payload.left_on, reason=payload.reason)
    return Membership.objects.select_related("user").get(pk=membership_id)


class ContactsIn(Schema):
    exec_lead_id: Id | None = None
    contact_id: Id | None = None


@router.post("/{int:pk}/contacts", response=StudioOut, summary="指定执行负责人和联系人（成员记录编号）")
def studio_contacts(request, pk: int, payload: ContactsIn):
    studio = _studio(request, pk, action="set_contacts")
    services.set_contacts(studio, by=request.auth, exec_lead_id=payload.exec_lead_id, contact_id=payload.contact_id)
    return _studio(request, pk)


@router.get("/{int:pk}/exceptions", response=list[ExceptionOut], summary="临时例外")
def studio_exceptions(request, pk: int):
    return list(StudioException.objects.filter(studio=_studio(request, pk)).order_by("-id"))


class ExceptionIn(Schema):
    reason: model_text(StudioException, "reason", min_length=1)
    deadline: date


@router.post("/{int:pk}/exceptions", response={201: ExceptionOut}, summary="登记临时例外（教学工作部）")
def studio_exception_add(request, pk: int, payload: ExceptionIn):
    studio = _studio(request, pk, action="manage")
    return Status(
        201, services.record_exception(studio, by=request.auth, reason=payload.reason, deadline=payload.deadline)
    )


class ResolveIn(Schema):
    resolution: model_text(StudioException, "resolution") = ""


@router.post("/{int:pk}/exceptions/{int:exception_id}/resolve", response=ExceptionOut, summary="解除临时例外")
def studio_exception_resolve(request, pk: int, exception_id: int, payload: ResolveIn):
    studio = _studio(request, pk, action="manage")
    exception = get_object_or_404(StudioException.objects.select_related("studio"), pk=exception_id, studio=studio)
    return services.resolve_exception(exception, by=request.auth, resolution=payload.resolution)


@router.get("/{int:pk}/letters", response=list[LetterOut], summary="责任书")
def studio_letters(request, pk: int):
    return list(ResponsibilityLetter.objects.filter(studio=_studio(request, pk)).order_by("-term_start", "-id"))


@router.post("/{int:pk}/letters", response={201: LetterOut}, summary="按当前模板生成责任书（教学工作部）")
def studio_letter_generate(request, pk: int):
    studio = _studio(request, pk, action="manage")
    return Status(201, services.generate_letter(studio, by=request.auth))


@router.post(
    "/{int:pk}/letters/{int:letter_id}/sign",
    response=LetterOut,
    summary="上传签字盖章的责任书（multipart：file、signed_on）",
)
def studio_letter_sign(request, pk: int, letter_id: int, signed_on: Form[date], file: File[UploadedFile]):
    studio = _studio(request, pk, action="sign_letter")
    letter = get_object_or_404(ResponsibilityLetter.objects.select_related("studio"), pk=letter_id, studio=studio)
    form = SignLetterForm({"signed_on": signed_on.isoformat()}, {"file": file})
    if not form.is_valid():
        raise ValidationError("；".join(e for errors in form.errors.values() for e in errors))
    return services.sign_letter(letter, by=request.auth, upload=file, signed_on=signed_on)


class RegistrationIn(Schema):
    official_name: model_text(Studio, "official_name", min_length=1)
    document_number: model_text(Studio, "document_number", min_length=1)
    approved_on: date
    master_id: Id
    department_id: Id
    mode: Code
    venue_school: model_text(Studio, "venue_school") = ""
    venue_partner: model_text(Studio, "venue_partner") = ""
    partner_enterprise_id: Id | None = None
    core_member_ids: IdList
    other_member_ids: IdList = []


def _require_registrar(user):
    if not may_write_as(user, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部可以登记历史工作室。")


@router.post("/register", response={201: StudioOut}, summary="登记历史工作室（教学工作部；不经申报流程）")
def studio_register(request, payload: RegistrationIn):
    _require_registrar(request.auth)
    ids = [payload.master_id, *payload.core_member_ids, *payload.other_member_ids]
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    missing = sorted(set(ids) - set(users))
    if missing:
        raise ValidationError(f"以下人员不存在：{'、'.join(map(str, missing))}")
    department = Department.objects.filter(pk=payload.department_id, is_active=True).first()
    if department is None:
        raise ValidationError("所在系部不存在。")
    enterprise = None
    if payload.partner_enterprise_id:
        enterprise = Enterprise.objects.filter(pk=payload.partner_enterprise_id).first()
        if enterprise is None:
            raise ValidationError("合作企业不存在。")
    reg = services.Registration(
        official_name=payload.official_name,
        document_number=payload.document_number,
        approved_on=payload.approved_on,
        master=users[payload.master_id],
        department=department,
        mode=payload.mode,
        venue_school=payload.venue_school,
        venue_partner=payload.venue_partner,
        partner_enterprise=enterprise,
        members=[services.MemberInput(users[i], MembershipRole.CORE) for i in payload.core_member_ids]
        + [services.MemberInput(users[i], MembershipRole.MEMBER) for i in payload.other_member_ids],
    )
    studio = services.register_studio(reg, by=request.auth)
    return Status(201, Studio.objects.select_related("master").get(pk=studio.pk))


class ImportOut(Schema):
    ok: bool
    studio_ids: list[int]
    errors: list[str]


@router.post(
    "/register/import",
    response={200: ImportOut, 422: ImportOut},
    summary="从 Excel 导入历史工作室（multipart，字段 file；任一行有误时整份不导入）",
)
def studio_register_import(request, file: File[UploadedFile]):
    _require_registrar(request.auth)
    form = ImportForm({}, {"file": file})
    if not form.is_valid():
        raise ValidationError("；".join(e for errors in form.errors.values() for e in errors))
    result = registration.import_studios(form.cleaned_data["file"], by=request.auth)
    body = {"ok": result.ok, "studio_ids": [s.pk for s in result.studios], "errors": result.errors}
    return Status(200 if result.ok else 422, body)


class LetterTemplateIn(Schema):
    school_duties: model_text(ResponsibilityLetterTemplate, "school_duties", min_length=1)
    studio_duties: model_text(ResponsibilityLetterTemplate, "studio_duties", min_length=1)
    term_years: int = Field(3, ge=1, le=10)


class LetterTemplateOut(Schema):
    id: int
    school_duties: str
    studio_duties: str
    term_years: int


@router.post(
    "/letter-template", response={201: LetterTemplateOut}, summary="保存责任书模板（新版本；教学工作部、管理员）"
)
def studio_letter_template_save(request, payload: LetterTemplateIn):
    return Status(201, services.save_letter_template(by=request.auth, **payload.dict()))
