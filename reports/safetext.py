"""Text filters every generated document applies to what users typed.

Bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069) typed into a name or note reorder the text
around them: a date printed after them reads reversed in a PDF. Documents strip them (the HTML of a PDF as a whole,
the context of a docx, every xlsx cell), so user text cannot change how the rest of the line reads.
"""

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


def clean_context(value):
    """The same for every string of a document context (dicts, lists, tuples); other values are kept."""
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, dict):
        return {k: clean_context(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_context(v) for v in value)
    return value
