"""REST API of the ledger, mounted at /api/v1/ledger/: list, detail, create, update, submit, confirm, return and
attachment upload for each record type (`{kind}`: activities, mentorships, meetings, projects, achievements), and
the list pages' 批量确认 (one request naming records of any type, a result per record, as the page reports them),
教学工作部抽查, 带徒进展 and 项目阶段. Writes go through ledger.services, so the permission checks, studios' ensure_writable, validation (422 with a
Chinese message), the workflow (409) and the audit are those of the pages."""

import datetime as dt
import enum
from decimal import Decimal

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import MAX_IDS_PER_LIST, Code, Id, IdList, model_text
from core.pagination import BoundedPagination
from studios.models import Studio

from . import services
from .models import Achievement, Activity, Meeting, Mentorship, MentorshipNote, ProjectStageRecord
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
    return Status(201, _fresh(request, record_type, record.pk))


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
    return Status(201, _attachment_out(record, attachment))


# --- 批量确认, 抽查, 带徒进展, 项目阶段 (the pages' other writes, through the same services) -----------------------------


class RecordRef(Schema):
    kind: RecordKind
    id: Id


class BatchConfirmIn(Schema):
    items: list[RecordRef] = Field(
        ..., min_length=1, max_length=MAX_IDS_PER_LIST, description="要确认的记录（类型 + id）"
    )


class RefusedRef(Schema):
    kind: str
    id: int
    reason: str


class BatchConfirmOut(Schema):
    confirmed: list[RecordRef]
    refused: list[RefusedRef]


class SpotCheckIn(Schema):
    note: model_text(Activity, "spot_check_note", min_length=1)


class SpotCheckOut(Schema):
    id: int
    kind: str
    status: str
    spot_check_note: str
    spot_checked_at: dt.datetime | None
    spot_checked_by_id: int | None


class NoteIn(Schema):
    date: dt.date
    note: model_text(MentorshipNote, "note", min_length=1)


class NoteOut(Schema):
    id: int
    mentorship_id: int
    date: dt.date
    note: str
    by_id: int


class StageIn(Schema):
    stage: Code = Field(
        ...,
        description="立项评审 approval → 研发实践 development → 教学转化 teaching → 成果推广 promotion → 结题评价 closing，依次记录",
    )
    date: dt.date
    note: model_text(ProjectStageRecord, "note") = Field("", description="结题评价必填")


class StageOut(Schema):
    id: int
    project_id: int
    stage: str
    date: dt.date
    note: str


NOT_VISIBLE = "记录不存在或您无权查看。"


@router.post(
    "/batch-confirm",
    url_name="ledger_batch_confirm",
    response=BatchConfirmOut,
    summary="批量确认（系部主任；逐条结果：可确认的确认，其余逐条说明原因且不作任何改动）",
)
def batch_confirm(request, payload: BatchConfirmIn):
    """As the list pages' 批量确认: each record the caller may see is confirmed through the workflow, in one
    transaction; a record that cannot be confirmed (not submitted, another department, revoked studio, archived
    year) is refused with its reason and left unchanged — the others are still confirmed. Records the caller cannot
    see are refused as not found. A read-only role is refused the whole request (403)."""
    wanted = {}
    for item in payload.items:
        wanted.setdefault(str(item.kind.value), []).append(item.id)
    confirmed, refused = [], []
    with transaction.atomic():
        for slug, record_type in TYPES.items():
            ids = sorted(set(wanted.get(slug, ())))
            if not ids:
                continue
            visible = set(visible_to(request.auth, record_type.model).filter(pk__in=ids).values_list("pk", flat=True))
            done, not_done = services.batch_confirm(record_type.model, sorted(visible), by=request.auth)
            done_ids = {r.pk for r in done}
            # the service refuses in the order of the ids it was given (sorted), one entry per id not confirmed
            refused_ids = [pk for pk in sorted(visible) if pk not in done_ids]
            confirmed += [{"kind": slug, "id": pk} for pk in sorted(done_ids)]
            for pk, (_title, reason) in zip(refused_ids, not_done, strict=True):
                refused.append({"kind": slug, "id": pk, "reason": reason})
            refused += [{"kind": slug, "id": pk, "reason": NOT_VISIBLE} for pk in ids if pk not in visible]
    return {"confirmed": confirmed, "refused": refused}


def _spot_check_out(record):
    return {
        "id": record.pk,
        "kind": type_of(record).slug,
        "status": record.status,
        "spot_check_note": record.spot_check_note,
        "spot_checked_at": record.spot_checked_at,
        "spot_checked_by_id": record.spot_checked_by_id,
    }


@router.post(
    "/{kind}/{int:pk}/spot-check",
    url_name="ledger_spot_check",
    response=SpotCheckOut,
    summary="教学工作部抽查已确认的记录（记录抽查意见，状态不变）",
)
def spot_check(request, kind: RecordKind, pk: Id, payload: SpotCheckIn):
    record_type = _type(kind)
    record = _one(request, record_type, pk, action="spot_check")
    services.spot_check(record, by=request.auth, note=payload.note)
    return _spot_check_out(record_type.model.objects.get(pk=pk))


@router.post(
    "/mentorships/{int:pk}/notes",
    url_name="ledger_note",
    response={201: NoteOut},
    summary="记录带徒进展（工作室技能大师或在册成员）",
)
def add_note(request, pk: Id, payload: NoteIn):
    mentorship = _one(request, TYPES["mentorships"], pk, action="progress")
    row = services.add_progress_note(mentorship, by=request.auth, date=payload.date, note=payload.note)
    return Status(201, row)


@router.post(
    "/projects/{int:pk}/stages",
    url_name="ledger_stage",
    response={201: StageOut},
    summary="记录项目阶段（R17 五个阶段依次记录；结题评价须填写评价意见）",
)
def add_stage(request, pk: Id, payload: StageIn):
    project = _one(request, TYPES["projects"], pk, action="progress")
    row = services.record_stage(project, by=request.auth, stage=payload.stage, date=payload.date, note=payload.note)
    return Status(201, row)
