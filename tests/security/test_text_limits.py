"""Defect 6 (issue 8): every text field of the project has ONE limit, defined on the model, and every form text
field is bounded (forms take the model's number with core.forms.limited_char; the API with core.apitypes, checked by
tests/hostile/test_api_limits.py)."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models

# Written only by the platform itself, never from a form or the API.
SYSTEM_TEXT = {
    ("core", "AuditEvent", "note"),  # append-only hash-chained log: messages composed by services
    ("people", "StaffProfile", "id_number_encrypted"),  # ciphertext
}


def test_every_text_field_of_a_model_has_a_limit():
    missing = []
    for app in settings.PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, (models.CharField, models.TextField)):
                    continue
                if (app, model.__name__, field.name) in SYSTEM_TEXT or model.__name__.startswith("Historical"):
                    continue
                if not field.max_length:
                    missing.append(f"{app}.{model.__name__}.{field.name}")
                elif isinstance(field, models.TextField):
                    limits = [v.limit_value for v in field.validators if type(v).__name__ == "MaxLengthValidator"]
                    if limits != [field.max_length]:
                        missing.append(
                            f"{app}.{model.__name__}.{field.name} (max_length not validated: use BoundedTextField)"
                        )
    assert not missing, "text fields without a limit:\n" + "\n".join(missing)


def _form_classes():
    for app in settings.PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


# Password fields are bounded by the password validators and hashed, never stored as typed.
UNBOUNDED_OK = {"password", "old_password", "new_password1", "new_password2", "password1", "password2"}


def test_every_form_text_field_is_bounded():
    found = list(_form_classes())
    assert len(found) > 10
    missing = []
    for cls in found:
        for name, field in cls.base_fields.items():
            if type(field) is forms.CharField and field.max_length is None and name not in UNBOUNDED_OK:
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not missing, "form text fields without max_length (use core.forms.limited_char):\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "form_path, field, model_path, model_field",
    [
        ("applications.forms.DraftForm", "work_plan", "applications.Application", "work_plan"),
        ("applications.forms.ObjectionForm", "content", "applications.Objection", "content"),
        ("applications.forms.TransitionForm", "note", "core.StatusChange", "note"),
        ("applications.forms.DisqualifyForm", "reason", "applications.Application", "disqualify_reason"),
    ],
)
def test_forms_take_the_limit_from_the_model(form_path, field, model_path, model_field):
    module, name = form_path.rsplit(".", 1)
    form = getattr(importlib.import_module(module), name)
    model = apps.get_model(model_path)
    assert form.base_fields[field].max_length == model._meta.get_field(model_field).max_length
