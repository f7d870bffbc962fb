"""Registries that later apps fill to extend the studio page (工作室主页) and the 责任书, without studios importing them.

Arrows point one way (later stage → studios): the ledger and plans apps call these functions from their
AppConfig.ready(); studios never imports them.

- register_panel(key, title, template, context, order): a section of the studio page. `context(studio, user)` returns
  the template's context dict, or None to leave the panel out (e.g. nothing to show to this user). It must issue a
  bounded number of SQL statements whatever the studio's history (aggregates and LIMITs in SQL): the whole page stays
  at ≤ 12 statements (studios/tests/test_page.py counts them).
- register_open_tasks(fn): `fn(studio, user) -> list[Task]`, the studio's open tasks (待办) shown at the top of the
  page (unsigned 责任书 here; plan not submitted, records waiting for the department from later apps). Same rule.
- register_letter_targets(fn): `fn(studio) -> list[str] | None`, the targets the 责任书 quotes from the construction
  plan (建设方案). Until an app registers one, or when it returns None, the letter says 「以建设方案为准」.
- register_list_badge(key, label, expression, text): a badge beside the studio's name in the studios list and a column
  of the list's Excel (header `label`). `expression()` is a query expression annotated on every row (a correlated
  subquery: no statement per row, the list's SQL count stays the same); `text(value)` turns a non-empty value into the
  badge's Chinese text. E.g. evaluation's 「2025年度优秀·重点扶持」.
- page_memo(studio, key, fn): what a panel and an open-task provider of the same app both need is read once per page
  (e.g. the ledger's status counts and recent records in one statement). The memo lives on the studio instance the
  view loaded for this request, so it never outlives the request and never shows stale data.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: object  # callable(studio, user) -> dict | None
    order: int = 100


@dataclass(frozen=True)
class Task:
    """One open task on a studio: what is to be done (Chinese), a link to do it, red when overdue or urgent."""

    title: str
    url: str = ""
    urgent: bool = False


_PANELS: dict[str, Panel] = {}
_TASK_PROVIDERS: list = []
_LETTER_TARGETS: list = []
_LIST_BADGES: dict = {}


@dataclass(frozen=True)
class ListBadge:
    key: str
    label: str
    expression: object  # callable() -> query expression annotated on each studio row; NULL/empty: no badge
    text: object  # callable(value) -> the badge's text


def register_list_badge(key, label, expression, text):
    """Add (or replace, by key) a badge of the studios list; see the module docstring."""
    _LIST_BADGES[key] = ListBadge(key=key, label=label, expression=expression, text=text)


def _attr(badge):
    return f"list_badge_{badge.key}"


def with_list_badges(queryset):
    """The studios queryset with every registered badge's value annotated."""
    return queryset.annotate(**{_attr(b): b.expression() for b in _LIST_BADGES.values()})


def list_badges(studio):
    """The badge texts of one annotated row (with_list_badges), in registration order."""
    values = ((b, getattr(studio, _attr(b), None)) for b in _LIST_BADGES.values())
    return [b.text(value) for b, value in values if value not in (None, "")]


def list_badge_columns(header, data, rows):
    """The list's Excel rows with one column per registered badge (its text, or empty)."""
    badges = list(_LIST_BADGES.values())
    header = [*header, *(b.label for b in badges)]
    for cells, row in zip(data, rows, strict=True):
        for b in badges:
            value = getattr(row, _attr(b), None)
            cells.append("" if value in (None, "") else b.text(value))
    return header, data


def register_panel(key, title, template, context, order=100):
    """Add (or replace, by key — ready() may run twice in tests) a panel of the studio page."""
    panel = Panel(key=key, title=title, template=template, context=context, order=order)
    _PANELS[key] = panel
    return panel


def register_open_tasks(fn):
    if fn not in _TASK_PROVIDERS:
        _TASK_PROVIDERS.append(fn)
    return fn


def register_letter_targets(fn):
    """One provider (the plans app); a second registration replaces the first."""
    _LETTER_TARGETS[:] = [fn]
    return fn


def page_memo(studio, key, fn):
    """fn() once per studio instance (one page request); later calls with the same key return the same value."""
    memo = studio.__dict__.setdefault("_page_memo", {})
    if key not in memo:
        memo[key] = fn()
    return memo[key]


def panels_for(studio, user):
    """[(panel, context)] in order, leaving out panels whose context is None."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(studio, user)
        if context is not None:
            shown.append((panel, context))
    return shown


def open_tasks(studio, user):
    tasks = []
    for provider in _TASK_PROVIDERS:
        tasks.extend(provider(studio, user) or [])
    return tasks


def letter_targets(studio):
    """The construction plan's targets for the 责任书, or None (「以建设方案为准」)."""
    if not _LETTER_TARGETS:
        return None
    return _LETTER_TARGETS[0](studio) or None
