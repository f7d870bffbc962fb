"""Uploads: type checked by content (not only by extension), size limit, safe stored names, protected downloads.

Every FileField of the platform uses `upload_to=protected_upload_to("<folder>")` and `validators=[validate_upload]`,
and files are served only by views that check permission on the owning record and then call `serve_file()`.
MEDIA_ROOT is never exposed at a URL.
"""

import io
import os
import re
import uuid
import zipfile
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.deconstruct import deconstructible

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Zip-based Office files: refuse archives whose content would expand past this (zip bombs).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100


def _sniff(head: bytes):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex")
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex", b"ms-word.template", b"ms-excel.template")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(rb"""(\w+)\s*=\s*["']([^"']*)["']""")


def _refuse_active_content(fileobj, names):
    """Refuse macro-enabled Office content (.docm/.xlsm parts, vbaProject.bin, ActiveX) and parts that load something
    from outside the file when opened (an attachedTemplate or any relationship with TargetMode="External" other than
    a plain hyperlink: a remote template can carry macros or leak the reader's address). Office never uses a DTD, so
    a part with one is refused too."""
    lowered = [n.lower() for n in names]
    if any(part in n for n in lowered for part in MACRO_PARTS):
        raise ValidationError(
            "文件包含宏或 ActiveX 控件，已拒绝。请另存为不含宏的 .docx / .xlsx 后上传。", code="macro"
        )
    with zipfile.ZipFile(fileobj) as archive:
        content_types = archive.read("[Content_Types].xml").lower()
        if any(kind in content_types for kind in MACRO_CONTENT_TYPES):
            raise ValidationError(
                "文件是启用宏的文档或模板（如 .docm），已拒绝。请另存为普通 .docx / .xlsx 后上传。", code="macro"
            )
        for name in names:
            if not name.lower().endswith((".rels", ".xml")):
                continue
            data = archive.read(name)
            if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
                raise ValidationError("文件内容异常（包含 DTD 声明），已拒绝。", code="dtd")
            if not name.lower().endswith(".rels"):
                continue
            for match in RELATIONSHIP.finditer(data):
                attributes = {k.lower(): v for k, v in ATTRIBUTE.findall(match.group(1))}
                external = attributes.get(b"targetmode", b"").lower() == b"external"
                kind = attributes.get(b"type", b"").rsplit(b"/", 1)[-1].lower()
                if (external and kind != b"hyperlink") or kind == b"attachedtemplate":
                    raise ValidationError(
                        "文件引用了外部模板或外部内容（打开时会从网络加载），已拒绝。请去除外部链接的模板后上传。",
                        code="external",
                    )
    fileobj.seek(0)


def _office_kind(fileobj):
    """'docx' / 'xlsx' for a well-formed, not-too-expanding Office zip; else raise ValidationError."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
                    raise ValidationError("压缩文件内容异常（压缩比过高），已拒绝。", code="zip_bomb")
                if ".." in PurePath(info.filename).parts or info.filename.startswith("/"):
                    raise ValidationError("压缩文件包含非法路径，已拒绝。", code="zip_path")
            if total > MAX_UNCOMPRESSED:
                raise ValidationError("压缩文件解压后过大，已拒绝。", code="zip_bomb")
    except zipfile.BadZipFile:
        raise ValidationError("文件已损坏，无法识别。", code="bad_zip") from None
    if "[Content_Types].xml" not in names:
        return None
    _refuse_active_content(fileobj, names)
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def detect_kind(fileobj):
    """The real type of an uploaded file from its bytes: pdf/jpg/png/docx/xlsx, else None."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    kind = _sniff(head)
    if kind == "zip":
        data = fileobj.read()
        fileobj.seek(0)
        kind = _office_kind(io.BytesIO(data))
    fileobj.seek(position)
    return kind


@deconstructible
class UploadValidator:
    """Refuse empty, oversized, unknown-type and disguised files (e.g. an .exe renamed .pdf)."""

    def __init__(self, allowed=tuple(ALLOWED)):
        self.allowed = tuple(allowed)

    def __call__(self, value):
        fileobj = getattr(value, "file", value)
        name = os.path.basename(getattr(value, "name", "") or "")
        size = getattr(value, "size", None)
        if size is None:
            fileobj.seek(0, os.SEEK_END)
            size = fileobj.tell()
            fileobj.seek(0)
        if size == 0:
            raise ValidationError("文件为空，请重新选择。", code="empty")
        if size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"文件过大（{size / 1048576:.1f} MB），上限为 {settings.UPLOAD_MAX_BYTES // 1048576} MB。",
                code="too_big",
            )
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed_names = "、".join(sorted({e.upper() for e in self.allowed if e != "jpeg"}))
        if ext not in self.allowed:
            raise ValidationError(f"不支持的文件类型「.{ext or '?'}」，仅支持 {allowed_names}。", code="extension")
        kind = detect_kind(fileobj)
        if kind is None or (kind != ext and {kind, ext} != {"jpg", "jpeg"}):
            raise ValidationError(
                f"文件内容与扩展名「.{ext}」不符（可能是伪装的文件），已拒绝。仅支持 {allowed_names}。", code="content"
            )

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.allowed == other.allowed


validate_upload = UploadValidator()


@deconstructible
class ProtectedUploadTo:
    """Stored name: <folder>/<yyyy>/<uuid>.<ext>. The user's file name is kept only as data, never as a path."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        from django.utils import timezone

        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        ext = ext if ext in ALLOWED else "bin"
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, ProtectedUploadTo) and self.folder == other.folder


def protected_upload_to(folder):
    return ProtectedUploadTo(folder)


def safe_download_name(name, fallback="附件"):
    """A file name fit for Content-Disposition: no path parts, no control characters."""
    base = os.path.basename(str(name or "")).replace("\\", "_")
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*;')
    return base[:150] or fallback


def _as_attachment(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_file(fieldfile, download_name):
    """Stream a stored file as an attachment. Call only after the permission check on the owning record."""
    return _as_attachment(
        FileResponse(fieldfile.open("rb"), as_attachment=True, filename=safe_download_name(download_name))
    )


def serve_bytes(data, filename, content_type):
    """Send a generated document (PDF, docx, xlsx) as an attachment, with the same headers as stored files."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe_download_name(filename))}"
    return _as_attachment(response)
