"""Forms: validation only (writes go through people.services)."""

from django import forms

from accounts.models import Major, User
from core.forms import BootstrapMixin, limited_char, protect_file_field
from core.uploads import UploadValidator

from .idcard import validate_id_number
from .models import Enterprise, ExternalAffiliation, Honor, HonorKind, StaffProfile, WorkPeriod
from .services import ENTERPRISE_FIELDS, HONOR_FIELDS, PROFILE_HR_FIELDS, PROFILE_OWN_FIELDS, WORK_FIELDS
from .validators import validate_record_date


class ChineseBlankMixin(BootstrapMixin):
    """Kept for the people forms; the 请选择 blank label now lives in core.forms.BootstrapMixin for every form."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _majors_field():
    return forms.ModelMultipleChoiceField(
        label="任教专业",
        queryset=Major.objects.filter(is_active=True).select_related("department"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="可多选（按住 Ctrl 键）。",
    )


class OwnProfileForm(ChineseBlankMixin, forms.ModelForm):
    """What a staff member keeps current on their own profile."""

    majors = _majors_field()

    class Meta:
        model = StaffProfile
        fields = [*PROFILE_OWN_FIELDS, "majors"]


class StaffProfileForm(ChineseBlankMixin, forms.ModelForm):
    """人事部: every field, the ID number included (shown masked; typed in full only to change it)."""

    majors = _majors_field()
    id_number = forms.CharField(
        label="身份证号码", required=False, max_length=18, help_text="留空表示不修改；已登记的号码只显示为掩码。"
    )

    class Meta:
        model = StaffProfile
        fields = [*PROFILE_HR_FIELDS, "majors"]
        widgets = {"birth_date": DateInput(), "hire_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.id_number_masked:
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.id_number_masked

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number:
            try:
                data["id_number"] = validate_id_number(number, data.get("birth_date"))
            except forms.ValidationError as exc:
                self.add_error("id_number", exc)
        return data


class WorkPeriodForm(ChineseBlankMixin, forms.ModelForm):
    class Meta:
        model = WorkPeriod
        fields = [*WORK_FIELDS, "proof"]
        widgets = {"start": DateInput(), "end": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"proof": "PDF、JPG、PNG、DOCX 或 XLSX，按文件内容检查类型。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        protect_file_field(self, "proof", url_name="people:work_proof", name_field="proof_name")


class HonorForm(ChineseBlankMixin, forms.ModelForm):
    class Meta:
        model = Honor
        fields = [*HONOR_FIELDS, "certificate"]
        widgets = {"date": DateInput()}
        help_texts = {"certificate": "须上传证书扫描件，否则该荣誉不计入资格条件。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = HonorKind.objects.filter(is_active=True)
        protect_file_field(self, "certificate", url_name="people:honor_certificate", name_field="certificate_name")


class EnterpriseForm(ChineseBlankMixin, forms.ModelForm):
    majors = forms.ModelMultipleChoiceField(
        label="合作专业", queryset=Major.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Enterprise
        fields = [*ENTERPRISE_FIELDS, "majors", "agreement_file"]
        widgets = {
            "agreement_start": DateInput(),
            "agreement_end": DateInput(),
            "influence_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        protect_file_field(
            self, "agreement_file", url_name="people:enterprise_agreement", name_field="agreement_file_name"
        )

    def clean(self):
        data = super().clean()
        if data.get("high_influence") and not (data.get("influence_reason") or "").strip():
            self.add_error("influence_reason", "评估为“具有较高行业影响力”时须填写评估理由。")
        return data


class RosterImportForm(ChineseBlankMixin, forms.Form):
    file = forms.FileField(
        label="教职工名册（Excel）",
        validators=[UploadValidator(allowed=("xlsx",))],
        help_text="请使用下载的模板（.xlsx）。任一行有误时整份名册都不会导入。",
    )


class EligibilityDateForm(ChineseBlankMixin, forms.Form):
    on = forms.DateField(label="判断日期", required=False, widget=DateInput(), validators=[validate_record_date])


class AffiliationForm(ChineseBlankMixin, forms.Form):
    user = forms.ModelChoiceField(
        label="校外人员",
        queryset=User.objects.filter(is_external=True, is_active=True, affiliation__isnull=True).order_by("username"),
        help_text="校外人员账号由管理员或人事部建立。",
    )
    position = limited_char(ExternalAffiliation, "position", label="职务/岗位", required=False)
