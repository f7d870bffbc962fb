from django import forms
from django.db.models.utils import get_blank_choice_label

BLANK_LABEL = "请选择"


def _default_blank(label):
    """Django's own blank-choice label ("- Select an option -" in 6.1, "---------" before): it has no Chinese
    translation, so forms replace it. A label a form set itself (全部, 不指定…) is kept."""
    return str(label) in {str(get_blank_choice_label()), "---------"}


class BootstrapMixin:
    """Give widgets Bootstrap classes (no inline styles: CSP) and label the blank choice of every select 请选择."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            self._chinese_blank(field)

    @staticmethod
    def _chinese_blank(field):
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and _default_blank(field.empty_label):
                field.empty_label = BLANK_LABEL
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and _default_blank(choices[0][1]):
                field.choices = [("", BLANK_LABEL), *choices[1:]]


def limited_char(model, field_name, **kwargs):
    """A form CharField bounded by model.field_name's max_length (the one limit, defined on the model); a
    BoundedTextField gets a Textarea unless the form passes another widget."""
    from core.fields import BoundedTextField, text_limit

    model_field = model._meta.get_field(field_name)
    if isinstance(model_field, BoundedTextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(max_length=text_limit(model, field_name), **kwargs)
