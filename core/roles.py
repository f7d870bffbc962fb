"""The role questions core asks, answered by the app that owns roles.

core sits below accounts (docs/architecture.md, "Layers") and never imports it. The workflow helper and the side menu
still need four answers about a person: does he hold one of these roles, is he read-only (纪检办, 校领导) and with
what message, which roles are read-only, how does a role read in Chinese. accounts installs them from its
AppConfig.ready() with install(), the way later apps fill the navigation and inbox registries.

Until install() runs nobody holds a role and nobody is read-only: a menu item or a move that needs a role is refused.
Machines built before install() (at model import time) are checked for read-only roles when it runs.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RoleRules:
    has_role: Callable  # (user, *roles) -> bool
    is_read_only: Callable  # (user) -> bool
    read_only_message: str
    read_only_roles: frozenset
    role_label: Callable  # (role code) -> Chinese label


def _no_role(user, *roles):
    return False


NO_ROLES = RoleRules(
    has_role=_no_role,
    is_read_only=lambda user: False,
    read_only_message="",
    read_only_roles=frozenset(),
    role_label=str,
)
_rules = NO_ROLES
_on_install: list[Callable] = []


def install(rules: RoleRules):
    """Called once by accounts' AppConfig.ready()."""
    global _rules
    _rules = rules
    for callback in _on_install:
        callback(rules)


def on_install(callback):
    """Run callback(rules) now if the rules are installed, and again whenever install() runs."""
    _on_install.append(callback)
    if _rules is not NO_ROLES:
        callback(_rules)


def rules() -> RoleRules:
    return _rules


def has_role(user, *roles) -> bool:
    return _rules.has_role(user, *roles)


def is_read_only(user) -> bool:
    return _rules.is_read_only(user)
