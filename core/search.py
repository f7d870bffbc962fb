def search_text(request, name="q", max_length=50) -> str:
    """A search box value fit for any database: no control characters (PostgreSQL refuses NUL), bounded length."""
    return "".join(ch for ch in (request.GET.get(name) or "") if ch.isprintable()).strip()[:max_length]


MAX_ID = 2**63 - 1


def id_param(value):
    """A positive database id from a query/form value, else None (no 500 on '²', '-1' or a 30-digit number)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
