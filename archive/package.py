"""The archive package (档案包) of one studio-year: a zip holding every file of the year from every registered source
(archive.sources), the documents generated for it (approved plans as PDF, the year's 建设记录台账) and the index
(档案目录.pdf / 档案目录.xlsx: category, date, title, path, SHA-256 of each file) plus SHA256SUMS.txt, the
machine-readable list `verify_archive` checks.

Memory stays flat whatever the size: each file is copied into the zip in 1 MiB chunks through ZipFile.open("w")
(stored, not recompressed: scans and photos are compressed already), hashed on the way; only the index rows
(a few hundred bytes per file) are kept. The zip is written to a .part file and renamed when complete.
"""

import hashlib
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from ledger.types import TYPES
from reports.pdf import font_face_css, html_to_pdf
from reports.safetext import strip_bidi_controls
from reports.xlsx import workbook_bytes
from studios.models import Studio

from .categories import label
from .models import ArchivePackage, PackageStatus, YearArchive
from .sources import entries

logger = logging.getLogger(__name__)
CHUNK = 1 << 20
INDEX_TIMEOUT_S = 300
MANIFEST = "SHA256SUMS.txt"
INDEX_PDF = "档案目录.pdf"
INDEX_XLSX = "档案目录.xlsx"
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class IndexRow:
    category: str
    date: object
    title: str
    path: str
    sha256: str
    size: int


def package_dir():
    path = Path(settings.MEDIA_ROOT) / "archive_packages"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe(text, limit=60):
    return UNSAFE.sub("_", str(text or "")).strip(" .")[:limit] or "文件"


def _copy(zf, arcname, source):
    """Stream `source` (a binary file object) into the zip under `arcname`; return (sha256, size)."""
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with zf.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _write_bytes(zf, arcname, data):
    info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)
    return hashlib.sha256(data).hexdigest(), len(data)


def ledger_sheet(studio_id, year):
    """The year's 建设记录台账 (every record, with or without files) as xlsx bytes."""
    header = ["类型", "日期", "标题", "状态", "内容简述"]
    rows = []
    for record_type in TYPES.values():
        for r in record_type.model.objects.filter(studio_id=studio_id, date__year=year).order_by("date", "pk"):
            rows.append([record_type.label, r.date.isoformat(), r.title, r.get_status_display(), r.description])
    return workbook_bytes(f"{year}年度建设记录台账", header, rows, sheet_name="建设记录台账")


# The PDF index sets each entry as pre-wrapped lines (CSS white-space: pre): WeasyPrint's line breaking over CJK text
# (every character a break opportunity) was most of the cost — 1,200 entries took ~7 s as wrapped paragraphs, ~3.5 s
# pre-set. LINE_UNITS: the widest line, in half-width units (a CJK character is 2), that fits A4 at 8.5 pt.
LINE_UNITS = 96


def _units(char):
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def wrap_units(text, width=LINE_UNITS, indent="    "):
    """`text` as lines of at most `width` half-width units; continuation lines are indented."""
    lines, line, used = [], "", 0
    for char in " ".join(str(text).split()):
        if used + _units(char) > width and line:
            lines.append(line)
            line, used = indent, len(indent)
        line += char
        used += _units(char)
    lines.append(line)
    return "\n".join(lines)


def index_entry_text(number, row):
    date = f"{row.date:%Y-%m-%d} " if row.date else ""
    return "\n".join(
        (wrap_units(f"{number}. 【{row.category}】{date}{row.title}"), wrap_units(row.path), f"SHA-256 {row.sha256}")
    )


def index_pdf_bytes(context):
    """档案目录.pdf. reports.pdf's engine with a longer time limit than an ordinary document's (DOCUMENT_TIMEOUT_S):
    the index of a large year runs to dozens of pages, and the package is built in the background anyway."""
    entries_text = [index_entry_text(n, r) for n, r in enumerate(context["rows"], 1)]
    html = render_to_string(
        "archive/documents/index.html", {**context, "entries": entries_text, "font_face_css": font_face_css()}
    )
    timeout = max(settings.DOCUMENT_TIMEOUT_S, INDEX_TIMEOUT_S)
    return html_to_pdf(strip_bidi_controls(html), str(settings.BASE_DIR), timeout=timeout)


