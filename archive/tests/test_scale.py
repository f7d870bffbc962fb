"""Constant statements whatever the data size, and a studio-year of 1,000 records and 200 files archived and packaged
by the background task (run synchronously here: the test settings' ImmediateBackend) with the page showing progress
and then the download link."""

import datetime as dt
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveDocument, ArchivePackage, PackageStatus
from archive.package import MANIFEST, package_path, verify
from ledger.models import Activity, Attachment, Meeting

from .helpers import PDF, last_year, studio_with_year

pytestmark = pytest.mark.django_db


def _seed(studio, user, records, files, start=0):
    year = last_year()
    activities = Activity.objects.bulk_create(
        Activity(
            studio=studio,
            date=dt.date(year, 1 + (i % 12), 1 + (i % 28)),
            title=f"批量活动{i}",
            kind="exchange",
            status="confirmed",
            created_by=user,
        )
        for i in range(start, start + records)
    )
    Attachment.objects.bulk_create(
        Attachment(
            activity=activities[i % len(activities)],
            kind="sign_in",
            file=default_storage.save(f"ledger/scale/{start}-{i}.pdf", ContentFile(PDF + str(i).encode())),
            original_name=f"签到表{i}.pdf",
            size=len(PDF),
            uploaded_by=user,
        )
        for i in range(files)
    )
    ArchiveDocument.objects.bulk_create(
        ArchiveDocument(
            studio=studio, year=year, category="rules", title=f"制度{start}-{i}", date=dt.date(year, 2, 1),
            media_location="资料室", uploaded_by=user,
        )
        for i in range(max(1, records // 10))
    )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_pages_read_constant_statements(login, department, dept_head, teaching_affairs):
    studio, master, *_ = studio_with_year(department, dept_head)
    client = login(teaching_affairs)
    year_url = reverse("archive:studio_year", args=[studio.pk, last_year()])
    index_url = reverse("archive:index") + "?page_size=50"
    client.get(year_url)
    small_year, _ = _count(client, year_url)
    small_index, _ = _count(client, index_url)
    _seed(studio, master, 60, 30)
    large_year, response = _count(client, year_url)
    assert "批量活动59" in response.text
    large_index, response = _count(client, index_url)
    assert response.text.count('data-testid="list-row"') == 8  # 2 uploaded + 6 seeded documents
    assert small_year == large_year, (small_year, large_year)
    assert small_index == large_index, (small_index, large_index)
    with CaptureQueriesContext(connection) as small_api:
        client.get(f"/api/v1/archive/studios/{studio.pk}/{last_year()}/items")
    _seed(studio, master, 40, 10, start=100)
    with CaptureQueriesContext(connection) as large_api:
        assert client.get(f"/api/v1/archive/studios/{studio.pk}/{last_year()}/items?limit=100").status_code == 200
    assert len(small_api) == len(large_api)


def test_thousand_records_two_hundred_files_archived_in_the_background(
    login, department, dept_head, teaching_affairs, django_capture_on_commit_callbacks
):
    studio, master, *_ = studio_with_year(department, dept_head, files=1)
    _seed(studio, master, 1000, 200)
    client = login(teaching_affairs)
    url = reverse("archive:studio_year", args=[studio.pk, last_year()])
    client.post(reverse("archive:archive", args=[studio.pk, last_year()]), {"override_reason": "批量测试放行"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("archive:package_start", args=[studio.pk, last_year()]))
    package = ArchivePackage.objects.get()
    page = client.get(url).text
    assert 'data-status="queued"' in page and "<progress" in page  # the page polls the progress
    for callback in callbacks:  # the task, run synchronously
        callback()
    package.refresh_from_db()
    assert package.status == PackageStatus.DONE, package.error
    files = Attachment.objects.filter(activity__studio=studio).count() + 1  # + the uploaded document
    assert package.total == package.done >= files
    fragment = client.get(reverse("archive:package_status", args=[package.pk])).text
    assert reverse("archive:package_download", args=[package.pk]) in fragment
    with zipfile.ZipFile(package_path(package)) as zf:
        manifest = zf.read(MANIFEST).decode().splitlines()
    assert len(manifest) >= files
    assert verify(package_path(package)) == []
    assert Meeting.objects.filter(studio=studio).exists()
