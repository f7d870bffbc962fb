"""Model fields with ONE length limit, read by model validation, forms and API schemas alike.

A text field's limit is defined once, on the model: `CharField(max_length=…)` or `BoundedTextField(max_length=…)`.
Forms take it with `core.forms.limited_char(Model, "field", …)`, API schemas with `core.apitypes.model_text(Model,
"field")`; nobody retypes the number. tests/security/test_text_limits.py checks that every text field of the project
has a limit and that every form and API text input is bounded.
"""

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models


class BoundedTextField(models.TextField):
    """A multi-line text (a Textarea in forms) with a required max_length that model validation enforces too
    (Django's TextField only passes max_length to the form widget)."""

    def __init__(self, *args, max_length=None, **kwargs):
        if not max_length or max_length < 1:
            raise TypeError("BoundedTextField needs max_length.")
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.extend([MaxLengthValidator(max_length), ProhibitNullCharactersValidator()])


def text_limit(model, field_name):
    """The max_length of model.field_name (CharField or BoundedTextField); a field without one is a programming
    error, caught at import time."""
    limit = model._meta.get_field(field_name).max_length
    if not limit:
        raise TypeError(f"{model.__name__}.{field_name} has no max_length.")
    return limit
