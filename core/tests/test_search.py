import pytest
from django.test import RequestFactory

from core.search import MAX_ID, id_param, search_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
    ],
)
def test_id_param(raw, expected):
    assert id_param(raw) == expected


def test_search_text_drops_control_characters_and_bounds_length():
    request = RequestFactory().get("/", {"q": "数控\x00车工\r\n" + "x" * 100})
    value = search_text(request)
    assert value.startswith("数控车工") and "\x00" not in value and "\n" not in value
    assert len(value) == 50
