import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from people.tests.factories import PDF_BYTES
from studios.enums import MembershipRole, StudioSource
from studios.models import Membership, ResponsibilityLetter, Studio, StudioException
from studios.panels import _PANELS, register_panel
from studios.registration import COLUMNS
from studios.services import (
    generate_letter,
    record_exception,
    remove_member,
    revoke_studio,
    save_letter_template,
)
from studios.tests.factories import make_studio
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(teaching_affairs, applicant, department):
    return make_studio(teaching_affairs, master=applicant, department=department, cores=4)


@pytest.fixture
def template(teaching_affairs):
    return save_letter_template(
        by=teaching_affairs, school_duties="学校职责一\n学校职责二", studio_duties="工作室职责", term_years=3
    )


def _page_queries(client, studio):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("studios:detail", args=[studio.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture(params=["studios_only", "all_registered"])
def registries(request):
    """The page as studios builds it, and with every panel/task the installed apps (ledger, plans) register."""
    if request.param == "all_registered":
        request.getfixturevalue("all_panels")
    return request.param


def test_studio_page_issues_the_same_queries_for_3_and_many_records(
    login, teaching_affairs, applicant, department, template, registries
):
    small = make_studio(teaching_affairs, master=applicant, department=department, cores=3, name="小技能大师工作室")
    big_master = UserFactory(department=department)
    big = make_studio(
        teaching_affairs, master=big_master, department=department, cores=30, members=60, name="大技能大师工作室"
    )
    exc = record_exception(
        big, by=teaching_affairs, reason="过渡", deadline=timezone.localdate() + dt.timedelta(days=9)
    )
    for row in Membership.objects.filter(studio=big, role=MembershipRole.MEMBER)[:40]:
        remove_member(big, row.pk, by=teaching_affairs, reason="调离")
    generate_letter(big, by=teaching_affairs)
    generate_letter(small, by=teaching_affairs)
    # a panel as a later app registers it: one aggregate query, whatever the history
    register_panel(
        "test_recent",
        "近期记录",
        "studios/tests/panel.html",
        lambda s, u: {"count": Membership.objects.filter(studio=s).count()},
        order=50,
    )
    try:
        client = login(teaching_affairs)
        client.get(reverse("studios:detail", args=[big.pk]))  # first view: session save, content-type cache
        n_small, _ = _page_queries(client, small)
        n_big, response = _page_queries(client, big)
    finally:
        _PANELS.pop("test_recent")
    assert n_small == n_big <= 12
    html = response.content.decode()
    assert "临时例外" in html and exc.reason in html and "已退出成员（40）" in html
    assert "责任书尚未签订" in html


def test_studio_page_shows_members_contacts_and_open_tasks(login, studio, applicant, outsider, inspector, dept_head):
    for user in (applicant, inspector, dept_head):
        html = login(user).get(reverse("studios:detail", args=[studio.pk])).content.decode()
        assert "骨干0" in html and "历史登记" in html and "责任书尚未生成" in html
    # the master acts on it; read-only roles do not see the actions
    assert "添加成员" in login(applicant).get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert "添加成员" not in login(inspector).get(reverse("studios:detail", args=[studio.pk])).content.decode()


def test_master_adds_and_removes_a_member_through_the_pages(login, studio, applicant, department):
    newcomer = UserFactory(username="T7777", display_name="新成员", department=department)
    client = login(applicant)
    response = client.post(
        reverse("studios:member_add", args=[studio.pk]), {"username": "t7777", "role": "member", "reason": "新进教师"}
    )
    assert response.status_code == 302
    row = Membership.objects.get(studio=studio, user=newcomer)
    assert row.left_on is None and row.join_reason == "新进教师"
    response = client.post(
        reverse("studios:member_remove", args=[studio.pk, row.pk]), {"membership": row.pk, "reason": "调离"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.left_on == timezone.localdate()
    # below the minimum: the page names the rule and nothing changes
    client.post(reverse("studios:member_remove", args=[studio.pk, _core(studio).pk]), {"reason": "调离"})
    core = _core(studio)
    response = client.post(reverse("studios:member_remove", args=[studio.pk, core.pk]), {"reason": "调离"}, follow=True)
    assert "少于规定的3人" in response.content.decode()
    core.refresh_from_db()
    assert core.left_on is None


def _core(studio):
    return Membership.objects.filter(studio=studio, role="core", left_on__isnull=True).order_by("pk").first()


def test_letter_generated_downloaded_signed_and_the_task_disappears(
    login, studio, teaching_affairs, applicant, template
):
    client = login(teaching_affairs)
    client.post(reverse("studios:letter_generate", args=[studio.pk]))
    letter = ResponsibilityLetter.objects.get(studio=studio)
    assert letter.term_end == dt.date(
        letter.term_start.year + 3, letter.term_start.month, letter.term_start.day
    ) - dt.timedelta(days=1)
    docx = client.get(reverse("studios:letter_docx", args=[studio.pk, letter.pk]))
    from docx import Document

    text = "\n".join(
        p.text
        for p in Document(io.BytesIO(b"".join(docx.streaming_content if docx.streaming else [docx.content]))).paragraphs
    )
    assert "学校职责二" in text and "以建设方案为准" in text and studio.official_name in text
    pdf = client.get(reverse("studios:letter_pdf", args=[studio.pk, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    # signing: a file that is not a PDF/image is refused, nothing stored
    master = login(applicant)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    master.post(reverse("studios:letter_sign", args=[studio.pk, letter.pk]), {"signed_on": "2025-01-01", "file": bad})
    letter.refresh_from_db()
    assert letter.signed_on is None and not letter.signed_file
    scan = SimpleUploadedFile("责任书.pdf", PDF_BYTES, content_type="application/pdf")
    today = timezone.localdate().isoformat()
    response = master.post(
        reverse("studios:letter_sign", args=[studio.pk, letter.pk]), {"signed_on": today, "file": scan}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.signed_on == timezone.localdate() and letter.signed_file
    assert AuditEvent.objects.filter(action="studios.letter.signed", object_id=str(studio.pk)).count() == 1
    html = master.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert "责任书尚未签订" not in html and "已签订" in html


def test_signed_letter_scan_must_be_a_pdf_or_image(login, studio, teaching_affairs, applicant, template):
    """The form promises PDF/JPG/PNG: a genuine .xlsx (an allowed upload elsewhere) is no signed scan."""
    letter = generate_letter(studio, by=teaching_affairs)
    sheet = io.BytesIO()
    Workbook().save(sheet)
    upload = SimpleUploadedFile("责任书.xlsx", sheet.getvalue())
    response = login(applicant).post(
        reverse("studios:letter_sign", args=[studio.pk, letter.pk]),
        {"signed_on": timezone.localdate().isoformat(), "file": upload},
    )
    letter.refresh_from_db()
    assert letter.signed_on is None and not letter.signed_file
    assert "仅支持" in response.content.decode()


def test_letter_quotes_the_targets_a_later_app_registers(studio, teaching_affairs, template):
    from studios import panels
    from studios.documents import letter_context

    letter = generate_letter(studio, by=teaching_affairs)
    saved = list(panels._LETTER_TARGETS)
    panels.register_letter_targets(lambda s: ["年度技术攻关项目2项", "培养技师5名"])
    try:
        assert letter_context(letter)["targets"] == "年度技术攻关项目2项\n培养技师5名"
    finally:
        panels._LETTER_TARGETS[:] = saved
    assert letter_context(letter)["targets"] == "以建设方案为准。"


def test_revoked_studio_is_read_only_on_the_pages(login, studio, teaching_affairs, applicant, template):
    revoke_studio(studio, by=teaching_affairs, reason="考核不合格")
    client = login(applicant)
    html = client.get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert "已撤销" in html and "添加成员" not in html and "骨干0" in html
    assert client.get(reverse("studios:member_add", args=[studio.pk])).status_code == 403
    response = client.post(reverse("studios:member_add", args=[studio.pk]), {"username": "T9009", "role": "member"})
    assert response.status_code == 403
    office = login(teaching_affairs)
    assert office.post(reverse("studios:letter_generate", args=[studio.pk])).status_code == 403
    assert (
        office.post(
            reverse("studios:exception_new", args=[studio.pk]), {"reason": "x", "deadline": "2030-01-01"}
        ).status_code
        == 403
    )
    assert not ResponsibilityLetter.objects.filter(studio=studio).exists()
    assert not StudioException.objects.filter(studio=studio).exists()
    assert Membership.objects.filter(studio=studio).count() == 5


# --- 历史登记 ---------------------------------------------------------------------------------------------------------


def test_teaching_affairs_registers_a_historical_studio_by_form(login, teaching_affairs, department):
    master = UserFactory(username="M1001", display_name="王大师", department=department)
    assert master.is_active
    cores = [UserFactory(username=f"C100{i}", department=department) for i in range(3)]
    response = login(teaching_affairs).post(
        reverse("studios:register"),
        {
            "official_name": "焊接技能大师工作室",
            "document_number": "渝工校〔2019〕8号",
            "approved_on": "2019-09-01",
            "master": "M1001",
            "department": department.pk,
            "mode": "school",
            "venue_school": "实训楼B",
            "core_members": "C1000、C1001，C1002",
        },
    )
    studio = Studio.objects.get(official_name="焊接技能大师工作室")
    assert response.status_code == 302
    assert studio.source == StudioSource.REGISTERED and studio.application_id is None
    assert studio.plaque_name == "重庆市工业学校（王大师）技能大师工作室"
    assert set(Membership.objects.filter(studio=studio, role="core").values_list("user_id", flat=True)) == {
        c.pk for c in cores
    }
    assert AuditEvent.objects.filter(action="studios.studio.registered", object_id=str(studio.pk)).count() == 1


def test_registration_is_for_teaching_affairs_only(login, applicant, dept_head, inspector):
    for user in (applicant, dept_head, inspector):
        assert login(user).get(reverse("studios:register")).status_code == 403
        assert login(user).get(reverse("studios:register_import")).status_code == 403


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "历史工作室"
    ws.append([h for h, _, _ in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("studios.xlsx", buffer.getvalue())


def test_import_with_one_bad_row_imports_nothing_and_names_the_row(login, teaching_affairs, department):
    for i in range(8):
        UserFactory(username=f"K{i}", department=department)
    good = [
        "车工技能大师工作室",
        "渝工校〔2018〕1号",
        "2018-06-01",
        "K0",
        department.name,
        "学校单独创办",
        "",
        "",
        "",
        "K1、K2、K3",
        "",
    ]
    also_good = [
        "钳工技能大师工作室",
        "渝工校〔2018〕1号",
        "2018-06-01",
        "K4",
        department.code,
        "学校单独创办",
        "",
        "",
        "",
        "K5,K6,K7",
        "K1",
    ]
    bad = [
        "电工技能大师工作室",
        "渝工校〔2018〕1号",
        "2018-06-01",
        "K0",
        department.name,
        "学校单独创办",
        "",
        "",
        "",
        "K1、K2",
        "",
    ]
    client = login(teaching_affairs)
    response = client.post(reverse("studios:register_import"), {"file": _sheet([good, also_good, bad])})
    html = response.content.decode()
    assert "第4行：骨干教师2人，少于规定的3人" in html
    assert not Studio.objects.exists() and not Membership.objects.exists()
    assert not AuditEvent.objects.filter(action="studios.studio.registered").exists()
    response = client.post(reverse("studios:register_import"), {"file": _sheet([good, also_good])})
    assert response.status_code == 302
    assert set(Studio.objects.values_list("official_name", flat=True)) == {"车工技能大师工作室", "钳工技能大师工作室"}
    assert AuditEvent.objects.filter(action="studios.studio.registered").count() == 2


def test_import_template_downloads_with_the_header(login, teaching_affairs):
    response = login(teaching_affairs).get(reverse("studios:register_template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    assert [c.value for c in book["历史工作室"][1]] == [h for h, _, _ in COLUMNS]


def test_import_refuses_a_file_that_is_not_excel(login, teaching_affairs):
    response = login(teaching_affairs).post(
        reverse("studios:register_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert "无法读取该 Excel 文件" in response.content.decode()
    assert not Studio.objects.exists()


def test_source_check_constraint(applicant, department):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Studio.objects.create(
            source=StudioSource.APPLICATION,
            official_name="x技能大师工作室",
            plaque_name="x",
            master=applicant,
            mode="school",
            department=department,
            document_number="1",
            approved_on=dt.date(2020, 1, 1),
        )
