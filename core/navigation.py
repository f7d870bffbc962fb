"""Role-dependent navigation and the 我的工作台 inbox, both filled by the apps (see each app's apps.ready())."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import Resolver404, resolve, reverse

from core import roles as role_rules

# Side-menu groups follow the studio's life; a group with no item the person may use is not shown. Items without a
# group stand at the top (我的工作台). A group not listed here is shown after these, in registration order.
GROUPS = ("申报评审", "人员与资历", "工作室建设", "考核评估", "监督", "系统管理")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str = "circle"
    # Role codes that see the item; empty = every signed-in user.
    roles: frozenset = frozenset()
    order: int = 100
    group: str = ""
    # View names (glob patterns such as "applications:objection_*") whose pages belong to this item although their
    # URL lies under another item's prefix: the objection and approval pages belong to 公示, not to 工作室申报.
    match: tuple = ()


_NAV: list[NavItem] = []
_INBOX: list[Callable] = []


def register_nav(item: NavItem):
    if item not in _NAV:
        _NAV.append(item)
        _NAV.sort(key=lambda i: i.order)


def register_inbox(provider: Callable):
    """provider(user) -> iterable of InboxEntry: what waits for this user. An entry's count may be a queryset (not
    yet counted): inbox_for() counts all of those together in ONE statement, so 我的工作台 does not issue a COUNT per
    source; an entry whose count comes to 0 is dropped."""
    if provider not in _INBOX:
        _INBOX.append(provider)


@dataclass(frozen=True)
class InboxEntry:
    title: str
    count: int | QuerySet  # a queryset is counted by inbox_for() with the others
    url: str
    icon: str = "inbox"


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
    return match.view_name or ""


def _active_item(request, visible):
    """The one item the current page belongs to.

    1. the item whose own URL name is the page's view name;
    2. else the item declaring the page's view name in `match` (the longest, most specific pattern wins);
    3. else the item whose URL is the longest prefix of the path (/applications/reviews/ → 专家评审, not 工作室申报).
    """
    view_name = _view_name(request)
    if view_name:
        for item, _url in visible:
            if item.url_name == view_name:
                return item
        best, best_len = None, -1
        for item, _url in visible:
            for pattern in item.match:
                if fnmatchcase(view_name, pattern) and len(pattern) > best_len:
                    best, best_len = item, len(pattern)
        if best is not None:
            return best
        # A page another item claims is not lit up by prefix under a different item (e.g. an objection page for a
        # person who cannot see 公示 lights nothing rather than 工作室申报).
        if any(fnmatchcase(view_name, p) for item in _NAV for p in item.match):
            return None
    path = request.path
    matches = [(item, url) for item, url in visible if (path == url if url == "/" else path.startswith(url))]
    if matches:
        return max(matches, key=lambda pair: len(pair[1]))[0]
    return None


def navigation_for(request):
    """The side menu: [{"label": group or "", "items": [{"label", "url", "icon", "active"}…]}…], only what the
    person's roles use. Hiding an item is convenience; the views check permission themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    visible = [
        (item, reverse(item.url_name)) for item in _NAV if not item.roles or role_rules.has_role(user, *item.roles)
    ]
    active = _active_item(request, visible)
    order = {name: n for n, name in enumerate(("", *GROUPS))}
    groups: dict[str, list] = {}
    for item, url in visible:
        groups.setdefault(item.group, []).append(
            {"label": item.label, "url": url, "icon": item.icon, "active": item is active}
        )
    names = sorted(groups, key=lambda g: order.get(g, len(order)))
    return [{"label": name, "items": groups[name]} for name in names]


def flat_navigation(request):
    """The menu's items without their groups (tests, breadcrumbs)."""
    return [item for group in navigation_for(request) for item in group["items"]]


def inbox_for(user):
    entries = []
    for provider in _INBOX:
        entries.extend(provider(user))
    pending = [i for i, e in enumerate(entries) if isinstance(e.count, QuerySet)]
    if pending:
        counts = count_together([entries[i].count for i in pending])
        for i, count in zip(pending, counts, strict=True):
            entries[i] = replace(entries[i], count=count)
    return [e for e in entries if e.count]


def count_together(querysets):
    """The number of rows of each queryset, in ONE statement:
    SELECT (SELECT COUNT(*) FROM (<q0>) c0), (SELECT COUNT(*) FROM (<q1>) c1), … — each the same count as .count().
    A queryset that can match nothing (.none(), pk__in=[]) is 0 without SQL."""
    parts, params = [], []
    for n, queryset in enumerate(querysets):
        try:
            sql, sub_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) c{n})")  # noqa: S608 - compiled by the ORM, values as params
        params.extend(sub_params)
    if all(part == "0" for part in parts):
        return [0] * len(parts)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [int(n) for n in cursor.fetchone()]
