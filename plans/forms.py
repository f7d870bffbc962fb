from django import forms

from core.forms import limited_char

from .enums import PlanKind, PlanStatus
from .models import Plan, PlanTask

YEAR_FIELD = {"min_value": 2000, "max_value": 2100}


class PlanCreateForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PlanKind.choices)
    year = forms.IntegerField(label="年度（建设方案为起始年度）", **YEAR_FIELD)
    term_years = forms.IntegerField(label="建设期（年）", min_value=1, max_value=5, required=False)


class PlanContentForm(forms.Form):
    goals = limited_char(Plan, "goals", label="建设目标", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    expected_outputs = limited_char(
        Plan, "expected_outputs", label="预期成果", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    term_years = forms.IntegerField(label="建设期（年）", min_value=1, max_value=5, required=False)


class TaskForm(forms.Form):
    title = limited_char(PlanTask, "title", label="任务", required=False)
    owner = forms.TypedChoiceField(label="负责人", coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label="完成期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expected_output = limited_char(PlanTask, "expected_output", label="预期产出", required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "请选择"), *owners]

    def clean(self):
        data = super().clean()
        if data.get("title") and (not data.get("owner") or not data.get("due_on")):
            raise forms.ValidationError("请您为该任务选择负责人并填写完成期限。")
        return data


class MoveForm(forms.Form):
    to = forms.ChoiceField(label="办理", choices=PlanStatus.choices)
    note = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NewVersionForm(forms.Form):
    reason = limited_char(Plan, "change_reason", label="变更原因", widget=forms.Textarea(attrs={"rows": 3}))


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", **YEAR_FIELD)