def _progress(package, done, total, force=False):
    step = max(1, total // 50)
    if force or done % step == 0:
        ArchivePackage.objects.filter(pk=package.pk).update(done=done, total=total)


def build_package(package_id, *, index_pdf=True):
    """Build the zip of ArchivePackage `package_id`; return the package (status done or failed)."""
    package = ArchivePackage.objects.get(pk=package_id)
    ArchivePackage.objects.filter(pk=package.pk).update(status=PackageStatus.RUNNING, error="")
    studio = Studio.objects.get(pk=package.studio_id)
    year = package.year
    items = [e for e in entries(studio.pk, year) if e.storage_name or e.render]
    total = len(items) + 1
    _progress(package, 0, total, force=True)
    final = package_dir() / f"archive-{studio.pk}-{year}-{package.pk}.zip"
    partial = final.with_suffix(".zip.part")
    rows = []
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
            used = set()
            for number, entry in enumerate(items, 1):
                category = label(entry.category)
                if entry.render:
                    data, name = entry.render()
                else:
                    name = entry.storage_name
                ext = os.path.splitext(str(name))[1].lower()[:8]
                arcname = f"{_safe(category, 20)}/{number:05d}-{_safe(entry.title)}{ext}"
                while arcname in used:
                    arcname = arcname.replace("/", "/_", 1)
                used.add(arcname)
                if entry.render:
                    sha, size = _write_bytes(zf, arcname, data)
                else:
                    with default_storage.open(entry.storage_name, "rb") as source:
                        sha, size = _copy(zf, arcname, source)
                rows.append(IndexRow(category, entry.date, entry.title, arcname, sha, size))
                _progress(package, number, total)
            sheet = ledger_sheet(studio.pk, year)
            arcname = f"生成文书/{year}年度建设记录台账.xlsx"
            sha, size = _write_bytes(zf, arcname, sheet)
            rows.append(IndexRow("生成文书", None, f"{year}年度建设记录台账", arcname, sha, size))
            _write_bytes(zf, MANIFEST, "".join(f"{r.sha256}  {r.path}\n" for r in rows).encode())
            header = ["序号", "类别", "日期", "标题", "文件", "大小（字节）", "SHA-256"]
            data = [
                [i, r.category, r.date.isoformat() if r.date else "", r.title, r.path, r.size, r.sha256]
                for i, r in enumerate(rows, 1)
            ]
            title = f"{studio.official_name}{year}年度档案目录"
            _write_bytes(zf, INDEX_XLSX, workbook_bytes(title, header, data, sheet_name="档案目录"))
            if index_pdf:
                context = {
                    "studio": studio,
                    "year": year,
                    "rows": rows,
                    "generated_at": timezone.localtime(),
                    "archived": YearArchive.objects.filter(studio=studio, year=year).exists(),
                }
                _write_bytes(zf, INDEX_PDF, index_pdf_bytes(context))
        digest = hashlib.sha256()
        with open(partial, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        os.replace(partial, final)
        ArchivePackage.objects.filter(pk=package.pk).update(
            status=PackageStatus.DONE,
            done=total,
            total=total,
            path=str(final.relative_to(package_dir())),
            size=final.stat().st_size,
            sha256=digest.hexdigest(),
            finished_at=timezone.now(),
        )
    except Exception as exc:  # recorded on the row; the page shows it
        partial.unlink(missing_ok=True)
        ArchivePackage.objects.filter(pk=package.pk).update(
            status=PackageStatus.FAILED, error=f"生成失败：{type(exc).__name__}", finished_at=timezone.now()
        )
        logger.exception("archive package %s failed", package.pk)
    package.refresh_from_db()
    return package


def package_path(package):
    return package_dir() / package.path


class PackageFile:
    """A package on disk in the shape core.uploads.serve_file() expects (a FieldFile's open()); FileResponse
    streams and closes it."""

    def __init__(self, path):
        self.path = path

    def open(self, mode="rb"):
        return open(self.path, mode)  # noqa: SIM115


def verify(path):
    """Check every file listed in SHA256SUMS.txt of the zip at `path`: returns a list of Chinese problems (empty: the
    package is intact). A file whose content differs, a listed file that is missing and a file not listed are named."""
    problems = []
    with zipfile.ZipFile(path) as zf:
        try:
            manifest = zf.read(MANIFEST).decode()
        except KeyError:
            return [f"档案包中没有校验清单 {MANIFEST}。"]
        listed = {}
        for line in manifest.splitlines():
            if line.strip():
                sha, _, name = line.partition("  ")
                listed[name] = sha
        names = set(zf.namelist())
        for name, sha in listed.items():
            if name not in names:
                problems.append(f"缺少文件：{name}")
                continue
            digest = hashlib.sha256()
            with zf.open(name) as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != sha:
                problems.append(f"文件内容与校验值不符：{name}")
        for name in sorted(names - set(listed) - {MANIFEST, INDEX_PDF, INDEX_XLSX}):
            problems.append(f"清单外的文件：{name}")
    return problems
