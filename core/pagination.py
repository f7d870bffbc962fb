"""Pagination shared by the apps' API routers."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class BoundedPagination(LimitOffsetPagination):
    """limit 1–100, offset bounded: a huge number is a 422 with a message, not a database overflow (500)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=10_000_000)
