"""Arrows between apps point one way: a later stage imports earlier ones, never the reverse (issue 10 item 10).

The imports of every non-test module of every project app are read with `ast` (nothing is imported or run) and held
against LAYERS (docs/architecture.md, "Layers"). An earlier app that needs a later one offers a registry that the
later app's AppConfig.ready() fills (core.navigation, core.roles, applications.hooks, studios.panels).
"""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first. An app may import the apps of lower tiers; within a tier only the platform's two apps (core and the
# rendering engine) import each other, and never in a circle (test_no_import_cycle_between_apps).
LAYERS = (
    ("core", "reports"),  # audit, workflow, uploads, lists, registries; the PDF/docx/xlsx engine — no domain app
    ("accounts",),  # users, departments, roles, the permission helper
    ("people",),  # staff profiles, partner enterprises, policy, eligibility rules
    ("applications",),  # 申报·评审·公示·认定
    ("studios",),  # studios, members, 责任书
    ("ledger",),  # the evidence ledger
    ("plans",),  # plans and indicator targets, plan vs actual (reads the ledger)
    ("archive",),  # 档案: categories, year-end freeze (studios.freeze), packages; sources registered by later apps
    (
        "funds",
    ),  # 经费: budgets, expenditures; freezes through studios.freeze, files vouchers through archive's registry
    ("news",),  # 通知公告 (audience, read receipts) and 宣传报道 (posts; the publicity_reports indicator)
    ("annual",),  # 年度工作报告: computed tables from plans and funds, review, reminders
    ("evaluation",),  # 年度考核: rounds, scorecards, grades and their consequences
    ("recommendations",),  # 推荐申报: requirement catalogue and checkers, frozen check, outcome → studio level, dossier
    ("oversight", "showcase"),  # 纪检: console, notes, anomaly flags · the public showcase (no login)
    ("insights",),  # dashboards: read everything below, nothing reads them
    (
        "integrations",
    ),  # work-message webhooks (企业微信/钉钉), calendar feeds — read everything below, nothing reads them
    ("workspace", "administration", "ops"),  # screens over everything below: 工作台, 系统管理, backup/seed
    ("config",),  # settings, URL root, the API object
)
PLATFORM = LAYERS[0]
TIER = {app: n for n, apps in enumerate(LAYERS) for app in apps}

# Imports inside a function that cross apps. AppConfig.ready() is where Django wants them (models are importable only
# once the registry is ready) and is allowed everywhere; anything else needs a line here with its reason — an import
# hidden in a function to dodge a circle does not belong here: move the code or add a registry.
FUNCTION_IMPORTS_ALLOWED = {
    # file, imported module: reason
}


def _project_apps():
    return [*settings.PROJECT_APPS, "config"]


def _modules(app):
    root = Path(settings.BASE_DIR) / app
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(settings.BASE_DIR)
        if "tests" in rel.parts or "migrations" in rel.parts or path.name.startswith("test_"):
            continue
        yield rel, ast.parse(path.read_text(), filename=str(rel))


