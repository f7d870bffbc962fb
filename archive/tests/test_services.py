import hashlib
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from archive import services
from archive.models import Addendum, ArchivePackage, PackageStatus, YearArchive
from archive.package import INDEX_XLSX, MANIFEST, build_package, package_path, verify
from archive.sources import entries
from core.models import AuditEvent
from ledger import services as ledger
from ledger.models import Activity
from ledger.tests.helpers import activity_data, pdf
from plans import services as plans
from plans.indicators import compute
from plans.services import ensure_indicator_set
from studios.freeze import YearFrozen

from .helpers import day, last_year, studio_with_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_data(department, dept_head):
    return studio_with_year(department, dept_head)


def test_entries_are_computed_from_ledger_and_documents(year_data):
    studio, master, team, activity, meeting, docs = year_data
    found = list(entries(studio.pk, last_year()))
    cats = {e.category for e in found}
    assert {"activity", "meeting", "media", "annual", "rules"} <= cats
    files = [e for e in found if e.storage_name]
    assert len(files) == 3 + len(docs)  # photo, sign-in sheet, minutes + uploaded documents
    # nothing is copied: a search over titles finds the ledger record (数控 finds 数控车工)
    assert any("数控车工" in e.title for e in found if e.source == "ledger.record")


def test_checklist_names_what_is_missing_and_archiving_needs_override(year_data, teaching_affairs):
    studio, master, *_ = year_data
    missing = services.checklist(studio, last_year())
    codes = {m["code"] for m in missing}
    assert {"unconfirmed", "letter", "empty_category"} <= codes  # the meeting is a draft, no letter
    assert "no_summary" not in codes
    with pytest.raises(ValidationError):
        services.archive_year(studio, last_year(), by=teaching_affairs)
    assert not YearArchive.objects.exists()
    with pytest.raises(PermissionDenied):
        services.archive_year(studio, last_year(), by=master, override_reason="理由")
    row = services.archive_year(studio, last_year(), by=teaching_affairs, override_reason="年底前已核实，先归档")
    assert row.override_reason and row.missing
    assert AuditEvent.objects.filter(action="archive.year.overridden", object_id=str(row.pk)).exists()
    with pytest.raises(ValidationError):
        services.archive_year(studio, last_year(), by=teaching_affairs, override_reason="再次")
    assert YearArchive.objects.count() == 1


def test_archived_year_refuses_every_write(year_data, teaching_affairs, dept_head):
    studio, master, team, activity, meeting, docs = year_data
    services.archive_year(studio, last_year(), by=teaching_affairs, override_reason="放行")
    member = team[0]
    with pytest.raises(YearFrozen):
        ledger.update_record(meeting, by=member, data={"title": "改标题"})
    with pytest.raises(YearFrozen):
        ledger.add_attachment(meeting, by=member, kind="minutes", upload=pdf())
    with pytest.raises(YearFrozen):
        ledger.submit_record(meeting, by=member)
    with pytest.raises(YearFrozen):
        ledger.create_record(Activity, studio=studio, by=member, data=activity_data(date=day(7, 7)))
    with pytest.raises(YearFrozen):
        ledger.spot_check(activity, by=teaching_affairs, note="抽查")
    with pytest.raises(YearFrozen):
        ledger.update_record(
            ledger.create_record(Activity, studio=studio, by=member, data=activity_data()),
            by=member,
            data={"date": day(8, 8)},
        )  # moving a record of this year into the archived year is refused too
    with pytest.raises(YearFrozen):
        services.upload_document(
            studio, by=master, year=last_year(), category="rules", title="新制度", date=day(), upload=pdf()
        )
    ensure_indicator_set(last_year())
    with pytest.raises(YearFrozen):
        plans.create_plan(studio, by=master, kind="annual", year=last_year())
    meeting.refresh_from_db()
    assert meeting.title == "三月例会" and meeting.attachments.count() == 1
    # this year stays open
    ledger.create_record(Activity, studio=studio, by=member, data=activity_data())


