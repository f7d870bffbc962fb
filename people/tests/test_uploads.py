"""core.uploads.validate_upload as the people app relies on it: content sniffing, empty, oversized, zip bombs."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload

from .factories import PDF_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _office(kind, payload=b"x", name=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name or ("word/document.xml" if kind == "docx" else "xl/workbook.xml"), payload)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证书.pdf", PDF_BYTES),
        ("照片.png", PNG),
        ("照片.jpg", JPG),
        ("照片.JPEG", JPG),
        ("说明.docx", _office("docx")),
        ("表.xlsx", _office("xlsx")),
    ],
)
def test_allowed_types_pass(name, content):
    validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "伪装"),  # .exe renamed .pdf
        ("证书.pdf", b"", "文件为空"),
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("无扩展名", PDF_BYTES, "不支持的文件类型"),
        ("说明.docx", _office("xlsx"), "伪装"),  # an xlsx renamed docx
        ("说明.docx", b"PK\x03\x04garbage", "损坏"),
        ("说明.docx", _office("docx", b"0" * (5 * 1024 * 1024)), "压缩比过高"),
        ("说明.docx", _office("docx", name="../evil.xml"), "非法路径"),
    ],
)
def test_refused_files(name, content, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile(name, content))
    assert fragment in exc.value.messages[0]


def test_oversized(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("大.pdf", PDF_BYTES + b"0" * (1024 * 1024)))
    assert "文件过大" in exc.value.messages[0] and "上限为 1 MB" in exc.value.messages[0]
