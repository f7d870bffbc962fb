from django import template

from ..balances import fen

register = template.Library()


@register.filter
def yuan(value):
    """An amount to the fen, exact (Decimal formatting, never through float): 1234.5 → "1234.50"."""
    if value is None or value == "":
        return ""
    return f"{fen(value):.2f}"
