"""Words (issue 9 item 13): no internal codes, no duplicated text, a clear message for an empty studio name."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_precheck_shows_no_form_check_codes(login):
    from django.core.management import call_command

    from applications.models import Application

    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    draft = Application.objects.select_related("applicant").get(applicant__username="T1001", status="draft")
    partial = login(draft.applicant).get(reverse("applications:precheck", args=[draft.pk])).content.decode()
    assert "申报表签字扫描件" in partial and "相关专业" in partial
    assert "-form" not in partial


def test_empty_studio_name_asks_for_the_name():
    from people.rules import check_studio_name

    (result,) = check_studio_name("").results
    assert result.verdict == "fail"
    assert result.message.startswith("请填写工作室名称")
    assert "「」" not in result.message


def test_skill_level_is_printed_once_on_the_record(login):
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    master = User.objects.get(username="T1001")
    html = login(master).get(reverse("people:my_record")).content.decode()
    assert html.count("一级/高级技师") == 1
    assert "职业资格证书" in html and "技能等级" in html


def test_ui_speaks_to_you_politely():
    """Templates and messages say 您, never 你."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    skip = {".venv", "node_modules", "staticfiles", "assets", ".git", "var", "tests", "migrations"}
    offenders = [
        str(path.relative_to(root))
        for suffix in ("*.html", "*.py")
        for path in root.rglob(suffix)
        if not skip.intersection(path.relative_to(root).parts)
        and not path.name.startswith("test_")
        and "你" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders


def test_docs_stand_alone():
    """docs/ and README restate what they cite (docs/domain.md); a reader of the repository has no ../shared."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    texts = {p: p.read_text(encoding="utf-8") for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))]}
    offenders = [
        str(p.relative_to(root)) for p, t in texts.items() if "../shared" in t or re.search(r"\b(DOMAIN|STYLE)\.md", t)
    ]
    assert not offenders, offenders
    domain = texts[root / "docs" / "domain.md"]
    assert all(f"**R{n}**" in domain for n in range(1, 23))
