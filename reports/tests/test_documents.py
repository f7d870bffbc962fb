"""Every generated document carries the applicant's Chinese name and the studio name as real text; every PDF embeds
the CJK font (no missing-glyph boxes)."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import documents
from applications.models import Call
from studios import documents as studio_documents
from studios.models import Studio

pytestmark = pytest.mark.django_db

NAME, STUDIO = "申报人甲", "数控车工技能大师工作室"


def _pdf_text_and_fonts(data):
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), embedded))
    return text, fonts


def _assert_cjk_pdf(data, *needles):
    assert data.startswith(b"%PDF-")
    text, fonts = _pdf_text_and_fonts(data)
    for needle in needles:
        assert needle in text, (needle, text[:300])
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert any("Noto" in name for name, _ in fonts), fonts


def test_application_form_docx_and_pdf(complete_draft):
    data, filename, _ = documents.application_form_docx(complete_draft)
    assert filename.endswith(".docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert NAME in xml and STUDIO in xml and "骨干教师11" in xml and "{{" not in xml and "{%" not in xml
    pdf, filename, _ = documents.application_form_pdf(complete_draft)
    _assert_cjk_pdf(pdf, NAME, STUDIO, "重庆市工业学校技能大师工作室申报表")


def test_publicity_and_approval_notices_and_xlsx(complete_draft, walk):
    app = walk(complete_draft, "approved")
    pdf, _, _ = documents.publicity_notice_pdf(app.publicity)
    _assert_cjk_pdf(pdf, NAME, STUDIO, "公示期")
    studio = Studio.objects.get(application=app)
    pdf, _, _ = studio_documents.approval_notice_pdf(studio)
    _assert_cjk_pdf(pdf, "重庆市工业学校（申报人甲）技能大师工作室", STUDIO, "渝工校发〔2026〕8号")

    call = Call.objects.get(pk=app.call_id)
    data, _, _ = documents.review_summary_xlsx(call)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][0] == "排名"
    assert rows[2][1] == STUDIO and rows[2][2] == NAME and rows[2][5] == pytest.approx(81.0)
    data, _, _ = documents.proposed_list_xlsx(call)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[2][1] == STUDIO and rows[2][2] == NAME and rows[2][6] == 5


def test_exports_name_their_sheet_and_the_approval_notice_lists_the_master_first(complete_draft, walk):
    """Walking the flow: the xlsx tabs read 'Sheet1'; the 认定通知 listed the 技能大师 after the core teachers."""
    app = walk(complete_draft, "approved")
    call = Call.objects.get(pk=app.call_id)
    assert load_workbook(io.BytesIO(documents.review_summary_xlsx(call)[0])).sheetnames == ["专家评分汇总"]
    assert load_workbook(io.BytesIO(documents.proposed_list_xlsx(call)[0])).sheetnames == ["建议名单"]
    text, _ = _pdf_text_and_fonts(studio_documents.approval_notice_pdf(Studio.objects.get(application=app))[0])
    members = text[text.index("成员") :]
    assert members.index(f"{NAME}（技能大师）") < members.index("骨干教师11（骨干教师）")
