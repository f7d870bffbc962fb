"""REST API of 推荐申报, mounted at /api/v1/recommendations/: list, create, detail (with the check), update the draft,
submit (with the confirmations of the 需人工核实 lines), withdraw, outcome, the dossier (.docx/.pdf) and the
requirement catalogue. Writes go through recommendations.services: the permissions, the workflow (409 with a Chinese
message), the uniqueness rule and the audit are those of the pages."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, model_text, text
from core.pagination import BoundedPagination
from core.uploads import serve_bytes

from . import documents, services
from .checking import catalogue, check_studio
from .checks import CHECKS
from .enums import RecommendationStatus
from .models import Recommendation
from .permissions import reads_any

router = Router(tags=["recommendations"])
PREFIX = "recommendations"

Year = Annotated[int, Field(ge=2000, le=2100)]
FILE = {"responses": {200: {"description": "文件", "content": {"application/octet-stream": {}}}}}


class RecommendationBase(Schema):
    id: int
    studio_id: int
    studio: str
    level: str
    level_label: str
    year: int
    reason: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    outcome_level: str
    outcome_year: int | None
    outcome_document: str
    outcome_on: dt.date | None
    outcome_note: str


class RecommendationOut(RecommendationBase):
    """A list row, resolved from the model (the list is paginated as a queryset)."""

    @staticmethod
    def resolve_studio(obj):
        return obj.studio.official_name

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class CheckLineOut(Schema):
    requirement_id: int | None = None
    label: str
    verdict: str
    verdict_label: str = ""
    text: str
    url: str = ""
    confirmation: str = ""


class RecommendationDetail(RecommendationBase):
    frozen: bool
    checks: list[CheckLineOut]
    unmet_explanation: str


class RecommendationIn(Schema):
    studio_id: Id
    level: Code
    year: Year
    reason: model_text(Recommendation, "reason", min_length=1)


class DraftIn(Schema):
    level: Code
    year: Year
    reason: model_text(Recommendation, "reason", min_length=1)


class ConfirmationIn(Schema):
    requirement_id: Id
    note: text(services.CONFIRM_MAX)


class SubmitIn(Schema):
    confirmations: list[ConfirmationIn] = Field(default_factory=list, max_length=100)
    explanation: model_text(Recommendation, "unmet_explanation") = ""
    note: text(1000) = ""


class WithdrawIn(Schema):
    reason: text(1000, min_length=1)


class OutcomeIn(Schema):
    result: Literal["approved", "not_approved"]
    level: Code | None = None
    year: Year | None = None
    document: model_text(Recommendation, "outcome_document") = ""
    on: dt.date | None = None
    note: model_text(Recommendation, "outcome_note") = ""


class RequirementOut(Schema):
    id: int
    level: str
    level_label: str
    order: int
    label: str
    checker: str
    checker_label: str
    number: int | None
    choice: str


def _rec(request, pk, action="view"):
    return get_object_for_user(request, Recommendation.objects.select_related("studio"), pk, action=action)


def _detail(rec):
    frozen = rec.status != RecommendationStatus.DRAFT
    lines = (rec.snapshot or {}).get("lines", []) if frozen else check_studio(rec.studio_id, rec.level)
    data = {
        "id": rec.pk, "studio_id": rec.studio_id, "studio": rec.studio.official_name, "level": rec.level,
        "level_label": rec.get_level_display(), "year": rec.year, "reason": rec.reason, "status": rec.status,
        "status_label": rec.get_status_display(), "submitted_at": rec.submitted_at, "outcome_level": rec.outcome_level,
        "outcome_year": rec.outcome_year, "outcome_document": rec.outcome_document, "outcome_on": rec.outcome_on,
        "outcome_note": rec.outcome_note,
    }  # fmt: skip
    return RecommendationDetail(
        **data, frozen=frozen, checks=[CheckLineOut(**line) for line in lines], unmet_explanation=rec.unmet_explanation
    )


@router.get("/", url_name="recommendations_list", response=list[RecommendationOut], summary="推荐申报列表")
@paginate(BoundedPagination)
def list_recommendations(request, level: Code | None = None, status: Code | None = None, year: Year | None = None):
    if not reads_any(request.auth):
        raise PermissionDenied("您无权查看推荐申报。")
    rows = visible_to(request.auth, Recommendation).select_related("studio").order_by("-year", "-pk")
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(year=year)
    return rows


@router.post("/", url_name="recommendations_create", response={201: RecommendationDetail},
             summary="发起推荐申报（发改室）")  # fmt: skip
def create_recommendation(request, payload: RecommendationIn):
    rec = services.create_recommendation(
        by=request.auth, studio=payload.studio_id, level=payload.level, year=payload.year, reason=payload.reason
    )
    return Status(201, _detail(_rec(request, rec.pk)))


@router.get("/requirements/", url_name="recommendations_requirements", response=list[RequirementOut],
            summary="推荐申报条件")  # fmt: skip
def list_requirements(request):
    if not reads_any(request.auth):
        raise PermissionDenied("您无权查看推荐申报条件。")
    return [
        RequirementOut(
            id=r.pk, level=r.level, level_label=r.get_level_display(), order=r.order, label=r.label,
            checker=r.checker, checker_label=CHECKS[r.checker].label if r.checker in CHECKS else "",
            number=r.number, choice=r.choice,
        )
        for rows in catalogue().values()
        for r in rows
    ]  # fmt: skip


@router.get("/{int:pk}", url_name="recommendations_get", response=RecommendationDetail,
            summary="推荐申报详情（含条件核验）")  # fmt: skip
def get_recommendation(request, pk: Id):
    return _detail(_rec(request, pk))


@router.put("/{int:pk}", url_name="recommendations_update", response=RecommendationDetail, summary="修改草稿")
def update_recommendation(request, pk: Id, payload: DraftIn):
    rec = services.update_draft(
        _rec(request, pk, "change"), by=request.auth, level=payload.level, year=payload.year, reason=payload.reason
    )
    return _detail(_rec(request, rec.pk))


@router.post("/{int:pk}/submit", url_name="recommendations_submit", response=RecommendationDetail,
             summary="推荐上报（逐项确认需人工核实的条件）")  # fmt: skip
def submit_recommendation(request, pk: Id, payload: SubmitIn):
    rec = services.submit(
        _rec(request, pk, "submit"),
        by=request.auth,
        confirmations={c.requirement_id: c.note for c in payload.confirmations},
        explanation=payload.explanation,
        note=payload.note,
    )
    return _detail(_rec(request, rec.pk))


@router.post("/{int:pk}/withdraw", url_name="recommendations_withdraw", response=RecommendationDetail,
             summary="撤回推荐申报（须写理由）")  # fmt: skip
def withdraw_recommendation(request, pk: Id, payload: WithdrawIn):
    rec = services.withdraw(_rec(request, pk, "withdraw"), by=request.auth, reason=payload.reason)
    return _detail(_rec(request, rec.pk))


@router.post("/{int:pk}/outcome", url_name="recommendations_outcome", response=RecommendationDetail,
             summary="登记推荐结果（获批/未获批）")  # fmt: skip
def record_outcome(request, pk: Id, payload: OutcomeIn):
    rec = services.record_outcome(
        _rec(request, pk, "outcome"),
        by=request.auth,
        approved=payload.result == "approved",
        level=payload.level,
        year=payload.year,
        document=payload.document,
        on=payload.on,
        note=payload.note,
    )
    return _detail(_rec(request, rec.pk))


@router.get("/{int:pk}/dossier.pdf", url_name="recommendations_dossier_pdf", summary="推荐申报材料（PDF）",
            openapi_extra=FILE)  # fmt: skip
def dossier_pdf(request, pk: Id):
    return serve_bytes(*documents.dossier_pdf(_rec(request, pk, "download")))


@router.get("/{int:pk}/dossier.docx", url_name="recommendations_dossier_docx", summary="推荐申报材料（Word）",
            openapi_extra=FILE)  # fmt: skip
def dossier_docx(request, pk: Id):
    return serve_bytes(*documents.dossier_docx(_rec(request, pk, "download")))
