"""Every audit action code the sources can write has a Chinese label (issue 9 item 13): the audit page and its export
never show `applications.vote.cast`."""

import re
from pathlib import Path

import pytest

from core.actions import action_label, known_label

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "staticfiles", "assets", ".git", "var", "tests", "migrations", "bench"}
LITERAL = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+){1,2})["']""")
ACTION_LINE = re.compile(r"\baction\s*=\s*(.*)")
F_TEMPLATE = re.compile(r"""\baction\s*=\s*f(?:"([^"]+)"|'([^']+)')""")


def _sources():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if SKIP.intersection(parts) or path.name.startswith("test_"):
            continue
        text = path.read_text(encoding="utf-8")
        if "log_action(" in text or "transition(" in text:
            yield path, text


def _app_labels():
    from django.apps import apps

    return {config.label for config in apps.get_app_configs()}


def _literal_codes():
    labels = _app_labels()
    codes = {}
    for path, text in _sources():
        for line in ACTION_LINE.findall(text):
            if line.lstrip().startswith("f"):
                continue
            for code in LITERAL.findall(line):
                if code.split(".", 1)[0] in labels:
                    codes[code] = path.relative_to(ROOT)
    return codes


def _workflow_codes():
    from django.apps import apps

    codes = set()
    for model in apps.get_models():
        machine = getattr(model, "WORKFLOW", None)
        if machine is not None and hasattr(machine, "transitions"):
            codes |= {f"{machine.audit_prefix}.{move.verb or dst}" for (_s, dst), move in machine.transitions.items()}
    return codes


def _admin_codes():
    from django.contrib import admin

    return {
        f"{model._meta.label_lower}.{verb}"
        for model in admin.site._registry
        for verb in ("admin_created", "admin_changed", "admin_deleted")
    }


def _template_expansions():
    """Each f-string action template in the sources → the codes it can produce. A template not listed here fails the
    test: list its expansions (and give them labels in core/actions.py)."""
    from applications.enums import ObjectionStatus

    created_changed = ("created", "changed")
    return {
        "{machine.audit_prefix}.{move.verb or to}": _workflow_codes(),
        "{obj._meta.label_lower}.admin_{verb}": _admin_codes(),
        "{obj._meta.label_lower}.admin_deleted": _admin_codes(),
        "applications.objection.{status}": {
            f"applications.objection.{s}" for s in ObjectionStatus.values if s != ObjectionStatus.OPEN
        },
        "applications.call.{verb}": {"applications.call.opened", "applications.call.closed"},
        "people.profile.{'created' if created else 'changed'}": {f"people.profile.{v}" for v in created_changed},
        "people.{model_name}.{'created' if created else 'changed'}": {
            f"people.{m}.{v}" for m in ("workperiod", "honor") for v in created_changed
        },
        "people.enterprise.{'created' if created else 'changed'}": {f"people.enterprise.{v}" for v in created_changed},
        "people.honorkind.{'created' if created else 'changed'}": {f"people.honorkind.{v}" for v in created_changed},
        # The prefix is a two-part literal passed as action=…; those are checked with .created/.changed below.
        "{action}.{'created' if created else 'changed'}": set(),
    }


def _per_model_template(template):
    """ "app.{<anything>model_name}.verb": one code per model of the app (e.g. ledger's generic record services)."""
    from django.apps import apps

    match = re.fullmatch(r"(\w+)\.\{[^}]*model_name\}\.(\w+)", template)
    if match is None:
        return None
    app_label, verb = match.groups()
    return {f"{model._meta.label_lower}.{verb}" for model in apps.get_app_config(app_label).get_models()}


def test_every_literal_action_code_has_a_label():
    codes = _literal_codes()
    assert "applications.vote.cast" in codes and "accounts.login.failed" in codes  # the scan finds codes
    missing = {}
    for code, path in codes.items():
        # A two-part code is a prefix completed by a generic save helper: f"{action}.{'created' if created else …}".
        prefix_ok = code.count(".") == 1 and all(known_label(f"{code}.{v}") for v in ("created", "changed"))
        if prefix_ok and not known_label(code):
            continue
        if not known_label(code):
            missing[code] = str(path)
    assert not missing, f"action codes without a Chinese label (add them to core/actions.py): {missing}"


def test_every_generated_action_code_has_a_label():
    expansions = _template_expansions()
    unknown_templates = set()
    for path, text in _sources():
        for double, single in F_TEMPLATE.findall(text):
            template = double or single
            generic = _per_model_template(template)
            if generic is not None:
                expansions[template] = generic
            elif template not in expansions:
                unknown_templates.add(f"{path.relative_to(ROOT)}: {template}")
    assert not unknown_templates, f"new f-string action codes: list their expansions in this test: {unknown_templates}"
    codes = set().union(*expansions.values())
    assert "applications.application.submitted" in codes and "accounts.user.admin_changed" in codes
    missing = sorted(code for code in codes if not known_label(code))
    assert not missing, f"action codes without a Chinese label (add them to core/actions.py): {missing}"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("applications.vote.cast", "学术委员会表决：投票"),
        ("applications.application.submitted", "申报：提交申报"),
        ("applications.call.created", "申报批次：创建"),
        ("accounts.user.admin_changed", "用户：后台修改"),
        ("no.such.code", "其他操作"),
    ],
)
def test_labels_read_as_chinese(code, label):
    assert action_label(code) == label


@pytest.mark.django_db
def test_audit_page_shows_labels_not_codes(login, inspector, applicant):
    from core.audit import log_action

    log_action(actor=applicant, action="applications.vote.cast", note="")
    log_action(actor=applicant, action="accounts.login.failed", note="")
    html = login(inspector).get("/audit/").content.decode()
    assert "学术委员会表决：投票" in html and "登录失败" in html
    assert "applications.vote.cast" not in html and "accounts.login.failed" not in html
