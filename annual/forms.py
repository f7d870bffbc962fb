"""Forms of 年度工作报告: the report (four narrative sections, nominated landmark achievements) and the reviewers'
opinion box. Limits come from the model (core.forms.limited_char)."""

from django import forms

from core.forms import BootstrapMixin, DecisionForm, limited_char

from .models import MAX_LANDMARKS, AnnualReport, ReportStatus
from .services import eligible_landmarks


class ReportForm(BootstrapMixin, forms.Form):
    achievements_summary = limited_char(
        AnnualReport, "achievements_summary", label="完成情况", required=False,
        widget=forms.Textarea(attrs={"rows": 6}), help_text="年度目标任务完成情况、主要工作与成效。",
    )  # fmt: skip
    highlights = limited_char(AnnualReport, "highlights", label="特色与创新", required=False)
    problems = limited_char(AnnualReport, "problems", label="问题与改进", required=False)
    next_year_plan = limited_char(AnnualReport, "next_year_plan", label="下年度计划", required=False)
    landmarks = forms.TypedMultipleChoiceField(
        label=f"标志性成果（最多 {MAX_LANDMARKS} 项）",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从本工作室该年度已由系部确认的成果中选择。",
        error_messages={"invalid_choice": "只能推荐本工作室该年度已由系部确认的成果作为标志性成果。"},
    )

    def __init__(self, *args, studio_id, year, **kwargs):
        super().__init__(*args, **kwargs)
        rows = eligible_landmarks(studio_id, year).order_by("date", "pk").values_list("pk", "title", "date")
        self.fields["landmarks"].choices = [(pk, f"{date:%Y-%m-%d} {title}") for pk, title, date in rows]

    def clean_landmarks(self):
        value = self.cleaned_data["landmarks"]
        if len(value) > MAX_LANDMARKS:
            raise forms.ValidationError(f"标志性成果最多推荐 {MAX_LANDMARKS} 项。")
        return value


def decision_form(report, data=None):
    """The department head's (系部审核) or 教学工作部's (接收) opinion box; returning needs a reason."""
    if report.status == ReportStatus.SUBMITTED:
        choices = [(ReportStatus.CHECKED, "审核通过"), (ReportStatus.RETURNED, "退回修改")]
    else:
        choices = [(ReportStatus.RECEIVED, "接收"), (ReportStatus.RETURNED, "退回修改")]
    return DecisionForm(
        data,
        choices=choices,
        reason_required=[ReportStatus.RETURNED],
        note_max_length=AnnualReport._meta.get_field("return_reason").max_length,
    )
