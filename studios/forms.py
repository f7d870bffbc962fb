"""Forms of the studio pages: validation only; the writes happen in studios/services.py."""

import re

from django import forms

from accounts.models import Department, User
from core.forms import BootstrapMixin, limited_char
from people.enums import StudioMode
from people.models import Enterprise

from .enums import MembershipRole
from .models import Membership, ResponsibilityLetterTemplate, Studio, StudioException
from .picker import picker_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


SEPARATORS = r"[、,，;；\s]+"


class PickerSelect(forms.Select):
    """A select of 工号 enhanced by the member picker (tom-select, static/js/member-picker.js; searched through
    studios/picker.py): only the chosen people are rendered as options, each as 「姓名（工号，系部）」. The field stays
    a 工号 text: a multiple picker submits its 工号 joined by 、 (what UsernamesField parses)."""

    def __init__(self, attrs=None, multiple=False):
        super().__init__({"data-member-picker": "1", **(attrs or {})})
        self.allow_multiple_selected = multiple

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected and hasattr(data, "getlist"):
            return "、".join(v for v in data.getlist(name) if v)
        return data.get(name)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return [str(v) for v in value if v]
        return [n for n in re.split(SEPARATORS, str(value or "")) if n][:100]

    def optgroups(self, name, value, attrs=None):
        # a redisplayed form may hold what was posted: a 工号 never has control characters (PostgreSQL refuses NUL)
        value = [n for n in value if n.isprintable()][:100]
        if not value:
            return []
        users = {u.username.lower(): u for u in User.objects.filter(username__in=value).select_related("department")}
        return [
            (
                None,
                [self.create_option(name, n, picker_label(users[n.lower()]) if n.lower() in users else n, True, i)],
                i,
            )
            for i, n in enumerate(value)
        ]


def _user_by_username(value, label):
    value = (value or "").strip()
    user = User.objects.filter(username__iexact=value).first() if value and value.isprintable() else None
    if user is None:
        raise forms.ValidationError(f"{label}「{value}」不存在，请填写正确的工号/账号。")
    return user


class UsernamesField(forms.CharField):
    """工号 separated by 、 , ; or spaces → [User]; unknown ones are named."""

    def clean(self, value):
        value = super().clean(value)
        names = [n for n in re.split(SEPARATORS, value or "") if n]
        if len(names) > 100:
            raise forms.ValidationError("一次最多填写100个工号。")
        users = {u.username.lower(): u for u in User.objects.filter(username__in=names).select_related("department")}
        missing = [n for n in names if n.lower() not in users]
        if missing:
            raise forms.ValidationError(f"以下工号不存在：{'、'.join(missing)}")
        return [users[n.lower()] for n in names]


class RegistrationForm(BootstrapMixin, forms.Form):
    official_name = limited_char(Studio, "official_name", label="工作室名称", help_text="如“数控加工技能大师工作室”")
    document_number = limited_char(Studio, "document_number", label="认定文号")
    approved_on = forms.DateField(label="认定日期", widget=DateInput())
    master = forms.CharField(
        label="技能大师", max_length=150, widget=PickerSelect(), help_text="输入姓名、工号或系部查找。"
    )
    department = forms.ModelChoiceField(label="所在系部", queryset=Department.objects.filter(is_active=True))
    mode = forms.ChoiceField(label="设立方式", choices=StudioMode.choices)
    venue_school = limited_char(Studio, "venue_school", label="校内主场地", required=False)
    partner_enterprise = forms.ModelChoiceField(
        label="合作企业（校企联办）", queryset=Enterprise.objects.filter(is_partner=True), required=False
    )
    venue_partner = limited_char(Studio, "venue_partner", label="合作企业场地说明", required=False)
    core_members = UsernamesField(
        label="骨干教师",
        max_length=2000,
        widget=PickerSelect(multiple=True),
        help_text="不少于3人；可选校外合作企业人员。输入姓名、工号或系部查找。",
    )
    other_members = UsernamesField(
        label="其他成员",
        max_length=2000,
        required=False,
        widget=PickerSelect(multiple=True),
        help_text="输入姓名、工号或系部查找。",
    )

    def clean_master(self):
        return _user_by_username(self.cleaned_data.get("master"), "技能大师工号")


class AddMemberForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label="成员", max_length=150, widget=PickerSelect(), help_text="输入姓名、工号或系部查找。"
    )
    role = forms.ChoiceField(label="角色", choices=[(MembershipRole.CORE, "骨干教师"), (MembershipRole.MEMBER, "成员")])
    joined_on = forms.DateField(label="加入日期", widget=DateInput(), required=False, help_text="不填为今天")
    reason = limited_char(Membership, "join_reason", label="加入原因", required=False)

    def clean_username(self):
        return _user_by_username(self.cleaned_data.get("username"), "工号")


class RemoveMemberForm(BootstrapMixin, forms.Form):
    left_on = forms.DateField(label="退出日期", widget=DateInput(), required=False, help_text="不填为今天")
    reason = limited_char(Membership, "leave_reason", label="退出原因")


class ContactsForm(BootstrapMixin, forms.Form):
    exec_lead = forms.ModelChoiceField(label="执行负责人", queryset=Membership.objects.none(), required=False)
    contact = forms.ModelChoiceField(label="联系人", queryset=Membership.objects.none(), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in members]
        labels = {m.pk: f"{m.user.display_name}（{m.get_role_display()}）" for m in members}
        for name in ("exec_lead", "contact"):
            field = self.fields[name]
            field.queryset = Membership.objects.filter(pk__in=ids)
            field.choices = [("", "未指定"), *((pk, labels[pk]) for pk in ids)]


class ExceptionForm(BootstrapMixin, forms.Form):
    reason = limited_char(StudioException, "reason", label="原因")
    deadline = forms.DateField(label="整改期限", widget=DateInput())


class ResolveExceptionForm(BootstrapMixin, forms.Form):
    resolution = limited_char(StudioException, "resolution", label="解除说明", required=False)


class LetterTemplateForm(BootstrapMixin, forms.Form):
    school_duties = limited_char(
        ResponsibilityLetterTemplate, "school_duties", label="学校职责", widget=forms.Textarea(attrs={"rows": 8})
    )
    studio_duties = limited_char(
        ResponsibilityLetterTemplate, "studio_duties", label="工作室职责", widget=forms.Textarea(attrs={"rows": 8})
    )
    term_years = forms.IntegerField(label="责任期（年）", min_value=1, max_value=10)


class SignLetterForm(BootstrapMixin, forms.Form):
    signed_on = forms.DateField(label="签订日期", widget=DateInput())
    file = forms.FileField(label="签字盖章扫描件（PDF/JPG/PNG）")


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
