"""Pagination shared by the apps: bounded API pagination and HTML list pages without unbounded COUNT(*)."""

from django.core.paginator import Paginator
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class BoundedPagination(LimitOffsetPagination):
    """limit 1–100, offset bounded: a huge number is a 422 with a message, not a database overflow (500)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=10_000_000)


MAX_PAGE = 1_000_000


class CappedPaginator(Paginator):
    """A paginator whose COUNT stops early: it counts over a LIMITed subquery, only as far as the requested page
    needs (and at least `cap` rows), so a list page costs the same on a hundred rows or a hundred thousand.

    `capped` is True when more rows exist than were counted; the template then shows "共 N+ 页". Deep pages stay
    reachable (the count extends with the page asked for), but nobody pays for an exact total of a big table.
    """

    def __init__(self, object_list, per_page, *, cap=1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False
        self._wanted_page = 1

    def get_page(self, number):
        try:
            # Clamped: a 200-digit ?page= must not become a LIMIT the database cannot hold (a 500 on SQLite).
            self._wanted_page = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError, OverflowError):
            self._wanted_page = 1
        return super().get_page(number)

    @cached_property
    def count(self):
        limit = max(self.cap, (self._wanted_page + 1) * self.per_page)
        # Without ORDER BY: how many rows exist up to the limit does not depend on their order, and sorting a big
        # table only to count its first rows was most of the count's cost.
        rows = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        if _plain_model_queryset(rows):
            # Only the key in the counted subquery: a list's annotations (a name for display, a date read through a
            # LEFT JOIN) are not computed for a thousand rows nobody sees, and their joins can be dropped by the planner.
            rows = rows.values("pk")
        counted = (
            rows[: limit + 1].count() if hasattr(rows, "count") and hasattr(rows, "query") else len(rows[: limit + 1])
        )
        self.capped = counted > limit
        return min(counted, limit)


def _plain_model_queryset(rows):
    """A QuerySet of model instances without GROUP BY: reducing its SELECT list to the key keeps its row count."""
    query = getattr(rows, "query", None)
    return (
        query is not None
        and getattr(rows, "_fields", None) is None
        and getattr(rows, "_iterable_class", None) is ModelIterable
        and query.group_by is None
        and not query.combinator
        and not query.distinct_fields
    )
