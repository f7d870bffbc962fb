"""The malicious-upload corpus (tests/hostile/test_uploads.py) through the voucher paths: the expenditure form (all or
nothing: a bad voucher leaves no expenditure), the record page's 上传凭证 and the API upload. Each bad file is refused
with a Chinese reason and leaves no file on disk; an Office file (allowed elsewhere) is not a voucher scan."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from funds import services
from funds.models import Expenditure
from tests.hostile.test_uploads import MUST_REFUSE

from .helpers import categories, funded_studio

pytestmark = pytest.mark.django_db


def _xlsx():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


REFUSE = [*MUST_REFUSE, ("发票.xlsx", _xlsx(), "an Office file is not a voucher scan")]


def _files():
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(("name", "data", "why"), REFUSE, ids=[r[2] for r in REFUSE])
def test_bad_vouchers_are_refused_everywhere_and_leave_nothing(client, department, name, data, why):
    studio, master, _finance, _line = funded_studio(department)
    before = _files()
    data_ = {
        "date": timezone.localdate(), "amount": "1.00", "source": "school", "category": categories()["equipment"],
        "payee": "某公司", "description": "耗材",
    }  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.create_expenditure(
            by=master, studio=studio, data=data_, voucher=SimpleUploadedFile(name, data), submit=True
        )
    assert _chinese(str(exc.value)), why
    assert not Expenditure.objects.exists() and _files() == before
    draft = services.create_expenditure(by=master, studio=studio, data=data_)
    client.force_login(master)
    client.post(reverse("funds:voucher_upload", args=[draft.pk]), {"voucher": SimpleUploadedFile(name, data)})
    response = client.post(
        reverse("api:funds_voucher_upload", args=[draft.pk]), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 422 and _chinese(response.json()["detail"]), why
    draft.refresh_from_db()
    assert not draft.voucher and _files() == before
