"""Pages of the archive. Each view checks permission through archive.permissions (ArchivePolicy, via
accounts.permissions.can), parses its input, calls ONE service of archive.services and renders or redirects; a
refusal is shown in Chinese and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.permissions import can, get_object_for_user, visible_to
from core.lists import ChoiceFilter, Column, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes, serve_file
from reports.xlsx import XLSX, workbook_bytes

from . import services
from .categories import R15_CATEGORIES, Category, label
from .forms import AddendumForm, ArchiveAllForm, ArchiveForm, StudioYearForm, UploadForm
from .models import Addendum, ArchiveDocument, ArchivePackage, PackageStatus, YearArchive
from .package import PackageFile, package_path
from .permissions import StudioYear, may_archive, visible_studios
from .sources import entries

SEARCH_MAX = 50


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, getattr(exc, "message", None) or str(exc))


def _studio_year(request, studio_pk, year, action="view"):
    if not 2000 <= int(year) <= 2100:
        raise Http404
    studio = get_object_or_404(visible_studios(request.user).select_related("department", "master"), pk=studio_pk)
    target = StudioYear(studio, int(year))
    if not can(request.user, action, target):
        raise PermissionDenied("您没有权限办理该工作室的档案。")
    return target


# --- the list of uploaded documents (search across studios and years) ----------------------------------------------


class DocumentFilter(ListFilterSet):
    q = SearchFilter("title", "description", "studio__official_name", label="搜索标题或说明")
    year = ChoiceFilter(
        choices=[(y, f"{y}年") for y in range(timezone.localdate().year, 2014, -1)],
        empty_label="全部年度",
        label="年度",
    )
    category = ChoiceFilter(choices=Category.choices, empty_label="全部类别", label="类别")


class DocumentListPage(ListPage):
    """Documents uploaded into the archives the person may see; a form leads to a studio-year's whole archive."""

    template_name = "archive/index.html"
    filterset_class = DocumentFilter
    list_url_name = "archive:index"
    export_title = "档案文件"
    columns = (
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
        Column("year", "年度", ("year",), "year"),
        Column("category", "类别", ("category",), "get_category_display"),
        Column("title", "标题", ("title",), "title"),
        Column("date", "日期", ("date",), "date"),
        Column("uploaded_by", "上传人", (), "uploaded_by.display_name"),
    )
    default_sort = "-date"

    def get_queryset(self):
        return visible_to(self.request.user, ArchiveDocument).select_related("studio", "uploaded_by")

    def extra_context(self):
        form = StudioYearForm(initial={"year": timezone.localdate().year - 1})
        form.fields["studio"].choices = list(
            visible_studios(self.request.user).order_by("official_name").values_list("pk", "official_name")[:500]
        )
        return {
            "picker": form,
            "archive_all_form": ArchiveAllForm(initial={"year": timezone.localdate().year - 1}),
            "may_archive": may_archive(self.request.user),
        }


index = DocumentListPage.as_view()
index_export = DocumentListPage.as_view(export=True)


@login_required
def pick(request):
    form = StudioYearForm(request.GET)
    form.fields["studio"].choices = list(visible_studios(request.user).values_list("pk", "official_name"))
    if not form.is_valid():
        messages.error(request, "请选择工作室和年度。")
        return redirect("archive:index")
    return redirect("archive:studio_year", studio_pk=form.cleaned_data["studio"], year=form.cleaned_data["year"])


# --- one studio-year -------------------------------------------------------------------------------------------------


def _sorted(rows):
    order = {code: n for n, code in enumerate(Category.values)}
    return sorted(rows, key=lambda e: (order.get(e.category, 99), e.date))


def _entries(target, request):
    """(every entry of the studio-year, the entries the filters keep, category, q): one read of every source, and
    with a search a second one that reads only the hits (each source searches in SQL, archive.sources)."""
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    q = request.GET.get("q", "").strip()[:SEARCH_MAX]
    everything = _sorted(entries(target.studio.pk, target.year))
    if q:
        rows = _sorted(entries(target.studio.pk, target.year, category=category or None, q=q))
    else:
        rows = [e for e in everything if not category or e.category == category]
    return everything, rows, category, q


@login_required
def studio_year(request, studio_pk, year):
    target = _studio_year(request, studio_pk, year)
    studio, year = target.studio, target.year
    everything, rows, category, q = _entries(target, request)
    archived = YearArchive.objects.filter(studio=studio, year=year).select_related("archived_by").first()
    user = request.user
    present = {e.category for e in everything}
    context = {
        "studio": studio,
        "year": year,
        "rows": rows,
        "category": category,
        "q": q,
        "categories": Category.choices,
        "coverage": [(code, label(code), code in present) for code in R15_CATEGORIES],
        "archived": archived,
        "checklist": None if archived else services.checklist(studio, year, present=present),
        "may_upload": not archived and can(user, "upload", target),
        "may_archive": not archived and can(user, "archive", target),
        "may_package": can(user, "package", target),
        "upload_form": UploadForm(initial={"date": timezone.localdate()}),
        "archive_form": ArchiveForm(),
        "packages": list(ArchivePackage.objects.filter(studio=studio, year=year).order_by("-created_at")[:5]),
        "addenda": list(Addendum.objects.filter(studio=studio, year=year).select_related("created_by")),
    }
    return render(request, "archive/studio_year.html", context)


