import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive import services
from archive.models import Addendum, ArchiveDocument, ArchivePackage, PackageStatus, YearArchive
from archive.package import build_package
from core.models import AuditEvent
from ledger.models import Activity, Meeting

from .helpers import PDF, day, last_year, studio_with_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_data(department, dept_head):
    return studio_with_year(department, dept_head)


def _url(studio, name="archive:studio_year"):
    return reverse(name, args=[studio.pk, last_year()])


def test_studio_year_page_search_and_categories(login, year_data, teaching_affairs, outsider):
    studio, master, *_ = year_data
    client = login(master)
    page = client.get(_url(studio))
    assert page.status_code == 200
    text = page.text
    assert "数控车工技能交流" in text and "三月例会" in text and "年度工作总结" in text
    assert 'data-testid="checklist"' in text and "archive-form" not in text  # only teaching affairs archives
    found = client.get(_url(studio), {"q": "数控"})
    assert "数控车工技能交流" in found.text and "三月例会" not in found.text
    only = client.get(_url(studio), {"category": "meeting"})
    assert "三月例会" in only.text and "数控车工技能交流" not in only.text
    export = client.get(_url(studio, "archive:studio_year_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert login(outsider).get(_url(studio)).status_code == 404
    assert login(teaching_affairs).get(_url(studio)).status_code == 200


def test_upload_through_page_checks_content(login, year_data):
    studio, master, *_ = year_data
    client = login(master)
    bad = SimpleUploadedFile("制度.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    before = ArchiveDocument.objects.count()
    response = client.post(
        _url(studio, "archive:upload"),
        {"category": "rules", "title": "考勤制度", "date": day().isoformat(), "file": bad},
        follow=True,
    )
    assert ArchiveDocument.objects.count() == before and "文件" in response.text
    good = SimpleUploadedFile("制度.pdf", PDF, content_type="application/pdf")
    client.post(
        _url(studio, "archive:upload"),
        {"category": "rules", "title": "考勤制度", "date": day().isoformat(), "file": good},
    )
    doc = ArchiveDocument.objects.get(title="考勤制度")
    assert doc.sha256 and client.get(reverse("archive:document_file", args=[doc.pk])).status_code == 200


def test_archived_record_refused_in_page_api_and_admin(login, year_data, teaching_affairs, admin_user, rf):
    studio, master, team, activity, meeting, docs = year_data
    client = login(teaching_affairs)
    response = client.post(_url(studio, "archive:archive"), {"override_reason": ""}, follow=True)
    assert not YearArchive.objects.exists() and "放行理由" in response.text
    client.post(_url(studio, "archive:archive"), {"override_reason": "例会纪要年后补确认"})
    assert YearArchive.objects.filter(studio=studio, year=last_year()).exists()
    member = login(team[0])
    # page: the draft meeting of the archived year cannot be edited
    edit = member.post(
        reverse("ledger:edit", args=["meetings", meeting.pk]),
        {"date": meeting.date.isoformat(), "title": "改过的标题", "place": "school", "minutes": "x"},
    )
    assert edit.status_code == 403
    # API
    api = member.patch(
        f"/api/v1/ledger/meetings/{meeting.pk}", {"title": "改过的标题"}, content_type="application/json"
    )
    assert api.status_code == 403 and "归档" in api.json()["detail"]
    upload = member.post(
        f"/api/v1/archive/studios/{studio.pk}/{last_year()}/documents",
        {"category": "rules", "title": "t", "date": day().isoformat(), "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert upload.status_code == 403
    # admin: read-only (writes go through the services)
    request = rf.get("/")
    request.user = admin_user
    for model in (Meeting, Activity, ArchiveDocument):
        assert not site._registry[model].has_change_permission(request, meeting)
    # a POST to the change page changes nothing either (the admin's second step or the read-only admin stops it)
    login(admin_user).post(reverse("admin:ledger_meeting_change", args=[meeting.pk]), {"title": "x"})
    meeting.refresh_from_db()
    assert meeting.title == "三月例会"
    # the record page says it is frozen; an addendum is accepted, audited and shown beside it
    member = login(team[0])
    page = member.get(reverse("ledger:detail", args=["meetings", meeting.pk]))
    assert 'data-testid="frozen"' in page.text and 'data-testid="addendum-form"' in page.text
    # …and offers no button the service would refuse: the draft's 修改 / 提交审核 are gone with the year's freeze
    assert reverse("ledger:edit", args=["meetings", meeting.pk]) not in page.text
    assert 'data-testid="submit-record"' not in page.text
    member.post(
        reverse("archive:addendum"),
        {
            "object_type": "ledger.meeting",
            "object_id": meeting.pk,
            "reason": "纪要遗漏",
            "text": "补充：会议还讨论了竞赛安排。",
            "next": reverse("ledger:detail", args=["meetings", meeting.pk]),
        },
    )
    row = Addendum.objects.get()
    assert AuditEvent.objects.filter(action="archive.addendum.added", object_id=str(row.pk)).exists()
    page = member.get(reverse("ledger:detail", args=["meetings", meeting.pk]))
    assert "补充：会议还讨论了竞赛安排。" in page.text
    assert "补充：会议还讨论了竞赛安排。" in member.get(_url(studio)).text


def test_package_page_progress_and_download(
    login, year_data, teaching_affairs, outsider, django_capture_on_commit_callbacks
):
    studio, master, *_ = year_data
    client = login(master)
    client.post(_url(studio, "archive:package_start"))
    package = ArchivePackage.objects.get()
    assert package.status == PackageStatus.QUEUED
    page = client.get(_url(studio))
    assert 'hx-get="' + reverse("archive:package_status", args=[package.pk]) in page.text
    build_package(package.pk)
    fragment = client.get(reverse("archive:package_status", args=[package.pk]))
    assert 'data-status="done"' in fragment.text and "hx-trigger" not in fragment.text
    download = client.get(reverse("archive:package_download", args=[package.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert login(outsider).get(reverse("archive:package_download", args=[package.pk])).status_code == 404
    api = login(teaching_affairs).get(f"/api/v1/archive/packages/{package.pk}")
    assert api.json()["status"] == "done" and api.json()["download_url"]


def test_api_items_checklist_archive_addendum(login, year_data, teaching_affairs):
    studio, master, team, activity, meeting, docs = year_data
    client = login(master)
    items = client.get(f"/api/v1/archive/studios/{studio.pk}/{last_year()}/items", {"q": "数控"}).json()
    assert {i["title"] for i in items["items"]} >= {"数控车工技能交流"}
    assert all("数控" in f"{i['title']}{i['description']}" for i in items["items"])
    checklist = client.get(f"/api/v1/archive/studios/{studio.pk}/{last_year()}/checklist").json()
    assert checklist["missing"] and not checklist["archived"]
    assert (
        client.post(
            f"/api/v1/archive/studios/{studio.pk}/{last_year()}/archive", {}, content_type="application/json"
        ).status_code
        == 403
    )
    ta = login(teaching_affairs)
    refused = ta.post(f"/api/v1/archive/studios/{studio.pk}/{last_year()}/archive", {}, content_type="application/json")
    assert refused.status_code == 422
    done = ta.post(
        f"/api/v1/archive/studios/{studio.pk}/{last_year()}/archive",
        {"override_reason": "年底统一归档"},
        content_type="application/json",
    )
    assert done.status_code == 201
    added = ta.post(
        "/api/v1/archive/addenda",
        {"object_type": "ledger.activity", "object_id": activity.pk, "reason": "更正", "text": "人次为 32"},
        content_type="application/json",
    )
    assert added.status_code == 201 and Addendum.objects.filter(object_id=activity.pk).exists()
    assert services.is_archived(studio.pk, last_year())