def _dotted(rel):
    parts = list(rel.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(rel, node):
    """The absolute module names an import statement reads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module]
    package = _dotted(rel).split(".")
    if rel.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return [".".join([*base, node.module] if node.module else base)]


def _imports(rel, tree):
    """(module imported, line, outermost enclosing function or None) for every import in the file."""
    found = []

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for module in _resolve(rel, child):
                    found.append((module, child.lineno, function))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                walk(child, function or child.name)
            else:
                walk(child, function)

    walk(tree, None)
    return found


def _cross_app_imports():
    apps = set(_project_apps())
    for app in _project_apps():
        for rel, tree in _modules(app):
            for module, line, function in _imports(rel, tree):
                target = module.split(".")[0]
                if target in apps and target != app:
                    yield app, rel, module, line, function


def test_every_app_has_a_place_in_the_layers():
    missing = [app for app in _project_apps() if app not in TIER]
    assert not missing, f"Place {missing} in LAYERS (tests/security/test_architecture.py) and docs/architecture.md."


def test_imports_point_from_later_stages_to_earlier_ones():
    wrong = []
    for app, rel, module, line, _function in _cross_app_imports():
        target = module.split(".")[0]
        if target not in TIER or app not in TIER:
            continue  # reported by test_every_app_has_a_place_in_the_layers
        same_platform = app in PLATFORM and target in PLATFORM
        if TIER[target] >= TIER[app] and not same_platform:
            wrong.append(f"{rel}:{line} {app} → {module}")
    assert not wrong, "Imports against the layer order:\n" + "\n".join(wrong)


def test_no_function_level_import_between_apps():
    hidden = []
    for _app, rel, module, line, function in _cross_app_imports():
        if function is None:
            continue
        if rel.name == "apps.py" and function == "ready":
            continue
        if (str(rel), module) in FUNCTION_IMPORTS_ALLOWED:
            continue
        hidden.append(f"{rel}:{line} in {function}(): {module}")
    assert not hidden, "Imports inside functions between apps (move them to the top of the module):\n" + "\n".join(
        hidden
    )


def test_no_import_cycle_between_apps():
    """Module-level imports form no circle that crosses apps (core.lists → reports.xlsx is fine while reports.xlsx
    reads nothing of core; reports.pdf → core.refusals likewise)."""
    known = {_dotted(rel) for app in _project_apps() for rel, _tree in _modules(app)}
    graph = {}
    for app in _project_apps():
        for rel, tree in _modules(app):
            edges = graph.setdefault(_dotted(rel), set())
            for node in tree.body:  # module level only
                if isinstance(node, ast.Import):
                    edges.update(a.name for a in node.names if a.name in known)
                elif isinstance(node, ast.ImportFrom):
                    (module,) = _resolve(rel, node)
                    for alias in node.names:
                        sub = f"{module}.{alias.name}"
                        if sub in known:
                            edges.add(sub)
                        elif module in known:
                            edges.add(module)
    cycles = set()
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start and len({m.split(".")[0] for m in path}) > 1:
                    cycles.add(" → ".join([*path, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, (*path, nxt)))
    assert not cycles, "Import cycles between apps:\n" + "\n".join(sorted(cycles))


# Hidden circles inside one app still to be untangled (both sides import lazily). Each is a debt, not a permission:
# remove the line when the code moves; a new one fails the test.
KNOWN_HIDDEN_CIRCLES = {
    # (file, function, imported module): why it is still here
    ("applications/calendar.py", "_overrides", "applications.models"): "calendar ⇄ Publicity.period_text: pass the "
    "overrides in, or move period_text out of the model",
    ("applications/calendar.py", "_years_entered_by_admin", "applications.models"): "the same calendar ⇄ model pair",
    ("applications/models/publicity.py", "period_text", "applications.calendar"): "the same calendar ⇄ model pair",
    ("applications/models/application.py", "get_status_display", "applications.models.publicity"): "Application ⇄ "
    "Publicity models: read the publicity's state through the relation instead",
    ("applications/services/publicity.py", "schedule_announcement", "applications.tasks"): "service ⇄ task: the task "
    "could be enqueued by name, or the service split",
    ("applications/tasks.py", "announce_publicity_task", "applications.services.publicity"): "the same service ⇄ task",
}


def _module_graph():
    """{module: (modules it imports at module level, [(module, line, function) imported inside functions])}."""
    known = {_dotted(rel) for app in _project_apps() for rel, _tree in _modules(app)}

    def targets(rel, node):
        if isinstance(node, ast.Import):
            return [a.name for a in node.names if a.name in known]
        (module,) = _resolve(rel, node)
        found = []
        for alias in node.names:
            sub = f"{module}.{alias.name}"
            found.extend([sub] if sub in known else [module] if module in known else [])
        return found

    graph = {}
    for app in _project_apps():
        for rel, tree in _modules(app):
            top = {
                t for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)) for t in targets(rel, node)
            }
            inner = []
            for function in ast.walk(tree):
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for node in ast.walk(function):
                        if isinstance(node, (ast.Import, ast.ImportFrom)):
                            inner.extend((t, node.lineno, function.name) for t in targets(rel, node))
            graph[_dotted(rel)] = (top, inner, rel)
    return graph


def test_no_function_level_import_dodges_a_circle():
    """Within an app too: an import inside a function whose module imports the importing module back (directly or
    through others, at module level or hidden in a function as well) is a circle in hiding — move the code, or import
    what is needed from a lower module. AppConfig.ready() imports are not edges (Django runs them after loading)."""
    graph = _module_graph()
    edges = {
        module: top | {t for t, _line, function in inner if not (rel.name == "apps.py" and function == "ready")}
        for module, (top, inner, rel) in graph.items()
    }

    def reaches(start, goal):
        stack, seen = [start], set()
        while stack:
            module = stack.pop()
            if module == goal:
                return True
            if module in seen or module not in edges:
                continue
            seen.add(module)
            stack.extend(edges[module])
        return False

    hidden = [
        f"{rel}:{line} in {function}(): {target}"
        for module, (_top, inner, rel) in graph.items()
        for target, line, function in inner
        if not (rel.name == "apps.py" and function == "ready")
        and (str(rel), function, target) not in KNOWN_HIDDEN_CIRCLES
        and reaches(target, module)
    ]
    assert not hidden, "Imports inside functions that dodge a circle:\n" + "\n".join(hidden)


def test_the_checker_sees_a_wrong_arrow_and_a_hidden_import(tmp_path):
    """The parser finds an upward import inside a function (the shape this test exists to refuse)."""
    source = "def f():\n    from studios.models import Studio\n    return Studio\n"
    rel = Path("applications/example.py")
    found = _imports(rel, ast.parse(source))
    assert found == [("studios.models", 2, "f")]
    relative = _imports(Path("applications/services/example.py"), ast.parse("from ..models import Application\n"))
    assert relative[0][0] == "applications.models"
