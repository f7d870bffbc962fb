"""REST API of the ledger, mounted at /api/v1/ledger/: list, detail, create, update, submit, confirm, return and
attachment upload for each record type (`{kind}`: activities, mentorships, meetings, projects, achievements).
Writes go through ledger.services, so the permission checks, studios' ensure_writable, validation (422 with a
Chinese message), the workflow (409) and the audit are those of the pages."""

import datetime as dt
import enum
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, IdList, model_text
from core.pagination import BoundedPagination
from studios.models import Studio

from . import services
from .models import Achievement, Activity, Meeting, Mentorship
from .services import FIELDS
from .types import TYPES, type_of

router = Router(tags=["ledger"])

RecordKind = enum.StrEnum("RecordKind", {slug.upper(): slug for slug in TYPES})


class AttachmentOut(Schema):
    id: int
    kind: str
    original_name: str
    size: int
    url: str
    thumbnail_url: str | None


class RecordOut(Schema):
    id: int
    kind: str
    studio_id: int
    date: dt.date
    title: str
    description: str
    place: str
    place_detail: str
    status: str
    has_evidence: bool
    member_ids: list[int]
    details: dict = Field(..., description="该类记录特有的字段")
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_kind(obj):
        return type_of(obj).slug

    @staticmethod
    def resolve_member_ids(obj):
        return [m.pk for m in obj.members.all()]

    @staticmethod
    def resolve_details(obj):
        return _details(obj)

    @staticmethod
    def resolve_attachments(obj):
        return [_attachment_out(obj, a) for a in obj.attachments.all()]


class RecordIn(Schema):
    """Fields of every record type; those that do not belong to the `{kind}` are ignored."""

    studio_id: Id | None = Field(None, description="新增时必填")
    date: dt.date | None = None
    title: model_text(Activity, "title") | None = None
    description: model_text(Activity, "description") | None = None
    place: Code | None = None
    place_detail: model_text(Activity, "place_detail") | None = None
    member_ids: IdList | None = None
    kind: Code | None = Field(None, description="活动/项目/成果的类别代码")
    hours: Decimal | None = Field(None, ge=0, le=99999, decimal_places=1)
    participants: int | None = Field(None, ge=0, le=1_000_000)
    mentor_id: Id | None = None
    apprentice_type: Code | None = None
    apprentice_user_id: Id | None = None
    apprentice_name: model_text(Mentorship, "apprentice_name") | None = None
    end_on: dt.date | None = None
    outcome_level: Code | None = None
    outcome_on: dt.date | None = None
    minutes: model_text(Meeting, "minutes") | None = None
    source: Code | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    partner_id: Id | None = None
    level: Code | None = None
    number: model_text(Achievement, "number") | None = None
    grant_date: dt.date | None = None
    rank: model_text(Achievement, "rank") | None = None
    who: Code | None = None
    landmark: bool | None = None
    public: bool | None = None


class ReturnIn(Schema):
    reason: model_text(Activity, "return_reason", min_length=1)


def _type(kind):
    return TYPES[str(kind.value if hasattr(kind, "value") else kind)]


def _details(record):
    details = {}
    for name in FIELDS[record._meta.model_name]:
        if name in services.COMMON_FIELDS:
            continue
        field = record._meta.get_field(name)
        value = getattr(record, f"{name}_id") if field.is_relation else getattr(record, name)
        details[name] = str(value) if isinstance(value, Decimal | dt.date) else value
    return details


def _attachment_out(record, attachment):
    slug = type_of(record).slug
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "original_name": attachment.original_name,
        "size": attachment.size,
        "url": reverse("ledger:attachment", args=[slug, record.pk, attachment.pk]),
        "thumbnail_url": reverse("ledger:attachment_thumb", args=[slug, record.pk, attachment.pk])
        if attachment.thumbnail
        else None,
    }


def _rows(request, record_type):
    return (
        visible_to(request.auth, record_type.model)
        .with_evidence()
        .prefetch_related("members", "attachments")
        .order_by("-date", "-id")
    )


