"""Malicious uploads against core.uploads (the validator every FileField uses) and the download helper.

Adding an upload form: its FileField already uses validate_upload; add a view-level case to UPLOAD_VIEWS when it
exists so the same files go through the real form.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import ProtectedUploadTo, safe_download_name, validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
HTML = b"<html><script>alert(document.cookie)</script></html>"


def _zip(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
DOCX_BOMB = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"0" * (30 * 1024 * 1024)})
XLSX_BOMB = _zip({"[Content_Types].xml": "<Types/>", "xl/sheet1.xml": b"\x00" * (30 * 1024 * 1024)})
DOCX_TRAVERSAL = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "x", "../../etc/cron.d/evil": "x"})
DOCX_ABSOLUTE = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "x", "/etc/passwd": "x"})
PLAIN_ZIP = _zip({"readme.txt": "not an office file"})
JAR_AS_DOCX = _zip({"META-INF/MANIFEST.MF": "Main-Class: Evil", "Evil.class": "\xca\xfe"})

# (file name, bytes, why it must be refused)
MUST_REFUSE = [
    ("申报表.pdf", EXE, ".exe renamed .pdf"),
    ("photo.jpg", ELF, "ELF renamed .jpg"),
    ("证书.png", HTML, "HTML renamed .png"),
    ("scan.pdf", PNG, "PNG content with .pdf name (mismatch)"),
    ("报告.docx", PDF, "PDF content with .docx name"),
    ("报告.docx", PLAIN_ZIP, "zip that is not an Office file"),
    ("报告.docx", JAR_AS_DOCX, "Java archive renamed .docx"),
    ("报告.docx", DOCX_BOMB, "zip bomb in docx"),
    ("名单.xlsx", XLSX_BOMB, "zip bomb in xlsx"),
    ("报告.docx", DOCX_TRAVERSAL, "path traversal inside docx"),
    ("报告.docx", DOCX_ABSOLUTE, "absolute path inside docx"),
    ("名单.xlsx", DOCX, "docx content named .xlsx"),
    ("empty.pdf", b"", "0-byte file"),
    ("evil.exe", EXE, "executable extension"),
    ("evil.pdf.exe", PDF, "double extension ending .exe"),
    ("page.html", HTML, "HTML"),
    ("image.svg", b"<svg onload=alert(1)/>", "SVG with script"),
    ("noext", PDF, "no extension"),
    ("x.PDF ", PDF + b"", "trailing space extension"),
    ("truncated.docx", DOCX[:30], "truncated zip"),
    ("报告.docx", PDF + DOCX, "polyglot: a PDF with a docx appended, named .docx"),
    ("申报表.pdf", DOCX + PDF, "polyglot: a docx with a PDF appended, named .pdf"),
    ("照片.jpg", PNG + HTML, "polyglot: PNG+HTML named .jpg"),
]
MUST_ACCEPT = [
    ("申报表.pdf", PDF),
    ("证书.PNG", PNG),
    ("照片.jpeg", JPG),
    ("照片.jpg", JPG),
    ("报告.docx", DOCX),
    ("名单.xlsx", XLSX),
    ("../../../etc/passwd.pdf", PDF),  # accepted as data; the stored path ignores the name (tested below)
]


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_malicious_uploads_are_refused_with_a_chinese_reason():
    wrongly_accepted = []
    for name, data, why in MUST_REFUSE:
        try:
            validate_upload(_upload(name, data))
            wrongly_accepted.append((name, why))
        except ValidationError as exc:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(exc.messages)), exc.messages
    print(f"\n恶意上传：尝试 {len(MUST_REFUSE)} 个，错误接受 {len(wrongly_accepted)}")
    assert not wrongly_accepted, wrongly_accepted


def test_legitimate_files_pass():
    for name, data in MUST_ACCEPT:
        validate_upload(_upload(name, data))


def test_oversized_upload_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        validate_upload(_upload("big.pdf", PDF + b"0" * 2048))
    assert "过大" in exc.value.messages[0]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/path.pdf", "a\x00b.pdf", "C:\\x.pdf", "名.pdf\r\n"]
)
def test_stored_path_never_uses_the_users_file_name(name):
    path = ProtectedUploadTo("applications")(None, name)
    assert path.startswith("applications/") and ".." not in path and "\\" not in path
    assert "\x00" not in path and "\n" not in path and path.count("/") == 2


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", 'a"; filename="evil.exe', "x\r\nSet-Cookie: a=b", "con\x00.pdf", "<script>.pdf"]
)
def test_download_names_are_safe(name):
    safe = safe_download_name(name)
    assert not any(ch in safe for ch in '"\r\n\x00/\\<>'), safe


def test_serve_file_is_an_attachment_with_nosniff(tmp_path, settings):
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile

    from core.uploads import serve_file

    storage = FileSystemStorage(location=tmp_path)
    storage.save("x/a.pdf", io.BytesIO(PDF))

    class _Field:
        def __init__(self):
            self.storage = storage

    fieldfile = FieldFile(None, _Field(), "x/a.pdf")
    response = serve_file(fieldfile, '申报表"\r\n.pdf')
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
