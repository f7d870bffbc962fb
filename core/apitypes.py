"""Types for API schemas (django-ninja / pydantic): every text and id an API operation accepts uses one of these.

- `Id`: a database id, 1 … 2**63-1 (a larger number overflowed the database integer: a 500 on SQLite).
- `IdList`: a list of such ids, at most MAX_IDS_PER_LIST of them.
- `model_text(Model, "field")`: a string bounded by the model field's own max_length, without NUL (PostgreSQL refuses
  NUL in text: a 500). The limit is read from the model, never retyped.
- `text(max_length)`: the same for a value that is not stored in one model field (a choice code, a search word).

tests/hostile/test_api_limits.py walks /api/v1/openapi.json and fails for a request string without maxLength or an
integer id without bounds, then sends each operation over-long text, huge ids and NUL.
"""

from typing import Annotated

from pydantic import AfterValidator, Field

from core.fields import text_limit
from core.search import MAX_ID

MAX_IDS_PER_LIST = 500


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("文本中不能包含空字符（NUL）。")
    return value


def text(max_length: int, *, min_length: int = 0):
    """A string of at most max_length characters (OpenAPI maxLength), never containing NUL."""
    return Annotated[str, Field(max_length=max_length, min_length=min_length), AfterValidator(_no_nul)]


def model_text(model, field_name: str, *, min_length: int = 0):
    """A string bounded by model.field_name's max_length (the one limit, defined on the model)."""
    return text(text_limit(model, field_name), min_length=min_length)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdList = Annotated[list[Id], Field(max_length=MAX_IDS_PER_LIST)]
# Short codes (states, choices, kinds) that are checked against their enum by the service.
Code = text(40)