def test_addendum_only_for_archived_year_and_audited(year_data, teaching_affairs, outsider):
    studio, master, team, activity, meeting, docs = year_data
    with pytest.raises(ValidationError):
        services.add_addendum("ledger.activity", activity.pk, by=master, reason="更正", text="参与人次应为 32")
    services.archive_year(studio, last_year(), by=teaching_affairs, override_reason="放行")
    with pytest.raises(PermissionDenied):
        services.add_addendum("ledger.activity", activity.pk, by=outsider, reason="更正", text="x")
    with pytest.raises(ValidationError):
        services.add_addendum("accounts.user", master.pk, by=master, reason="更正", text="x")
    with pytest.raises(ValidationError):
        services.add_addendum("ledger.activity", activity.pk, by=master, reason="", text="x")
    row = services.add_addendum("ledger.activity", activity.pk, by=master, reason="更正", text="参与人次应为 32")
    assert row.year == last_year() and row.object_title == activity.title
    event = AuditEvent.objects.get(action="archive.addendum.added", object_id=str(row.pk))
    assert event.after["text"] == "参与人次应为 32"
    activity.refresh_from_db()
    assert activity.participants == 30  # the original is unchanged
    assert Addendum.objects.count() == 1


def test_upload_checks_content_and_year(year_data):
    studio, master, *_ = year_data
    exe = SimpleUploadedFile("制度.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.upload_document(
            studio, by=master, year=last_year(), category="rules", title="t", date=day(), upload=exe
        )
    assert "file" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.upload_document(
            studio,
            by=master,
            year=last_year(),
            category="rules",
            title="t",
            date=day(year=last_year() - 1),
            upload=pdf(),
        )
    with pytest.raises(ValidationError):
        services.upload_document(
            studio, by=master, year=last_year(), category="bogus", title="t", date=day(), upload=pdf()
        )
    doc = services.upload_document(
        studio,
        by=master,
        year=last_year(),
        category="media",
        title="技能展示视频",
        date=day(),
        media_location="学校资源库 /video/2025/01.mp4",
        media_duration="12分钟",
    )
    assert not doc.file and doc.media_location


def test_package_holds_every_file_with_checksums_and_verify_names_altered(year_data, teaching_affairs, tmp_path):
    studio, master, *_ = year_data
    services.archive_year(studio, last_year(), by=teaching_affairs, override_reason="放行")
    package = services.start_package(studio, last_year(), by=teaching_affairs, run=False)
    assert AuditEvent.objects.filter(action="archive.package.started").exists()
    package = build_package(package.pk)
    assert package.status == PackageStatus.DONE, package.error
    path = package_path(package)
    files = [e for e in entries(studio.pk, last_year()) if e.storage_name]
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = zf.read(MANIFEST).decode().splitlines()
        book = load_workbook(BytesIO(zf.read(INDEX_XLSX)))
        assert "档案目录.pdf" in names
        for e in files:
            with e.file.open("rb") as fh:
                sha = hashlib.sha256(fh.read()).hexdigest()
            assert any(line.startswith(sha) for line in manifest), e.title
    listed = list(book.active.iter_rows(min_row=3, values_only=True))
    assert len(listed) == len(manifest) >= len(files) + 1  # + the generated 建设记录台账
    assert all(len(r[6]) == 64 for r in listed)
    assert verify(path) == []
    call_command("verify_archive", str(path))
    # alter one file inside the zip: verify names it and the command exits non-zero
    altered = tmp_path / "altered.zip"
    victim = manifest[0].split("  ", 1)[1]
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(altered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data + b"tampered" if info.filename == victim else data)
    problems = verify(altered)
    assert problems == [f"文件内容与校验值不符：{victim}"]
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_archive", str(altered))
    assert exit_info.value.code != 0


def test_archive_year_command_archives_and_packages(year_data, teaching_affairs):
    studio, *_ = year_data
    call_command("archive_year", "--year", str(last_year()), "--studio", str(studio.pk), "--override", "年底统一归档")
    assert YearArchive.objects.filter(studio=studio, year=last_year()).exists()
    package = ArchivePackage.objects.get(studio=studio, year=last_year())
    assert package.status == PackageStatus.DONE


def test_indicator_archive_complete_in_one_statement(year_data, department, dept_head, django_assert_num_queries):
    studio, *_ = year_data
    other, *_ = studio_with_year(department, dept_head, files=0)
    with django_assert_num_queries(1):
        values = compute(["archive_complete"], [studio.pk, other.pk], last_year())["archive_complete"]
    # studio: rules + annual documents, confirmed activity (活动记录) with a photo (影像资料) → 4 of 9 = 44 %;
    # the draft meeting does not count (and is not submitted, so it waits for nothing either)
    assert values[studio.pk] == (44, 0)
    assert values[other.pk] == (22, 0)  # activity + photo only
    meeting = studio.meeting_records.get()
    ledger.submit_record(meeting, by=studio.master)
    values = compute(["archive_complete"], [studio.pk], last_year())["archive_complete"]
    assert values[studio.pk] == (44, 11)  # 例会 submitted: 会议记录 would add one category
