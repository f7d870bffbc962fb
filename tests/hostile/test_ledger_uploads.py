"""The malicious-upload corpus of test_uploads.py through the ledger's real upload paths: the record page's 上传材料,
the phone form's photos (新增活动记录 with 现场照片) and the API upload. Each bad file is refused with a Chinese reason
and leaves nothing behind: no attachment row, no record (the phone form is all or nothing), no file on disk."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ledger.models import Activity, Attachment
from ledger.tests.helpers import jpeg_with_gps, make_studio, png

from .test_uploads import MUST_REFUSE

pytestmark = pytest.mark.django_db

# the corpus plus what only an image path must refuse: a PDF or a truncated JPEG posing as a photo
PHOTO_REFUSE = [
    *MUST_REFUSE,
    ("现场.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG header with no image"),
    ("现场.png", b"%PDF-1.4\n%%EOF\n", "PDF named .png"),
]


def _files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def draft(applicant, department):
    studio, _, _ = make_studio(department, applicant)
    return Activity.objects.create(
        studio=studio,
        date=timezone.localdate() - dt.timedelta(days=2),
        title="数控交流",
        kind="exchange",
        created_by=applicant,
    )


def _messages(response):
    return " ".join(str(m) for m in response.wsgi_request._messages)


@pytest.mark.parametrize("kind", ["sign_in", "photo"])
def test_record_page_upload_refuses_the_corpus(client, applicant, draft, settings, kind):
    client.force_login(applicant)
    media = settings.MEDIA_ROOT
    wrongly_accepted = []
    for name, data, why in MUST_REFUSE + (PHOTO_REFUSE[len(MUST_REFUSE) :] if kind == "photo" else []):
        response = client.post(
            f"/ledger/activities/{draft.pk}/attachments/", {"kind": kind, "file": _upload(name, data)}, follow=True
        )
        assert response.status_code == 200, (name, response.status_code)
        if Attachment.objects.exists() or _files(media):
            wrongly_accepted.append((name, why))
            Attachment.objects.all().delete()
            continue
        assert _chinese(_messages(response)), (name, _messages(response))
    assert not wrongly_accepted, wrongly_accepted


def test_phone_form_refuses_a_bad_photo_among_good_ones_and_keeps_nothing(client, applicant, draft, settings):
    client.force_login(applicant)
    before = Activity.objects.count()
    for name, data, why in PHOTO_REFUSE:
        response = client.post(
            f"/ledger/activities/new/?studio={draft.studio_id}",
            {
                "studio": draft.studio_id,
                "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                "title": "手机填报",
                "kind": "exchange",
                "place": "school",
                "hours": "2",
                "participants": "5",
                "photos": [jpeg_with_gps(), _upload(name, data)],
                "action": "submit",
            },
        )
        assert response.status_code == 200, (why, response.status_code)  # the form again, with the reason
        assert Activity.objects.count() == before, why
        assert not Attachment.objects.exists(), why
        assert not _files(settings.MEDIA_ROOT), why
        assert _chinese(response.content.decode()), why


def test_api_upload_refuses_the_corpus(client, applicant, draft, settings):
    client.force_login(applicant)
    for name, data, why in PHOTO_REFUSE:
        response = client.post(
            f"/api/v1/ledger/activities/{draft.pk}/attachments",
            {"attachment_kind": "photo", "file": _upload(name, data)},
        )
        assert response.status_code in (400, 422), (why, response.status_code)
        assert _chinese(response.content.decode("unicode_escape", "replace")) or _chinese(response.content.decode()), (
            why
        )
        assert not Attachment.objects.exists(), why
        assert not _files(settings.MEDIA_ROOT), why


def test_legitimate_photos_still_pass_every_path(client, applicant, draft):
    client.force_login(applicant)
    client.post(f"/ledger/activities/{draft.pk}/attachments/", {"kind": "photo", "file": jpeg_with_gps()})
    client.post(f"/api/v1/ledger/activities/{draft.pk}/attachments", {"attachment_kind": "photo", "file": png()})
    assert Attachment.objects.filter(activity=draft, kind="photo").count() == 2
    assert all(a.thumbnail for a in Attachment.objects.all())
