"""Forms of the 系统管理 screens: validation only; the writes go through the owning apps' services."""

from django import forms

from accounts.enums import Role
from accounts.models import Department, Major, User, phone_validator, staff_no_validator
from applications.models import Rubric, RubricCriterion, WorkdayOverride
from applications.services.settings import CRITERION_FIELDS, OVERRIDE_FIELDS, RUBRIC_FIELDS
from core.forms import BootstrapMixin
from people.models import HonorKind, PolicyVersion
from people.services import HONOR_KIND_FIELDS, POLICY_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _single_line(value):
    if any(ord(ch) < 32 for ch in value):
        raise forms.ValidationError("内容包含不可见的控制字符，请删除后重试。")
    return value


class SettingsFormMixin(BootstrapMixin):
    """Bootstrap classes, and no control characters in any text (a NUL is refused by PostgreSQL; CR/LF would break a
    name into e-mail headers): a clear message instead of a stored oddity or a 500."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
                self.add_error(name if name in self.fields else None, "内容包含不可见的控制字符，请删除后重试。")
        return data


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="工号或姓名", required=False, max_length=50)
    department = forms.ModelChoiceField(
        label="系部", queryset=Department.objects.filter(is_active=True), required=False, empty_label="全部系部"
    )
    role = forms.ChoiceField(label="角色", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), ("active", "启用"), ("inactive", "停用")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "全部角色"), *[(r.value, r.label) for r in Role if r != Role.STAFF]]
        for field in self.fields.values():  # the filter row has no visible labels
            field.widget.attrs["aria-label"] = field.label
        self.fields["q"].widget.attrs["placeholder"] = "工号或姓名"
        self.fields["q"].widget.input_type = "search"

    def clean_q(self):
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable()).strip()


class UserCreateForm(SettingsFormMixin, forms.Form):
    username = forms.CharField(
        label="工号", max_length=32, validators=[staff_no_validator], help_text="登录账号；校外人员可用手机号等。"
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    is_external = forms.BooleanField(label="校外人员（合作企业人员、校外专家）", required=False)
    department = forms.ModelChoiceField(
        label="所属系部", queryset=Department.objects.filter(is_active=True), required=False
    )
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    phone = forms.CharField(label="电话", required=False, max_length=20, validators=[phone_validator])

    def __init__(self, *args, external_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.external_only = external_only
        if external_only:
            del self.fields["is_external"]
            del self.fields["department"]

    def clean_display_name(self):
        name = _single_line(self.cleaned_data["display_name"]).strip()
        if not name:
            raise forms.ValidationError("请填写姓名。")
        return name

    def clean(self):
        data = super().clean()
        if self.external_only:
            data["is_external"], data["department"] = True, None
        elif data.get("is_external") and data.get("department"):
            self.add_error("department", "校外人员不属于校内系部，请留空。")
        return data


class RoleGrantForm(SettingsFormMixin, forms.Form):
    role = forms.ChoiceField(label="角色")
    department = forms.ModelChoiceField(
        label="负责系部",
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text="仅「系（部）主任」需要选择。",
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "请选择"), *[(r.value, r.label) for r in Role if r in roles]]

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.DEPT_HEAD and not data.get("department"):
            self.add_error("department", "系（部）主任必须指定负责的系部。")
        return data


class ExpertAddForm(SettingsFormMixin, forms.Form):
    username = forms.CharField(label="工号", max_length=32, help_text="输入要加入专家库的人员工号（校内外均可）。")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError("没有该工号的启用账户。")
        return user


class PolicyVersionForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = list(POLICY_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class RubricForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = Rubric
        fields = list(RUBRIC_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CriterionForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = RubricCriterion
        fields = list(CRITERION_FIELDS)
        help_texts = {
            "code": "英文字母、数字或下划线，评分表按代码保存分数。",
            "weight": "大于 0；总分按权重加权折算为百分制。",
        }

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError("权重必须大于 0。")
        return weight


class WorkdayOverrideForm(SettingsFormMixin, forms.ModelForm):
    is_workday = forms.TypedChoiceField(
        label="这一天是",
        choices=[("1", "工作日（调休上班）"), ("0", "休息日（放假）")],
        coerce=lambda v: v == "1",
    )

    class Meta:
        model = WorkdayOverride
        fields = list(OVERRIDE_FIELDS)
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["is_workday"] = "1" if self.instance.is_workday else "0"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError("请输入 2000—2100 年之间的日期。")
        return day

    def clean_reason(self):
        reason = _single_line(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("请填写说明，如：国务院办公厅通知的国庆调休。")
        return reason


class DepartmentForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "code", "is_active"]


class MajorForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = Major
        fields = ["department", "name", "code", "is_active"]


class HonorKindForm(SettingsFormMixin, forms.ModelForm):
    class Meta:
        model = HonorKind
        fields = list(HONOR_KIND_FIELDS)
        help_texts = {"code": "英文字母、数字、-或_，建立后不能修改。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
