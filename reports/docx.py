"""The docx side of the rendering engine: fill a docxtpl template with a context (bidi controls stripped)."""

import io

from docxtpl import DocxTemplate

from .safetext import clean_context

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_docx(template_path, context) -> bytes:
    """The template at `template_path` rendered with `context` (autoescaped, user text cleaned) as .docx bytes."""
    document = DocxTemplate(str(template_path))
    document.render(clean_context(context), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_paragraph(doc, text, size=11, bold=False, align=None):
    """A paragraph of `text` in 宋体 (East Asian font set too) at `size` pt, for the scripts that build the committed
    docxtpl templates (studios/make_letter_template.py, recommendations/make_dossier_template.py)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.name = "宋体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    run.font.size = Pt(size)
    run.bold = bold
    return paragraph
