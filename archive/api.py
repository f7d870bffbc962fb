"""REST API of the archive, mounted at /api/v1/archive/: a studio-year's items (computed from every source, with
search and category filter), documents uploaded into the archive (list, upload), addenda, the archiving checklist,
归档 (with teaching affairs' override reason) and packages (start, status, download). Writes go through
archive.services, so permission (archive.permissions), validation (422 with a Chinese message), the freeze and the
audit are those of the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.permissions import can, get_object_for_user, visible_to
from core.apitypes import Code, Id, model_text
from core.pagination import BoundedPagination
from core.uploads import serve_file

from . import services
from .categories import label
from .models import Addendum, ArchiveDocument, ArchivePackage, PackageStatus, YearArchive
from .package import PackageFile, package_path
from .permissions import StudioYear, may_archive, visible_studios
from .sources import entries

router = Router(tags=["archive"])
Year = int


class ItemOut(Schema):
    source: str
    key: str
    category: str
    category_label: str
    date: dt.date
    title: str
    description: str
    url: str
    has_file: bool


class DocumentOut(Schema):
    id: int
    studio_id: int
    year: int
    category: str
    title: str
    description: str
    date: dt.date
    original_name: str
    size: int
    sha256: str
    media_location: str
    media_duration: str
    file_url: str | None

    @staticmethod
    def resolve_file_url(obj):
        return reverse("archive:document_file", args=[obj.pk]) if obj.file else None


class ChecklistOut(Schema):
    studio_id: int
    year: int
    archived: bool
    missing: list[dict]


class ArchiveIn(Schema):
    override_reason: model_text(YearArchive, "override_reason") = ""


class ArchiveOut(Schema):
    id: int
    studio_id: int
    year: int
    archived_at: dt.datetime
    override_reason: str
    missing: list


class AddendumIn(Schema):
    object_type: model_text(Addendum, "object_type", min_length=1)
    object_id: Id
    reason: model_text(Addendum, "reason", min_length=1)
    text: model_text(Addendum, "text", min_length=1)


class AddendumOut(Schema):
    id: int
    studio_id: int
    year: int
    object_type: str
    object_id: int
    object_title: str
    reason: str
    text: str
    created_at: dt.datetime


class PackageOut(Schema):
    id: int
    studio_id: int
    year: int
    status: str
    done: int
    total: int
    size: int
    sha256: str
    error: str
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj):
        return reverse("api:archive_package_download", args=[obj.pk]) if obj.status == PackageStatus.DONE else None


def _target(request, studio_id, year, action="view"):
    if not 2000 <= year <= 2100:
        raise Http404
    studio = get_object_or_404(visible_studios(request.auth), pk=studio_id)
    target = StudioYear(studio, year)
    if not can(request.auth, action, target):
        raise PermissionDenied("您没有权限办理该工作室的档案。")
    return target


@router.get(
    "/studios/{int:studio_id}/{int:year}/items",
    url_name="archive_items",
    response=list[ItemOut],
    summary="某工作室某年度的全部档案（自动归集与上传），可按类别筛选、按标题/说明搜索",
)
@paginate(BoundedPagination)
def list_items(
    request,
    studio_id: Id,
    year: Year,
    category: Code | None = None,
    q: model_text(ArchiveDocument, "title") | None = None,
):
    target = _target(request, studio_id, year)
    rows = []
    for e in entries(target.studio.pk, target.year, category=category or None, q=q or None):
        rows.append(
            {
                "source": e.source,
                "key": e.key,
                "category": e.category,
                "category_label": label(e.category),
                "date": e.date,
                "title": e.title,
                "description": e.description,
                "url": e.url,
                "has_file": bool(e.storage_name),
            }
        )
    return rows


@router.get("/documents", url_name="archive_documents", response=list[DocumentOut], summary="上传的档案文件（可搜索）")
@paginate(BoundedPagination)
def list_documents(
    request,
    studio_id: Id | None = None,
    year: Year | None = None,
    category: Code | None = None,
    q: model_text(ArchiveDocument, "title") | None = None,
):
    rows = visible_to(request.auth, ArchiveDocument).order_by("-date", "-id")
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    if year:
        rows = rows.filter(year=year)
    if category:
        rows = rows.filter(category=category)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return rows


@router.post(
    "/studios/{int:studio_id}/{int:year}/documents",
    url_name="archive_upload",
    response={201: DocumentOut},
    summary="向档案上传文件（multipart：category、title、date、description、file 或 media_location）",
)
def upload_document(
    request,
    studio_id: Id,
    year: Year,
    category: Form[Code],
    title: Form[model_text(ArchiveDocument, "title", min_length=1)],
    date: Form[dt.date],
    description: model_text(ArchiveDocument, "description") = Form(""),  # noqa: B008 - ninja reads the default from the Form() marker
    media_location: model_text(ArchiveDocument, "media_location") = Form(""),  # noqa: B008 - ninja reads the default from the Form() marker
    media_duration: model_text(ArchiveDocument, "media_duration") = Form(""),  # noqa: B008 - ninja reads the default from the Form() marker
    file: UploadedFile | None = File(None),  # noqa: B008
):
    target = _target(request, studio_id, year)
    doc = services.upload_document(
        target.studio,
        by=request.auth,
        year=target.year,
        category=category,
        title=title,
        date=date,
        description=description,
        upload=file,
        media_location=media_location,
        media_duration=media_duration,
    )
    return Status(201, doc)


@router.get(
    "/studios/{int:studio_id}/{int:year}/checklist",
    url_name="archive_checklist",
    response=ChecklistOut,
    summary="归档前检查：缺项清单",
)
def get_checklist(request, studio_id: Id, year: Year):
    target = _target(request, studio_id, year)
    archived = services.is_archived(target.studio.pk, target.year)
    return {
        "studio_id": target.studio.pk,
        "year": target.year,
        "archived": archived,
        "missing": [] if archived else services.checklist(target.studio, target.year),
    }


@router.post(
    "/studios/{int:studio_id}/{int:year}/archive",
    url_name="archive_archive",
    response={201: ArchiveOut},
    summary="年度归档（教学工作部；有缺项时须填写放行理由 override_reason）",
)
def archive_year(request, studio_id: Id, year: Year, payload: ArchiveIn):
    target = _target(request, studio_id, year)
    row = services.archive_year(target.studio, target.year, by=request.auth, override_reason=payload.override_reason)
    return Status(201, row)


class ArchiveAllOut(Schema):
    archived: list[int]
    refused: list[dict]


@router.post(
    "/years/{int:year}/archive",
    url_name="archive_archive_all",
    response=ArchiveAllOut,
    summary="全校批量归档某年度（教学工作部；逐个工作室办理，返回已归档与未归档的工作室）",
)
def archive_all(request, year: Year, payload: ArchiveIn):
    if not may_archive(request.auth):
        raise PermissionDenied("只有教学工作部可以办理年度归档。")
    archived, refused = services.archive_all(year, by=request.auth, override_reason=payload.override_reason)
    return {
        "archived": [row.studio_id for row in archived],
        "refused": [{"studio": n, "reason": r} for n, r in refused],
    }


@router.post(
    "/addenda", url_name="archive_addendum", response={201: AddendumOut}, summary="为已归档年度的记录添加补充说明"
)
def add_addendum(request, payload: AddendumIn):
    _obj, studio_id, year, _ = services.resolve_target(payload.object_type, payload.object_id)
    _target(request, studio_id, year)
    row = services.add_addendum(
        payload.object_type, payload.object_id, by=request.auth, reason=payload.reason, text=payload.text
    )
    return Status(201, row)


@router.get("/addenda", url_name="archive_addenda", response=list[AddendumOut], summary="补充说明列表")
@paginate(BoundedPagination)
def list_addenda(request, studio_id: Id | None = None, year: Year | None = None):
    rows = visible_to(request.auth, Addendum).order_by("-created_at", "-id")
    if studio_id:
        rows = rows.filter(studio_id=studio_id)
    if year:
        rows = rows.filter(year=year)
    return rows


@router.post(
    "/studios/{int:studio_id}/{int:year}/packages",
    url_name="archive_package_start",
    response={202: PackageOut},
    summary="生成档案包（后台任务；返回进度查询地址）",
)
def start_package(request, studio_id: Id, year: Year):
    target = _target(request, studio_id, year)
    return Status(202, services.start_package(target.studio, target.year, by=request.auth))


@router.get("/packages/{int:pk}", url_name="archive_package", response=PackageOut, summary="档案包进度")
def get_package(request, pk: Id):
    package = get_object_for_user(request, ArchivePackage.objects.select_related("studio"), pk)
    return package


@router.get("/packages/{int:pk}/download", url_name="archive_package_download", summary="下载档案包（zip）")
def download_package(request, pk: Id):
    package = get_object_for_user(request, ArchivePackage.objects.select_related("studio"), pk, action="download")
    if not can(request.auth, "package", StudioYear(package.studio, package.year)):
        raise PermissionDenied("只有教学工作部或本工作室的技能大师可以下载档案包。")
    path = package_path(package)
    if package.status != PackageStatus.DONE or not path.exists():
        raise Http404
    return serve_file(PackageFile(path), f"{package.studio.official_name}-{package.year}年度档案包.zip")
