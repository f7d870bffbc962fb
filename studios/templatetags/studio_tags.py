"""Template filters of the studios app."""

from django import template

from studios.panels import list_badges as _list_badges

register = template.Library()


@register.filter
def list_badges(studio):
    """The badges later apps registered (studios.panels.register_list_badge) for one row of the studios list."""
    return _list_badges(studio)
