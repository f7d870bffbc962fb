"""Build docx_templates/application_form.docx (the docxtpl template of 《技能大师工作室申报表》) once.

Run: .venv/bin/python applications/make_form_template.py  — the output is committed; edit it in Word if the school's
form changes, keeping the {{ … }} tags.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parent / "docx_templates" / "application_form.docx"


def _font(run, size=None, bold=False):
    run.font.name = "宋体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _row(table, label, value):
    cells = table.add_row().cells
    _font(cells[0].paragraphs[0].add_run(label), 11, bold=True)
    _font(cells[1].paragraphs[0].add_run(value), 11)


def _section(doc, title, tag):
    _font(doc.add_paragraph().add_run(title), 12, bold=True)
    _font(doc.add_paragraph().add_run(tag), 11)


def build():
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run("{{ school_name }}技能大师工作室申报表"), 18, bold=True)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(meta.add_run("申报批次：{{ call_title }}    编号：{{ number }}"), 10)

    _font(doc.add_paragraph().add_run("一、基本信息"), 12, bold=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in [
        ("拟申办工作室名称", "{{ studio_name }}"),
        ("职业工种", "{{ occupation }}"),
        ("设立方式", "{{ mode }}"),
        ("所在系（部）", "{{ department }}"),
        ("相关专业", "{{ majors }}"),
        ("校内主场地", "{{ venue_school }}"),
        ("合作企业场地", "{{ venue_partner }}"),
    ]:
        _row(table, label, value)

    _font(doc.add_paragraph().add_run("二、拟申报技能大师"), 12, bold=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in [
        ("姓名", "{{ master_name }}"),
        ("工号", "{{ master_no }}"),
        ("出生日期", "{{ master_birth }}"),
        ("企业工作/实践经历", "{{ master_experience }}"),
        ("荣誉/获奖", "{{ master_honors }}"),
        ("专业相关性说明", "{{ major_justification }}"),
    ]:
        _row(table, label, value)

    _font(doc.add_paragraph().add_run("三、工作室成员"), 12, bold=True)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["姓名", "工号", "角色", "单位/系部"], strict=True):
        _font(cell.paragraphs[0].add_run(text), 11, bold=True)
    loop_start = table.add_row().cells
    _font(loop_start[0].paragraphs[0].add_run("{%tr for m in members %}"), 10)
    row = table.add_row().cells
    for cell, text in zip(row, ["{{ m.name }}", "{{ m.no }}", "{{ m.role }}", "{{ m.unit }}"], strict=True):
        _font(cell.paragraphs[0].add_run(text), 11)
    loop_end = table.add_row().cells
    _font(loop_end[0].paragraphs[0].add_run("{%tr endfor %}"), 10)

    _section(doc, "四、工作室的基本条件", "{{ basic_conditions }}")
    _section(doc, "五、所在系（部）对工作室的支持措施", "{{ support_measures }}")
    _section(doc, "六、工作室建立后的工作计划", "{{ work_plan }}")
    _section(doc, "七、主要工作方向", "{{ main_directions }}")
    _section(doc, "八、系（部）审核推荐意见", "{{ dept_opinion }}")
    sign = doc.add_paragraph()
    _font(
        sign.add_run(
            "申报人（签字）：____________        系（部）负责人（签字）：____________        日期：{{ printed_on }}"
        ),
        11,
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    return OUT


if __name__ == "__main__":
    print(build())  # noqa: T201
