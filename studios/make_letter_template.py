"""Build docx_templates/responsibility_letter.docx (the docxtpl template of the 责任书) once.

Run: .venv/bin/python -m studios.make_letter_template — the output is committed; edit it in Word if the school's layout
changes, keeping the {{ … }} / {%p … %} tags. The terms themselves are data (ResponsibilityLetterTemplate).
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from reports.docx import template_paragraph as _para

OUT = Path(__file__).resolve().parent / "docx_templates" / "responsibility_letter.docx"


def build():
    doc = Document()
    _para(doc, "{{ school_name }}技能大师工作室建设责任书", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "编号：{{ number }}", 10, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "甲方：{{ school_name }}")
    _para(doc, "乙方：{{ studio_name }}（技能大师：{{ master }}）")
    _para(doc, "认定文号：{{ document_number }}    所在系（部）：{{ department }}")
    _para(doc, "责任期：{{ term_start }} 至 {{ term_end }}（{{ term_years }}年）")
    _para(doc, "一、学校职责", 12, True)
    _para(doc, "{{ school_duties }}")
    _para(doc, "二、工作室职责", 12, True)
    _para(doc, "{{ studio_duties }}")
    _para(doc, "三、建设目标", 12, True)
    _para(doc, "{{ targets }}")
    _para(doc, "四、工作室成员", 12, True)
    _para(doc, "{{ members }}")
    _para(doc, "执行负责人：{{ exec_lead }}    联系人：{{ contact }}")
    _para(doc, "")
    _para(doc, "甲方（盖章）：                          乙方技能大师（签字）：")
    _para(doc, "日期：    年  月  日                       日期：    年  月  日")
    OUT.parent.mkdir(exist_ok=True)
    doc.save(OUT)


if __name__ == "__main__":
    build()
