"""REST API of 年度工作报告, mounted at /api/v1/annual/: reports (list, read, create, update a draft, submit, check,
return, receive) and the submission overview of a year. Same permissions and services as the pages: visibility
(visible_to), the writer / reviewer checks (403), revoked studios (403), the workflow (409) and
invalid input (422, Chinese)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts.permissions import get_object_for_user, visible_to
from core.apitypes import Code, Id, IdList, model_text
from core.pagination import BoundedPagination
from studios.models import Studio

from . import services
from .models import MAX_LANDMARKS, AnnualReport, ReportStatus
from .permissions import overview_studio_q, report_studios, sees_overview

router = Router(tags=["annual"])
PREFIX = "annual"

Year = Annotated[int, Field(ge=2000, le=2100)]


class AnnualReportOut(Schema):
    id: int
    studio_id: int
    studio: str
    year: int
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    late: bool
    due_date: dt.date
    achievements_summary: str
    highlights: str
    problems: str
    next_year_plan: str
    landmark_ids: list[int]
    return_reason: str


class AnnualReportIn(Schema):
    studio_id: Id
    year: Year
    achievements_summary: model_text(AnnualReport, "achievements_summary") = ""
    highlights: model_text(AnnualReport, "highlights") = ""
    problems: model_text(AnnualReport, "problems") = ""
    next_year_plan: model_text(AnnualReport, "next_year_plan") = ""
    landmark_ids: IdList = Field(
        default_factory=list, description=f"标志性成果（成果记录 id，最多 {MAX_LANDMARKS} 项）"
    )


class AnnualReportPatch(Schema):
    achievements_summary: model_text(AnnualReport, "achievements_summary") | None = None
    highlights: model_text(AnnualReport, "highlights") | None = None
    problems: model_text(AnnualReport, "problems") | None = None
    next_year_plan: model_text(AnnualReport, "next_year_plan") | None = None
    landmark_ids: IdList | None = None


class AnnualNoteIn(Schema):
    note: model_text(AnnualReport, "return_reason") = ""


class AnnualReasonIn(Schema):
    reason: model_text(AnnualReport, "return_reason", min_length=1)


class AnnualMissingStudio(Schema):
    studio_id: int
    studio: str
    department: str


class AnnualStatusOut(Schema):
    year: int
    due_date: dt.date
    overdue: bool
    owed: int
    submitted: int
    missing: int
    late: int
    received: int
    missing_studios: list[AnnualMissingStudio]


def _out(report):
    return {
        "id": report.pk, "studio_id": report.studio_id, "studio": report.studio.official_name, "year": report.year,
        "status": report.status, "status_label": ReportStatus(report.status).label,
        "submitted_at": report.submitted_at, "late": report.late, "due_date": services.due_date(report.year),
        "achievements_summary": report.achievements_summary, "highlights": report.highlights,
        "problems": report.problems, "next_year_plan": report.next_year_plan,
        "landmark_ids": sorted(a.pk for a in report.landmarks.all()), "return_reason": report.return_reason,
    }  # fmt: skip


def _reports(request):
    return (
        visible_to(request.auth, AnnualReport)
        .select_related("studio")
        .prefetch_related("landmarks")
        .order_by("-year", "studio_id", "pk")
    )


def _report(request, pk, action="view"):
    return get_object_for_user(request, AnnualReport.objects.select_related("studio"), pk, action=action)


def _fresh(request, pk):
    return _out(get_object_or_404(_reports(request), pk=pk))


class _Mapped:
    def __init__(self, rows, fn):
        self.rows, self.fn = rows, fn

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, item):
        return [self.fn(r) for r in self.rows[item]]


@router.get("/reports/", url_name="annual_report_list", response=list[AnnualReportOut], summary="年度工作报告列表")
@paginate(BoundedPagination)
def list_reports(
    request, year: Year | None = None, status: Code | None = None, studio_id: Id | None = None,
    department_id: Id | None = None, late: bool | None = None,
):  # fmt: skip
    rows = _reports(request)
    if year:
        rows = rows.filter(year=year)
    if status:
        rows = rows.filter(status=status)
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    if department_id:
        rows = rows.filter(studio__department_id=department_id)
    if late is not None:
        rows = rows.filter(late=late)
    return _Mapped(rows, _out)


@router.get("/reports/{int:pk}", url_name="annual_report_get", response=AnnualReportOut, summary="年度工作报告详情")
def get_report(request, pk: Id):
    _report(request, pk)
    return _fresh(request, pk)


def _data(values):
    return {k: values[k] for k in services.NARRATIVE_FIELDS if values.get(k) is not None}


@router.post(
    "/reports/",
    url_name="annual_report_create",
    response={201: AnnualReportOut, 200: AnnualReportOut},
    summary="撰写年度工作报告（技能大师或联系人；已有草稿时保存到该草稿）",
)
def create_report(request, payload: AnnualReportIn):
    studios = report_studios(request.auth, Studio.objects.all())
    studio = get_object_or_404(studios, pk=payload.studio_id)
    existed = AnnualReport.objects.filter(studio=studio, year=payload.year).exists()
    report = services.save_report(
        by=request.auth, studio=studio, year=payload.year, data=_data(payload.dict()), landmarks=payload.landmark_ids
    )
    return Status(200 if existed else 201, _fresh(request, report.pk))


@router.patch(
    "/reports/{int:pk}", url_name="annual_report_update", response=AnnualReportOut, summary="修改年度工作报告草稿"
)
def update_report(request, pk: Id, payload: AnnualReportPatch):
    report = _report(request, pk, action="edit")
    values = payload.dict(exclude_unset=True)
    services.save_report(
        by=request.auth, studio=report.studio, year=report.year, data=_data(values),
        landmarks=values.get("landmark_ids"),
    )  # fmt: skip
    return _fresh(request, pk)


@router.post(
    "/reports/{int:pk}/submit",
    url_name="annual_report_submit",
    response=AnnualReportOut,
    summary="提交系部审核（截止日期后提交标记为逾期提交）",
)
def submit_report(request, pk: Id):
    services.submit_report(_report(request, pk, action="submit"), by=request.auth)
    return _fresh(request, pk)


@router.post(
    "/reports/{int:pk}/check", url_name="annual_report_check", response=AnnualReportOut, summary="系部审核通过"
)
def check_report(request, pk: Id, payload: AnnualNoteIn):
    services.decide_report(
        _report(request, pk, action="decide"), ReportStatus.CHECKED, by=request.auth, note=payload.note
    )
    return _fresh(request, pk)


@router.post(
    "/reports/{int:pk}/receive", url_name="annual_report_receive", response=AnnualReportOut, summary="教学工作部接收"
)
def receive_report(request, pk: Id, payload: AnnualNoteIn):
    services.decide_report(
        _report(request, pk, action="decide"), ReportStatus.RECEIVED, by=request.auth, note=payload.note
    )
    return _fresh(request, pk)


@router.post(
    "/reports/{int:pk}/return",
    url_name="annual_report_return",
    response=AnnualReportOut,
    summary="退回修改（须写原因）",
)
def return_report(request, pk: Id, payload: AnnualReasonIn):
    services.decide_report(
        _report(request, pk, action="decide"), ReportStatus.RETURNED, by=request.auth, note=payload.reason
    )
    return _fresh(request, pk)


@router.get(
    "/status/",
    url_name="annual_status",
    response=AnnualStatusOut,
    summary="年度报告提交情况（应交、已提交、逾期、已接收与未交名单）",
)
def status_overview(request, year: Year | None = None):
    if not sees_overview(request.auth):
        raise PermissionDenied("年度报告提交情况只对教学工作部、发展改革研究室、系部主任等开放。")
    year = year or services.reporting_year()
    due = services.due_date(year)
    studios = services.due_studios(year)
    q = overview_studio_q(request.auth)
    if q is not None:
        studios = studios.filter(q)
    counts = AnnualReport.objects.filter(year=year, studio__in=studios.values("pk")).aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        late=Count("pk", filter=Q(late=True)),
        received=Count("pk", filter=Q(status=ReportStatus.RECEIVED)),
    )
    submitted = AnnualReport.objects.filter(year=year, submitted_at__isnull=False).values("studio_id")
    missing = list(
        studios.exclude(pk__in=submitted).order_by("department__name", "official_name", "pk")
        .values_list("pk", "official_name", "department__name")
    )  # fmt: skip
    overdue = timezone.localdate() > due
    return {
        "year": year, "due_date": due, "overdue": overdue, "owed": studios.count(), "submitted": counts["submitted"],
        "missing": len(missing), "late": counts["late"] + (len(missing) if overdue else 0),
        "received": counts["received"],
        "missing_studios": [{"studio_id": pk, "studio": name, "department": dept} for pk, name, dept in missing],
    }  # fmt: skip
