"""The malicious-upload corpus (tests/hostile/test_uploads.py) through news' upload paths: a post's photo (page and
API) and a notice's attachment. Each bad file is refused with a Chinese reason and leaves no row and no file; an
Office or PDF file is not a photo; a photo keeps no EXIF."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledger.tests.helpers import make_studio, pdf
from news import services
from news.models import NoticeAttachment, PostPhoto
from tests.hostile.test_uploads import MUST_REFUSE

pytestmark = pytest.mark.django_db


def _files():
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(("name", "data", "why"), MUST_REFUSE, ids=[r[2] for r in MUST_REFUSE])
def test_bad_files_are_refused_as_photos_and_attachments(client, department, teaching_affairs, name, data, why):
    studio, master, _team = make_studio(department)
    post = services.create_post(studio, by=master, title="报道", body="正文")
    notice = services.create_notice(by=teaching_affairs, title="通知", body="正文")
    before = _files()
    with pytest.raises(ValidationError) as err:
        services.add_post_photo(post, by=master, upload=SimpleUploadedFile(name, data))
    assert _chinese(str(err.value))
    with pytest.raises(ValidationError) as err:
        services.add_notice_attachment(notice, by=teaching_affairs, upload=SimpleUploadedFile(name, data))
    assert _chinese(str(err.value))
    client.force_login(master)
    client.post(reverse("news:post_photo_upload", args=[post.pk]), {"file": SimpleUploadedFile(name, data)})
    response = client.post(f"/api/v1/news/posts/{post.pk}/photos", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (400, 403, 422) and _chinese(response.json()["detail"])
    assert not PostPhoto.objects.exists() and not NoticeAttachment.objects.exists()
    assert _files() == before


def test_a_pdf_is_not_a_photo(department):
    studio, master, _team = make_studio(department)
    post = services.create_post(studio, by=master, title="报道", body="正文")
    with pytest.raises(ValidationError) as err:
        services.add_post_photo(post, by=master, upload=pdf())
    assert "JPG 或 PNG" in str(err.value)
