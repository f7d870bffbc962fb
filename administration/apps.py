from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """系统管理: the screens where the people who own the platform's settings do their configuration work (the Django
    admin stays a developer's tool). It sits above accounts, people and applications and calls their services."""

    name = "administration"
    verbose_name = "系统管理"

    def ready(self):
        from dataclasses import fields

        from core.navigation import NavItem, register_nav

        from .access import SECTIONS

        # The side menu groups items when NavItem has a group (the shell's grouped menu); plain items otherwise.
        grouped = {"group": "系统管理"} if "group" in {f.name for f in fields(NavItem)} else {}
        for order, section in enumerate(SECTIONS.values(), start=100):
            register_nav(
                NavItem(section.label, section.url_name, section.icon, frozenset(section.roles), order=order, **grouped)
            )
