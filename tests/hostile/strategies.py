"""Hostile values for hypothesis: what a careless or malicious user types, pastes or scripts."""

import string

from hypothesis import strategies as st

CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f"
RTL_MARKS = ["\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2067", "\u2069", "\u061c"]
EMOJI = ["🎓", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇨🇳", "\U0001f9d1\u200d\U0001f3eb"]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "<svg/onload=alert(1)>",
    "';alert(String.fromCharCode(88,83,83))//",
]
SQLISH = [
    "' OR '1'='1",
    "1; DROP TABLE accounts_user; --",
    '" OR ""="',
    "admin'--",
    "1 UNION SELECT password FROM accounts_user",
    "%' AND 1=1 --",
    "\\'; SELECT pg_sleep(5); --",
]
CRLF = ["\r\nFORGED LOG LINE", "\nINFO forged", "%0d%0aFORGED", "\u2028FORGED", "\u0085FORGED"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=CONTROL, min_size=1, max_size=20),
    st.sampled_from(MARKUP + SQLISH + CRLF + EMOJI + RTL_MARKS),
    st.builds(lambda a, b: a + b, st.sampled_from(RTL_MARKS + EMOJI), st.text(max_size=20)),
    st.integers(min_value=1, max_value=20000).map(lambda n: "長" * n),  # overlong
    st.just(""),
    st.just(" " * 300),
    st.just("\x00"),
)
hostile_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["-1", "0", "1e309", "NaN", "inf", "-0", "0x10", "１２", "٣", "1_000", "", " 7 ", "9" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
hostile_date = st.one_of(
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "9999-12-31",
            "1900-02-29",
            "2026/01/01",
            "昨天",
            "",
            "2026-1-1T99:99",
        ]
    ),
    st.dates().map(str),
    hostile_text,
)
wrong_type_json = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.text(alphabet=string.printable, max_size=10),
)
