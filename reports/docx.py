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
