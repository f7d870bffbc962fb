"""Forms of 年度考核 pages. Text limits come from the model fields (core.forms.limited_char)."""

from django import forms

from core.forms import BootstrapMixin, DecisionForm, limited_char

from .enums import Grade, RoundStatus, VoteDecision
from .models import Adjustment, EvaluationMeeting, EvaluationRound, EvaluationVote, Scorecard


class RoundForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    due_on = forms.DateField(label="评分截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = limited_char(EvaluationRound, "title", required=False, label="名称（可不填）")


class AdjustForm(BootstrapMixin, forms.Form):
    indicator_key = forms.CharField(label="指标", max_length=40)
    score = forms.DecimalField(label="调整后得分", max_digits=6, decimal_places=2, min_value=0)
    basis = limited_char(Adjustment, "basis", label="评分依据", widget=forms.Textarea(attrs={"rows": 2}))


class VetoForm(BootstrapMixin, forms.Form):
    reason = limited_char(
        Scorecard, "falsified_reason", label="弄虚作假认定理由", widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(BootstrapMixin, forms.Form):
    evaluator = forms.CharField(label="评分人工号", max_length=32)


class GradeForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(label="认定等级", choices=Grade.choices)
    reason = limited_char(Scorecard, "grade_reason", required=False, label="理由（与拟定等级不同时必填）",
                          widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class MeetingForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.MultipleChoiceField(label="出席委员", widget=forms.CheckboxSelectMultiple, choices=())
    minutes = limited_char(EvaluationMeeting, "minutes", required=False, label="会议纪要",
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, committee=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(u.pk), u.display_name) for u in committee]


class VoteForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label="表决意见", choices=VoteDecision.choices, widget=forms.RadioSelect)
    reason = limited_char(EvaluationVote, "reason", required=False,
                          label="理由（不同意时必填，可写明对哪些工作室的哪个等级有异议）",
                          widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def submit_form(data=None):
    return DecisionForm(
        data,
        choices=[(RoundStatus.SUBMITTED, "提交学术委员会认定")],
        irreversible=[RoundStatus.SUBMITTED],
        note_max_length=1000,
    )


def decide_form(data=None):
    return DecisionForm(
        data,
        choices=[(RoundStatus.CONFIRMED, "认定考核结果"), (RoundStatus.EVALUATING, "退回发改室")],
        reason_required=[RoundStatus.EVALUATING],
        irreversible=[RoundStatus.CONFIRMED],
        note_max_length=1000,
    )
