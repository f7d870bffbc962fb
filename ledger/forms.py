"""Forms of the ledger pages: validation only (the services decide and write)."""

from django import forms

from accounts.models import User
from core.forms import BootstrapMixin, limited_char

from .enums import AttachmentKind, ProjectStage, RecordStatus
from .models import Activity, MentorshipNote, ProjectStageRecord
from .services import FIELDS
from .types import TYPES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input multiple>; each is content-checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def record_form_class(model):
    fields = list(FIELDS[model._meta.model_name])

    class Meta:
        pass

    Meta.model = model
    Meta.fields = fields
    Meta.widgets = {
        f.name: DateInput()
        for f in model._meta.get_fields()
        if f.name in fields and f.get_internal_type() == "DateField"
    }

    def __init__(self, *args, studio=None, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.studio = studio
        members = studio.memberships.select_related("user").order_by("joined_on", "pk") if studio else []
        member_choices = [(m.user_id, m.user.display_name) for m in members]
        self.fields["members"] = forms.TypedMultipleChoiceField(
            label="参与成员（例会为出席成员）",
            choices=member_choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if "mentor" in self.fields:
            self.fields["mentor"] = forms.TypedChoiceField(
                label="师傅", choices=[("", "请选择"), *member_choices], coerce=int
            )
        if "apprentice_user" in self.fields:
            self.fields["apprentice_user"] = forms.TypedChoiceField(
                label="徒弟（本工作室教师）",
                choices=[("", "不是本工作室成员"), *member_choices],
                coerce=int,
                required=False,
                empty_value=None,
                help_text="徒弟是本工作室的教师时选择；学生或企业职工请填写下面的徒弟姓名。",
            )
        if "partner" in self.fields:
            self.fields["partner"].queryset = self.fields["partner"].queryset.filter(is_partner=True)
        if self.instance.pk:
            self.initial["members"] = [m.pk for m in self.instance.members.all()]
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)
            BootstrapMixin._chinese_blank(field)  # 请选择, not Django's untranslated "- Select an option -"
        self.fields["photos"] = MultipleFileField(label="现场照片（可拍照，可多选）", required=False)
        self.fields["photos"].widget.attrs["class"] = "form-control"

    def clean_mentor(self):
        value = self.cleaned_data.get("mentor")
        return User.objects.filter(pk=value).first() if value else None

    def clean_apprentice_user(self):
        value = self.cleaned_data.get("apprentice_user")
        return User.objects.filter(pk=value).first() if value else None

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}

    return type(
        f"{model.__name__}Form",
        (forms.ModelForm,),
        {
            "Meta": Meta,
            "__init__": __init__,
            "clean_mentor": clean_mentor,
            "clean_apprentice_user": clean_apprentice_user,
            "data_for_service": data_for_service,
        },
    )


FORMS = {slug: record_form_class(t.model) for slug, t in TYPES.items()}


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=[("", "请选择"), *AttachmentKind.choices])
    file = forms.FileField(label="文件（PDF、JPG、PNG、Word、Excel）")


class ReturnForm(BootstrapMixin, forms.Form):
    reason = limited_char(Activity, "return_reason", label="退回原因")


class SpotCheckForm(BootstrapMixin, forms.Form):
    note = limited_char(Activity, "spot_check_note", label="抽查意见")


class NoteForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DateInput())
    note = limited_char(MentorshipNote, "note", label="进展")


class StageForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=[("", "请选择"), *ProjectStage.choices])
    date = forms.DateField(label="日期", widget=DateInput())
    note = limited_char(ProjectStageRecord, "note", label="说明（结题评价必填）", required=False)


STATUS_CHOICES = RecordStatus.choices