@login_required
def studio_year_export(request, studio_pk, year):
    target = _studio_year(request, studio_pk, year, action="export")
    _, rows, _, _ = _entries(target, request)
    header = ["类别", "日期", "标题", "说明", "有文件"]
    data = [
        [label(e.category), e.date.isoformat(), e.title, e.description, "是" if e.storage_name else "否"] for e in rows
    ]
    title = f"{target.studio.official_name}{target.year}年度档案（共 {len(data)} 项）"
    return serve_bytes(workbook_bytes(title, header, data, sheet_name="档案"), f"档案-{target.year}.xlsx", XLSX)


@login_required
@require_POST
def upload(request, studio_pk, year):
    target = _studio_year(request, studio_pk, year, action="upload")
    form = UploadForm(request.POST, request.FILES)
    url = reverse("archive:studio_year", args=[target.studio.pk, target.year])
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{e}" for k, es in form.errors.items() for e in es))
        return redirect(url)
    data = form.cleaned_data
    try:
        services.upload_document(
            target.studio,
            by=request.user,
            year=target.year,
            category=data["category"],
            title=data["title"],
            date=data["date"],
            description=data["description"],
            upload=data["file"],
            media_location=data["media_location"],
            media_duration=data["media_duration"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(url)
    messages.success(request, "已存入档案。")
    return redirect(url)


@login_required
@require_POST
def archive(request, studio_pk, year):
    target = _studio_year(request, studio_pk, year, action="archive")
    form = ArchiveForm(request.POST)
    url = reverse("archive:studio_year", args=[target.studio.pk, target.year])
    if not form.is_valid():
        messages.error(request, "放行理由过长。")
        return redirect(url)
    try:
        services.archive_year(
            target.studio, target.year, by=request.user, override_reason=form.cleaned_data["override_reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(url)
    messages.success(request, f"{target.year}年度档案已归档，该年度的记录与文件不再能修改。")
    return redirect(url)


@login_required
@require_POST
def archive_all(request):
    if not may_archive(request.user):
        raise PermissionDenied("只有教学工作部可以办理年度归档。")
    form = ArchiveAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的年度。")
        return redirect("archive:index")
    try:
        archived, refused = services.archive_all(
            form.cleaned_data["year"], by=request.user, override_reason=form.cleaned_data["override_reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect("archive:index")
    messages.success(request, f"已归档 {len(archived)} 个工作室。")
    for name, reason in refused[:20]:
        messages.warning(request, f"{name}：{reason}")
    return redirect("archive:index")


# --- documents and addenda -------------------------------------------------------------------------------------------


@login_required
def document(request, pk):
    doc = get_object_for_user(request, ArchiveDocument.objects.select_related("studio", "uploaded_by"), pk)
    target = StudioYear(doc.studio, doc.year)
    archived = services.is_archived(doc.studio_id, doc.year)
    return render(
        request,
        "archive/document.html",
        {
            "doc": doc,
            "archived": archived,
            "addenda": services.addenda_for("archive.archivedocument", doc.pk),
            "addendum_form": AddendumForm(initial={"object_type": "archive.archivedocument", "object_id": doc.pk}),
            "may_addendum": archived and can(request.user, "addendum", target),
        },
    )


@login_required
def document_file(request, pk):
    doc = get_object_for_user(request, ArchiveDocument.objects.select_related("studio"), pk, action="download")
    if not doc.file:
        raise Http404
    return serve_file(doc.file, doc.original_name or doc.title)


@login_required
@require_POST
def addendum(request):
    form = AddendumForm(request.POST)
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = reverse("archive:index")
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{e}" for k, es in form.errors.items() for e in es))
        return redirect(back)
    data = form.cleaned_data
    try:
        _obj, studio_id, year, _title = services.resolve_target(data["object_type"], data["object_id"])
    except ValidationError as exc:
        _refused(request, exc)
        return redirect(back)
    _studio_year(request, studio_id, year, action="addendum")  # 404 / 403 before anything is written
    try:
        services.add_addendum(
            data["object_type"], data["object_id"], by=request.user, reason=data["reason"], text=data["text"]
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(back)
    messages.success(request, "补充说明已添加。")
    return redirect(back)


# --- packages --------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def package_start(request, studio_pk, year):
    target = _studio_year(request, studio_pk, year, action="package")
    url = reverse("archive:studio_year", args=[target.studio.pk, target.year])
    try:
        services.start_package(target.studio, target.year, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(url)
    messages.success(request, "档案包已开始生成，完成后可在本页下载。")
    return redirect(url)


def _package(request, pk, action="view"):
    package = get_object_or_404(ArchivePackage.objects.select_related("studio"), pk=pk)
    _studio_year(request, package.studio_id, package.year, action=action)
    return package


@login_required
def package_status(request, pk):
    """The package's progress (htmx polls this fragment every 2 s until the package is done or failed)."""
    package = _package(request, pk)
    # The fragment has no script; its CSP header still carries this request's nonce like every HTML response
    # (tests/security/test_headers_and_errors.py), so a policy never differs between a page and its fragments.
    if (nonce := get_nonce(request)) is not None:
        str(nonce)
    return render(request, "archive/_package.html", {"p": package})


@login_required
def package_download(request, pk):
    package = _package(request, pk, action="download")
    if not can(request.user, "package", StudioYear(package.studio, package.year)):
        raise PermissionDenied("只有教学工作部或本工作室的技能大师可以下载档案包。")
    if package.status != PackageStatus.DONE:
        raise Http404
    path = package_path(package)
    if not path.exists():
        raise Http404

    return serve_file(PackageFile(path), f"{package.studio.official_name}-{package.year}年度档案包.zip")
