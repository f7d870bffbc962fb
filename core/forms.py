from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.utils import get_blank_choice_label
from django.shortcuts import redirect

from core.fields import BoundedTextField, text_limit
from core.workflow import WorkflowError

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
    model_field = model._meta.get_field(field_name)
    if isinstance(model_field, BoundedTextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(max_length=text_limit(model, field_name), **kwargs)


class DecisionForm(BootstrapMixin, forms.Form):
    """One opinion box for a decision (issue 9 item 4): the choice among the moves the person may make now, one reason
    box, and the confirmation of an irreversible choice. Render it with partials/decision_box.html.

    choices:          [(target, label)] — only what the person may do now (from the workflow table)
    reason_required:  targets whose reason is required (negative or final decisions). The form says so beside the
                      box; the workflow (core.workflow.Move.reason_required) refuses them without one as well.
    irreversible:     targets that need a confirmation (static/js/confirm.js opens a dialog; without JavaScript the
                      view answers with the confirmation page, core/confirm.html). `needs_confirmation()` tells the
                      view, which must not act until the form comes back with confirmed=1.
    Fields keep the names the transition views already take: `target`, `note`, `confirmed`.
    """

    target = forms.ChoiceField(
        label="办理意见", widget=forms.RadioSelect, error_messages={"required": "请选择办理意见。"}
    )
    # bounded here; a form whose reason is stored in a model field passes that field's limit (note_max_length)
    note = forms.CharField(label="理由/意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    confirmed = forms.CharField(required=False, max_length=1, widget=forms.HiddenInput)

    def __init__(self, *args, choices, reason_required=(), irreversible=(), note_max_length=2000, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(choices)
        if note_max_length != self.fields["note"].max_length:
            self.fields["note"].max_length = note_max_length
            self.fields["note"].widget.attrs["maxlength"] = str(note_max_length)
            self.fields["note"].validators = [_max_length_validator(note_max_length)]
        self.reason_required = frozenset(str(t) for t in reason_required)
        self.irreversible = frozenset(str(t) for t in irreversible)
        self.labels = {str(value): str(label) for value, label in self.fields["target"].choices}

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target in self.reason_required and not (data.get("note") or "").strip():
            self.add_error("note", f"请填写「{self.labels.get(target, target)}」的理由。")
        return data

    def needs_confirmation(self):
        """True when the (valid) choice is irreversible and the person has not confirmed it yet."""
        return self.cleaned_data.get("target") in self.irreversible and self.cleaned_data.get("confirmed") != "1"

    def choice_label(self):
        return self.labels.get(self.cleaned_data.get("target"), "")

    # for the template: which choices need a reason / a confirmation (data attributes read by confirm.js)
    def reason_required_list(self):
        return " ".join(sorted(self.reason_required))

    def irreversible_list(self):
        return " ".join(sorted(self.irreversible))

    def reason_required_labels(self):
        return "、".join(f"「{label}」" for value, label in self.labels.items() if value in self.reason_required)

    def irreversible_labels(self):
        return "」「".join(label for value, label in self.labels.items() if value in self.irreversible)


def _max_length_validator(limit):
    from django.core.validators import MaxLengthValidator

    return MaxLengthValidator(limit, message=f"不能超过 {limit} 字。")


class ProtectedFileInput(forms.ClearableFileInput):
    """A file input for files kept outside any public URL (core/uploads.py): the current file is named by its
    original name and links to the permission-checked download view — Django's widget printed the raw storage path
    and linked to MEDIA_URL, a 404 (issue 9 item 7). The form sets `download_url` and `file_name` for its instance."""

    template_name = "core/widgets/protected_file_input.html"

    def __init__(self, attrs=None, *, download_url="", file_name=""):
        super().__init__(attrs)
        self.download_url = download_url
        self.file_name = file_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        context["widget"]["file_name"] = self.file_name or "已上传的文件"
        return context


def protect_file_field(form, field_name, *, url_name, name_field):
    """Give `form.fields[field_name]` a ProtectedFileInput pointing at the download view `url_name` of the form's
    instance (args [pk]) and showing its `name_field` (the original file name)."""
    from django.urls import reverse

    instance = getattr(form, "instance", None)
    field = form.fields[field_name]
    widget = ProtectedFileInput(attrs=field.widget.attrs)
    if instance is not None and instance.pk and getattr(instance, field_name):
        widget.download_url = reverse(url_name, args=[instance.pk])
        widget.file_name = getattr(instance, name_field, "") or ""
    field.widget = widget


def form_errors(form):
    """A bound, invalid form's errors as one ValidationError (for a view that turns it into a message): each message
    led by its field's label, so 「金额：请输入数字」 says which box is wrong."""
    return ValidationError(
        [f"{form.fields[k].label}：{e}" if k in form.fields else e for k, es in form.errors.items() for e in es]
    )


def refusal_text(exc):
    """A refused write (ValidationError or core.workflow.WorkflowError) as one Chinese message for the page:
    the workflow's own sentence, or every validation message joined with 「；」."""
    if isinstance(exc, WorkflowError):
        return exc.message
    if hasattr(exc, "message_dict"):
        return "；".join(m for ms in exc.message_dict.values() for m in ms)
    return "；".join(getattr(exc, "messages", [str(exc)]))


def run_service(request, call, success, back):
    """A page's POST handler body: call the service (`call()`); a refusal (ValidationError, WorkflowError) becomes the
    page's error message and changes nothing, otherwise `success` — or, when it is None, what call() returned — is the
    success message. Redirects to `back` either way (PermissionDenied passes through: a 403 page)."""
    try:
        result = call()
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        message = result if success is None else success
        if message:
            messages.success(request, message)
    return redirect(back)


def clean_text(value, field, label, *, required=True, max_length=1000):
    """A service's free-text argument, stripped: refused (a Chinese message on `field`) when it holds a control
    character, is empty while `required`, or is longer than `max_length`. A non-text value is taken as its str()."""
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise ValidationError({field: f"「{label}」包含不可见的控制字符，请删除后重试。"})
    if required and not value:
        raise ValidationError({field: f"请填写「{label}」。"})
    if len(value) > max_length:
        raise ValidationError({field: f"「{label}」最多 {max_length} 个字。"})
    return value
