"""{% record_actions obj %}: the buttons later apps add to a record's page (core.record_actions)."""

from django import template

from core.record_actions import record_actions_for

register = template.Library()


@register.inclusion_tag("core/_record_actions.html", takes_context=True)
def record_actions(context, obj):
    return {"actions": record_actions_for(context.get("request"), obj)}
