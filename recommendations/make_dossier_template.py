"""Build docx_templates/dossier.docx (the docxtpl template of the 推荐申报材料) once.

Run: .venv/bin/python -m recommendations.make_dossier_template — the output is committed; edit it in Word if the
school's layout changes, keeping the {{ … }} / {%p … %} tags.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from reports.docx import template_paragraph as _para

OUT = Path(__file__).resolve().parent / "docx_templates" / "dossier.docx"


def _loop(doc, head, line):
    _para(doc, f"{{%p for {head} %}}")
    _para(doc, line)
    _para(doc, "{%p endfor %}")


def build():
    doc = Document()
    _para(doc, "{{ school_name }}", 16, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{{ level }}技能大师工作室推荐申报材料", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "工作室：{{ studio_name }}")
    _para(doc, "申报级别：{{ level }}（{{ year }}年度）    现有级别：{{ current_level }}")
    _para(doc, "所在系部：{{ department }}    认定文号：{{ document_number }}（{{ approved_on }}）")
    _para(doc, "推荐单位：{{ school_name }}    材料生成日期：{{ generated_on }}")
    _para(doc, "一、推荐理由", 12, True)
    _para(doc, "{{ reason }}")
    _para(doc, "二、技能大师简介", 12, True)
    _para(doc, "姓名：{{ master }}    专业技术职务：{{ master_title }}")
    _para(doc, "技能等级：{{ master_skill }}    职业资格/技能等级证书：{{ master_certificate }}")
    _loop(doc, "h in honors", "{{ h.date }} {{ h.title }}（{{ h.level }}{{ h.rank }}，{{ h.issuer }}）")
    _para(doc, "三、工作室成员", 12, True)
    _loop(doc, "m in members", "{{ m.name }}：{{ m.role }}（{{ m.joined }} 加入）")
    _para(doc, "四、历年建设成效（已确认的建设记录）", 12, True)
    _loop(doc, "r in indicator_rows", "{{ r.year }}年：{{ r.text }}")
    _para(doc, "五、经费（元）", 12, True)
    _loop(doc, "f in funds", "{{ f.year }}年：预算 {{ f.budget }}，已确认支出 {{ f.spent }}")
    _para(doc, "六、年度考核", 12, True)
    _loop(doc, "e in evaluations", "{{ e.year }}年：总分 {{ e.total }}，认定等级 {{ e.grade }}")
    _para(doc, "七、标志性成果", 12, True)
    _loop(doc, "a in landmarks", "{{ a.date }} {{ a.title }}（{{ a.kind }}，{{ a.level }}）佐证材料：{{ a.evidence }}")
    _para(doc, "八、申报条件核验", 12, True)
    _loop(
        doc,
        "c in checks",
        "{{ c.label }}：{{ c.verdict }}。{{ c.text }}{% if c.confirmation %}核实说明：{{ c.confirmation }}{% endif %}",
    )
    _para(doc, "{% if explanation %}未满足条件的说明：{{ explanation }}{% endif %}")
    _para(doc, "{{ school_name }}    {{ generated_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    OUT.parent.mkdir(exist_ok=True)
    doc.save(OUT)


if __name__ == "__main__":
    build()
