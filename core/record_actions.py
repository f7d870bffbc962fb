"""Buttons on a record's page that belong to an app above the record's own: `{% record_actions obj %}`
(core/templatetags/record_tags.py) asks every registered provider for its actions on `obj`.

core imports nothing above it: a later app (oversight: 「添加监督意见」) registers a provider from its AppConfig.ready().
A provider is `provider(request, obj) -> iterable of RecordAction`; it decides itself whether the person sees anything
and must keep its cost to at most one query per page (none when it shows nothing).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordAction:
    label: str
    url: str
    icon: str = ""
    # "button" (a Bootstrap outline button) or "link" (a small text link beside the buttons)
    kind: str = "button"
    testid: str = ""


_PROVIDERS: list[Callable] = []


def register_record_actions(provider: Callable):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def record_actions_for(request, obj):
    if obj is None or request is None:
        return []
    actions = []
    for provider in _PROVIDERS:
        actions.extend(provider(request, obj))
    return actions