def _one(request, record_type, pk, action="view"):
    record = get_object_for_user(request, record_type.model.objects.select_related("studio"), pk, action=action)
    return record


def _fresh(request, record_type, pk):
    return get_object_or_404(_rows(request, record_type), pk=pk)


def _data(record_type, payload, *, partial):
    values = payload.dict(exclude_unset=partial)
    data = {}
    for name in FIELDS[record_type.name]:
        key = f"{name}_id" if record_type.model._meta.get_field(name).is_relation else name
        if key in values:
            data[name] = values[key]
    return data


@router.get("/{kind}/", url_name="ledger_list", response=list[RecordOut], summary="建设记录列表（按类型）")
@paginate(BoundedPagination)
def list_records(request, kind: RecordKind, status: Code | None = None, studio_id: Id | None = None):
    record_type = _type(kind)
    rows = _rows(request, record_type)
    if status:
        rows = rows.filter(status=status)
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    return rows


@router.get("/{kind}/{int:pk}", url_name="ledger_get", response=RecordOut, summary="建设记录详情")
def get_record(request, kind: RecordKind, pk: Id):
    record_type = _type(kind)
    _one(request, record_type, pk)
    return _fresh(request, record_type, pk)


@router.post(
    "/{kind}/",
    url_name="ledger_create",
    response={201: RecordOut},
    summary="新增建设记录（工作室技能大师或在册成员，草稿）",
)
def create_record(request, kind: RecordKind, payload: RecordIn):
    from django.core.exceptions import ValidationError

    record_type = _type(kind)
    if payload.studio_id is None:
        raise ValidationError("请指定工作室（studio_id）。")
    studio = get_object_for_user(request, Studio, payload.studio_id, action="record")
    record = services.create_record(
        record_type.model,
        studio=studio,
        by=request.auth,
        data=_data(record_type, payload, partial=False),
        member_ids=payload.member_ids or [],
    )
    return 201, _fresh(request, record_type, record.pk)


@router.patch("/{kind}/{int:pk}", url_name="ledger_update", response=RecordOut, summary="修改草稿或被退回的建设记录")
def update_record(request, kind: RecordKind, pk: Id, payload: RecordIn):
    record_type = _type(kind)
    record = _one(request, record_type, pk, action="edit")
    services.update_record(
        record, by=request.auth, data=_data(record_type, payload, partial=True), member_ids=payload.member_ids
    )
    return _fresh(request, record_type, pk)


@router.post("/{kind}/{int:pk}/submit", url_name="ledger_submit", response=RecordOut, summary="提交系部审核")
def submit_record(request, kind: RecordKind, pk: Id):
    record_type = _type(kind)
    services.submit_record(_one(request, record_type, pk), by=request.auth)
    return _fresh(request, record_type, pk)


@router.post("/{kind}/{int:pk}/confirm", url_name="ledger_confirm", response=RecordOut, summary="系部确认")
def confirm_record(request, kind: RecordKind, pk: Id):
    record_type = _type(kind)
    services.confirm_record(_one(request, record_type, pk), by=request.auth)
    return _fresh(request, record_type, pk)


@router.post("/{kind}/{int:pk}/return", url_name="ledger_return", response=RecordOut, summary="系部退回（须写原因）")
def return_record(request, kind: RecordKind, pk: Id, payload: ReturnIn):
    record_type = _type(kind)
    services.return_record(_one(request, record_type, pk), by=request.auth, reason=payload.reason)
    return _fresh(request, record_type, pk)


@router.post(
    "/{kind}/{int:pk}/attachments",
    url_name="ledger_upload",
    response={201: AttachmentOut},
    summary="上传佐证材料（multipart：kind 材料类型，file 文件）",
)
def upload_attachment(request, kind: RecordKind, pk: Id, file: File[UploadedFile], attachment_kind: Form[Code]):
    record_type = _type(kind)
    record = _one(request, record_type, pk, action="upload")
    attachment = services.add_attachment(record, by=request.auth, kind=attachment_kind, upload=file)
    return 201, _attachment_out(record, attachment)
