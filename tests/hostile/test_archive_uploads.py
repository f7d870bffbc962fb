"""The malicious-upload corpus of test_uploads.py through the archive's upload paths (the studio-year page's 上传档案文件
and the API upload): each bad file is refused with a Chinese reason and leaves nothing behind — no document row, no
file on disk."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import ArchiveDocument
from ledger.tests.helpers import make_studio

from .test_uploads import MUST_REFUSE

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


def _files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def studio(applicant, department):
    return make_studio(department, applicant)[0]


def _body(name, data):
    return {
        "category": "rules",
        "title": "管理制度",
        "date": f"{YEAR}-06-01",
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
    }


def test_page_upload_refuses_the_corpus(client, applicant, studio, settings):
    client.force_login(applicant)
    wrongly_accepted = []
    for name, data, why in MUST_REFUSE:
        response = client.post(f"/archive/studio/{studio.pk}/{YEAR}/upload/", _body(name, data), follow=True)
        assert response.status_code == 200, (name, response.status_code)
        if ArchiveDocument.objects.exists() or _files(settings.MEDIA_ROOT):
            wrongly_accepted.append((name, why))
            ArchiveDocument.objects.all().delete()
            continue
        messages = " ".join(str(m) for m in response.wsgi_request._messages)
        assert _chinese(messages), (name, messages)
    assert not wrongly_accepted, wrongly_accepted


def test_api_upload_refuses_the_corpus(client, applicant, studio, settings):
    client.force_login(applicant)
    for name, data, why in MUST_REFUSE:
        response = client.post(f"/api/v1/archive/studios/{studio.pk}/{YEAR}/documents", _body(name, data))
        assert response.status_code in (400, 422), (why, response.status_code)
        assert _chinese(response.json()["detail"] if "detail" in response.json() else response.content.decode()), why
        assert not ArchiveDocument.objects.exists(), why
        assert not _files(settings.MEDIA_ROOT), why


def test_legitimate_document_passes_both_paths(client, applicant, studio):
    client.force_login(applicant)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/archive/studio/{studio.pk}/{YEAR}/upload/", _body("制度.pdf", pdf))
    response = client.post(f"/api/v1/archive/studios/{studio.pk}/{YEAR}/documents", _body("制度2.pdf", pdf))
    assert response.status_code == 201, response.content
    assert ArchiveDocument.objects.filter(studio=studio, year=YEAR).count() == 2
