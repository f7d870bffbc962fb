"""Role-dependent navigation and the 我的工作台 inbox, both filled by the apps (see each app's apps.ready())."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str = "circle"
    # Role codes that see the item; empty = every signed-in user.
    roles: frozenset = frozenset()
    order: int = 100


_NAV: list[NavItem] = []
_INBOX: list[Callable] = []


def register_nav(item: NavItem):
    if item not in _NAV:
        _NAV.append(item)
        _NAV.sort(key=lambda i: i.order)


def register_inbox(provider: Callable):
    """provider(user) -> iterable of InboxEntry: what waits for this user."""
    if provider not in _INBOX:
        _INBOX.append(provider)


@dataclass(frozen=True)
class InboxEntry:
    title: str
    count: int
    url: str
    icon: str = "inbox"


def navigation_for(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    from accounts.permissions import has_role

    items = []
    for item in _NAV:
        if item.roles and not has_role(user, *item.roles):
            continue
        items.append({"label": item.label, "url": reverse(item.url_name), "icon": item.icon, "active": False})
    # Only the item whose URL is the longest prefix of the page is active (/applications/reviews/ lights up 专家评审,
    # not 工作室申报 as well).
    path = request.path
    matches = [i for i in items if (path == i["url"] if i["url"] == "/" else path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items


def inbox_for(user):
    entries = []
    for provider in _INBOX:
        entries.extend(provider(user))
    return [e for e in entries if e.count]
