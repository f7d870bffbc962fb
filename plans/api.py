"""REST API of the plans app, mounted at /api/v1/plans/ (config/api.py). The same services, permission checks and
Chinese refusals as the pages: indicator sets, plans (list/detail/create/edit/transitions/new version/diff) and
plan-vs-actual (one studio, a department, the school)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts.models import Department
from accounts.permissions import get_object_for_user, headed_department_ids, visible_to
from core.apitypes import Code, Id, model_text, text
from core.pagination import BoundedPagination
from core.uploads import serve_bytes
from studios.models import Studio

from . import actuals, documents, services
from .enums import PlanKind, PlanStatus
from .models import MAX_TARGET, Indicator, IndicatorSet, Plan, PlanTask
from .permissions import may_see_studio_plans, sees_all_plans

router = Router(tags=["plans"])
TargetValue = Field(..., ge=0, le=MAX_TARGET, max_digits=9, decimal_places=1)


class IndicatorOut(Schema):
    id: int
    key: str
    group: str
    group_weight: Decimal
    name: str
    unit: str
    computation: str
    computed_from: str
    default_target: Decimal
    weight: Decimal
    level_weighted: bool
    order: int


class IndicatorSetOut(Schema):
    id: int
    year: int
    note: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())


class IndicatorIn(Schema):
    id: Id | None = None
    key: model_text(Indicator, "key", min_length=1)
    group: model_text(Indicator, "group", min_length=1)
    group_weight: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=1)
    name: model_text(Indicator, "name", min_length=1)
    unit: model_text(Indicator, "unit", min_length=1)
    computation: Code
    computed_from: model_text(Indicator, "computed_from") = ""
    default_target: Decimal = TargetValue
    weight: Decimal = Field(..., ge=0, le=100, max_digits=5, decimal_places=1)
    level_weighted: bool = False


class IndicatorSetIn(Schema):
    note: model_text(IndicatorSet, "note") = ""
    indicators: list[IndicatorIn] = Field(..., max_length=100)


@router.get(
    "/indicator-sets", response=list[IndicatorSetOut], summary="各年度指标体系", url_name="plans_indicator_sets"
)
def list_indicator_sets(request):
    return list(visible_to(request.auth, IndicatorSet).prefetch_related("indicators").order_by("-year"))


class IndicatorSetCreateIn(Schema):
    year: int = Field(..., ge=2000, le=2100)


@router.post(
    "/indicator-sets",
    response={201: IndicatorSetOut},
    summary="新建年度指标体系（复制上一年度，仅管理员）",
    url_name="plans_indicator_sets",
)
def create_indicator_set(request, payload: IndicatorSetCreateIn):
    indicator_set = services.start_indicator_set(by=request.auth, year=payload.year)
    return Status(
        201, get_object_for_user(request, IndicatorSet.objects.prefetch_related("indicators"), indicator_set.pk)
    )


@router.get(
    "/indicator-sets/{int:pk}", response=IndicatorSetOut, summary="一个年度的指标体系", url_name="plans_indicator_set"
)
def get_indicator_set(request, pk: Id):
    return get_object_for_user(request, IndicatorSet.objects.prefetch_related("indicators"), pk)


@router.put(
    "/indicator-sets/{int:pk}",
    response=IndicatorSetOut,
    summary="保存指标体系（权重之和须为100，仅管理员）",
    url_name="plans_indicator_set",
)
def put_indicator_set(request, pk: Id, payload: IndicatorSetIn):
    indicator_set = get_object_for_user(request, IndicatorSet, pk, action="change")
    rows = [{**row.dict(), "order": n} for n, row in enumerate(payload.indicators, 1)]
    for row in rows:
        if row["id"] is None:
            row.pop("id")
    services.save_indicator_set(indicator_set, by=request.auth, rows=rows, note=payload.note)
    return get_object_for_user(request, IndicatorSet.objects.prefetch_related("indicators"), pk)


class TargetOut(Schema):
    indicator_id: int
    key: str = Field(..., alias="indicator.key")
    name: str = Field(..., alias="indicator.name")
    target: Decimal


class TaskOut(Schema):
    title: str
    owner_id: int
    due_on: date
    expected_output: str


class PlanOut(Schema):
    id: int
    studio_id: int
    kind: str
    year: int
    term_years: int
    version: int
    supersedes_id: int | None
    change_reason: str
    status: str
    goals: str
    expected_outputs: str
    approved_on: date | None
    indicator_set_year: int = Field(..., alias="indicator_set.year")


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]
    tasks: list[TaskOut]

    @staticmethod
    def resolve_targets(obj):
        return list(obj.targets.select_related("indicator").order_by("indicator__order"))

    @staticmethod
    def resolve_tasks(obj):
        return list(obj.tasks.order_by("order", "pk"))


class PlanCreateIn(Schema):
    studio_id: Id
    kind: PlanKind
    year: int = Field(..., ge=2000, le=2100)
    term_years: int | None = Field(None, ge=1, le=5)


class TargetIn(Schema):
    indicator_id: Id
    target: Decimal = TargetValue


class TaskIn(Schema):
    title: model_text(PlanTask, "title", min_length=1)
    owner_id: Id
    due_on: date
    expected_output: model_text(PlanTask, "expected_output") = ""


class PlanPatch(Schema):
    goals: model_text(Plan, "goals") | None = None
    expected_outputs: model_text(Plan, "expected_outputs") | None = None
    term_years: int | None = Field(None, ge=1, le=5)
    targets: list[TargetIn] | None = Field(None, max_length=100)
    tasks: list[TaskIn] | None = Field(None, max_length=services.MAX_TASKS)


class TransitionIn(Schema):
    to: PlanStatus
    note: text(2000) = ""


class VersionIn(Schema):
    reason: model_text(Plan, "change_reason", min_length=1)


class DiffOut(Schema):
    fields: list[tuple[str, str, str]]
    targets: list[tuple[str, Decimal | None, Decimal | None]]
    tasks_added: list[tuple[str, str, date, str]]
    tasks_removed: list[tuple[str, str, date, str]]


class PlanFilter(Schema):
    studio_id: Id | None = None
    kind: PlanKind | None = None
    status: PlanStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)


def _plans(request):
    return visible_to(request.auth, Plan).select_related("indicator_set", "studio")


def _plan(request, pk, action="view"):
    return get_object_for_user(request, _plans(request), pk, action)


@router.get("/", response=list[PlanOut], summary="方案列表（本人可见范围）", url_name="plans_list")
@paginate(BoundedPagination)
def list_plans(request, filters: Query[PlanFilter]):
    qs = _plans(request).order_by("-updated_at", "-pk")
    for name in ("studio_id", "kind", "status", "year"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    return qs


@router.get("/{int:pk}", response=PlanDetailOut, summary="方案详情（目标与任务）", url_name="plans_detail")
def get_plan(request, pk: Id):
    return _plan(request, pk)


@router.post("/", response={201: PlanDetailOut}, summary="新建建设方案或年度工作计划（草稿）", url_name="plans_list")
def create_plan(request, payload: PlanCreateIn):
    studio = get_object_for_user(request, Studio, payload.studio_id, action="record")
    plan = services.create_plan(
        studio, by=request.auth, kind=payload.kind, year=payload.year, term_years=payload.term_years
    )
    return Status(201, _plan(request, plan.pk))


@router.patch(
    "/{int:pk}", response=PlanDetailOut, summary="修改草稿或退回的方案（已批准的方案已锁定）", url_name="plans_detail"
)
def patch_plan(request, pk: Id, payload: PlanPatch):
    plan = _plan(request, pk, action="change")
    data = {k: v for k, v in payload.dict(include={"goals", "expected_outputs", "term_years"}).items() if v is not None}
    targets = {t.indicator_id: t.target for t in payload.targets} if payload.targets is not None else None
    tasks = [t.dict() for t in payload.tasks] if payload.tasks is not None else None
    services.update_plan(plan, by=request.auth, data=data, targets=targets, tasks=tasks)
    return _plan(request, pk)


@router.post(
    "/{int:pk}/transitions",
    response=PlanDetailOut,
    summary="提交、审核通过或退回（审核须填写意见）",
    url_name="plans_transition",
)
def post_transition(request, pk: Id, payload: TransitionIn):
    plan = _plan(request, pk)
    if payload.to == PlanStatus.SUPERSEDED:
        raise PermissionDenied("原版本在新版本批准时自动标记为已取代。")
    services.move(plan, payload.to, by=request.auth, note=payload.note)
    return _plan(request, pk)


@router.post(
    "/{int:pk}/versions",
    response={201: PlanDetailOut},
    summary="变更已批准的方案：创建新版本（须说明原因）",
    url_name="plans_new_version",
)
def post_version(request, pk: Id, payload: VersionIn):
    plan = _plan(request, pk, action="change")
    copy = services.new_version(plan, by=request.auth, reason=payload.reason)
    return Status(201, _plan(request, copy.pk))


@router.get("/{int:pk}/diff", response=DiffOut, summary="与所取代版本相比的变化", url_name="plans_diff")
def get_diff(request, pk: Id):
    plan = _plan(request, pk)
    if not plan.supersedes_id:
        return {"fields": [], "targets": [], "tasks_added": [], "tasks_removed": []}
    old = _plan(request, plan.supersedes_id)
    change = services.diff(old, plan)
    return change


@router.get(
    "/{int:pk}/pdf",
    summary="方案文本（PDF：建设目标、任务、预期成果与各指标目标）",
    url_name="plans_pdf",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def get_plan_pdf(request, pk: Id):
    plan = _plan(request, pk, action="download")
    return serve_bytes(*documents.plan_pdf(plan))


class CellOut(Schema):
    key: str
    name: str
    unit: str
    weight: Decimal
    target: Decimal
    target_source: str
    enabled: bool
    confirmed: Decimal | None = Field(None, description="已确认且佐证齐全的完成数；尚未启用时为 null")
    waiting: Decimal | None = Field(None, description="已提交待系部确认的数（不计入完成）")
    score: Decimal | None


class StudioActualOut(Schema):
    studio_id: int
    studio_name: str
    year: int
    indicators: list[CellOut]
    total: Decimal | None


def _cells(cells):
    return [
        {
            "key": c.indicator.key,
            "name": c.indicator.name,
            "unit": c.indicator.unit,
            "weight": c.indicator.weight,
            "target": c.target,
            "target_source": c.target_source,
            "enabled": c.enabled,
            "confirmed": c.confirmed,
            "waiting": c.waiting,
            "score": c.score,
        }
        for c in cells
    ]


@router.get(
    "/actual/studios/{int:pk}",
    response=StudioActualOut,
    summary="一个工作室的年度目标与完成",
    url_name="plans_actual_studio",
)
def studio_actual(request, pk: Id, year: int | None = Query(None, ge=2000, le=2100, description="年度，缺省为本年")):
    studio = get_object_for_user(request, Studio, pk)
    if not may_see_studio_plans(request.auth, studio):
        raise PermissionDenied("您没有权限查看该工作室的目标完成情况。")
    year = year or timezone.localdate().year
    _indicators, cells = actuals.table([studio.pk], year)
    rows = cells.get(studio.pk, [])
    return {
        "studio_id": studio.pk,
        "studio_name": studio.official_name,
        "year": year,
        "indicators": _cells(rows),
        "total": actuals.total_score(rows),
    }


@router.get(
    "/actual",
    response=list[StudioActualOut],
    summary="全校或一个系部的年度目标与完成（按工作室分页）",
    url_name="plans_actual",
)
@paginate(BoundedPagination)
def school_actual(
    request,
    year: int | None = Query(None, ge=2000, le=2100, description="年度，缺省为本年"),
    department_id: Id | None = None,
):
    user = request.auth
    if not sees_all_plans(user) and not headed_department_ids(user):
        raise PermissionDenied("目标完成情况仅供系部主任、教学工作部、发展改革研究室、纪检办、校领导和管理员查看。")
    qs = Studio.objects.order_by("department_id", "official_name", "pk")
    if not sees_all_plans(user):
        qs = qs.filter(department_id__in=headed_department_ids(user))
    if department_id is not None:
        get_object_for_user(request, Department, department_id)
        qs = qs.filter(department_id=department_id)
    return _ActualRows(qs, year or timezone.localdate().year)


class _ActualRows:
    """A lazy list for the paginator: the page's studios are sliced in SQL, then ONE registry call for them all."""

    def __init__(self, queryset, year):
        self.queryset, self.year = queryset, year

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        studios = list(self.queryset[item])
        _indicators, cells = actuals.table([s.pk for s in studios], self.year)
        return [
            {
                "studio_id": s.pk,
                "studio_name": s.official_name,
                "year": self.year,
                "indicators": _cells(cells.get(s.pk, [])),
                "total": actuals.total_score(cells.get(s.pk, [])),
            }
            for s in studios
        ]
