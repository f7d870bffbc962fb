from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.actions import action_label as label_of_action

register = template.Library()


@register.simple_tag
def department_options(departments, selected):
    """The <option>s of a 系部 filter, built in Python: a city-wide instance lists hundreds of departments and a
    template loop with a comparison per option was the largest cost of the list pages at that size (make bench)."""
    selected = str(selected or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, mark_safe(" selected") if str(pk) == selected else "", name)  # noqa: S308 - a constant
            for pk, name in departments.values_list("pk", "name")
        ),
    )


@register.filter
def action_label(code):
    """Chinese label of an audit action code (core.actions); the code itself is never shown."""
    return label_of_action(code)
