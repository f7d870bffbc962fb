"""Forms: validation only; the writes happen in services."""

from decimal import Decimal

from django import forms
from django.db.models import F

from accounts.enums import Role
from accounts.models import Major, User
from core.forms import BootstrapMixin, DecisionForm, limited_char
from core.models import StatusChange

from .calendar import validate_publicity_start
from .enums import AttachmentKind, Judgement, Majority, ObjectionOutcome, ReviewRecommendation, StudioMode, VoteChoice
from .models import Application, Call, CommitteeMeeting, Objection, Publicity, ReviewAssignment, Rubric


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local"> takes only 2026-11-24T17:26: the locale format (2026/11/24 17:26) left it blank."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CallForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = limited_char(Call, "title", label="批次名称")
    opens_at = forms.DateTimeField(label="开始申报时间", widget=DateTimeLocalInput())
    closes_at = forms.DateTimeField(label="截止申报时间", widget=DateTimeLocalInput())
    policy_year = forms.IntegerField(label="适用政策年度", min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(label="专家评分标准", queryset=Rubric.objects.all())
    blind_review = forms.BooleanField(label="匿名评审（专家看不到申报人身份）", required=False)
    experts_see_scores = forms.BooleanField(label="专家可见他人评分", required=False)
    review_deadline = forms.DateTimeField(
        label="专家评审截止时间（可选）",
        widget=DateTimeLocalInput(),
        required=False,
        help_text="显示在专家的评分页上。",
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            raise forms.ValidationError("截止时间必须晚于开始时间。")
        return data


class SelectedOnlyMultiple(forms.SelectMultiple):
    """Renders only the chosen people as <option>s: the rest are found through the member search (tom-select,
    static/js/member-picker.js), so a school of 20,000 staff does not send 20,000 options with the page."""

    def optgroups(self, name, value, attrs=None):
        chosen = [int(v) for v in value if str(v).isdigit()]
        if not chosen:
            return []
        iterator = self.choices  # ModelChoiceIterator: its queryset and field
        people = iterator.queryset.filter(pk__in=chosen)
        return [
            (None, [self.create_option(name, u.pk, iterator.field.label_from_instance(u), True, i, attrs=attrs)], i)
            for i, u in enumerate(people)
        ]


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """Staff to pick as members, each with their 工号 and 系部 (or 校外); searched by name, 工号 or 系部."""

    widget = SelectedOnlyMultiple(attrs={"data-member-picker": "1"})

    def label_from_instance(self, user):
        unit = "校外" if user.is_external else (user.department.name if user.department_id else "")
        return f"{user.display_name}（{user.username}，{unit}）" if unit else f"{user.display_name}（{user.username}）"


class DraftForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    studio_name = limited_char(
        Application,
        "studio_name",
        label="拟申办工作室名称",
        required=False,
        help_text="格式：职业工种名称 + “技能大师工作室”",
    )
    occupation = limited_char(Application, "occupation", label="职业工种", required=False)
    majors = forms.ModelMultipleChoiceField(
        label="相关专业", queryset=Major.objects.filter(is_active=True), required=False
    )
    major_justification = limited_char(
        Application,
        "major_justification",
        label="与学校专业/课程的相关性说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    mode = forms.ChoiceField(label="设立方式", choices=StudioMode.choices)
    venue_school = limited_char(Application, "venue_school", label="校内主场地", required=False)
    venue_partner = limited_char(
        Application, "venue_partner", label="合作企业研发中心/生产车间（仅校企联办）", required=False
    )
    core_members = MemberChoiceField(
        label="骨干教师",
        queryset=User.objects.none(),
        required=False,
        help_text="不少于 3 人；可选校外合作企业人员。输入姓名、工号或系部查找。",
    )
    other_members = MemberChoiceField(
        label="其他成员", queryset=User.objects.none(), required=False, help_text="输入姓名、工号或系部查找。"
    )
    basic_conditions = limited_char(Application, "basic_conditions", label="工作室基本条件", required=False)
    support_measures = limited_char(Application, "support_measures", label="系部支持措施", required=False)
    work_plan = limited_char(Application, "work_plan", label="工作计划", required=False)
    main_directions = limited_char(Application, "main_directions", label="主要工作方向", required=False)
    attest_political = forms.BooleanField(
        label="本人承诺具有较好的政治素质、师德师风（建设方案三(1)1）", required=False
    )
    attest_truthful = forms.BooleanField(label="本人承诺所填信息及材料真实有效", required=False)

    def __init__(self, *args, applicant=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(is_active=True, is_superuser=False)
            .select_related("department")
            .order_by("is_external", F("department__name").asc(nulls_last=True), "username")
        )
        if applicant is not None:
            people = people.exclude(pk=applicant.pk)
        for name in ("core_members", "other_members"):
            self.fields[name].queryset = people

    def clean(self):
        """Choosing the same person in two roles is refused with a message naming him (it was silently dropped)."""
        data = super().clean()
        both = set(data.get("core_members") or ()) & set(data.get("other_members") or ())
        if both:
            names = "、".join(sorted(u.display_name for u in both))
            self.add_error(
                "other_members",
                f"「{names}」已列为骨干教师，同一人不能同时担任两种成员角色，请在其中一处删除。",
            )
        return data


class AttachmentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=AttachmentKind.choices)
    file = forms.FileField(label="文件（PDF/JPG/PNG/DOCX）")


class AttachmentReplaceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="新文件")


class TransitionForm(forms.Form):
    target = forms.CharField(max_length=30)
    note = limited_char(StatusChange, "note", required=False)


class AssignForm(BootstrapMixin, forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label="评审专家", queryset=User.objects.filter(is_active=True, role_assignments__role=Role.EXPERT).distinct()
    )


def _plain(number):
    """40.00 → 40, 7.50 → 7.5: rubric numbers as a person writes them."""
    return format(Decimal(str(number)).normalize(), "f")


class ReviewForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            # Compact inputs (a number pad on phones); static/js/review-total.js reads data-* for the live total,
            # the server recomputes it (services.reviews.weighted_total).
            self.fields[f"score_{c.code}"] = forms.DecimalField(
                label=f"{c.label}（{_plain(c.min_score)}–{_plain(c.max_score)}分，权重{_plain(c.weight)}）",
                min_value=c.min_score,
                max_value=c.max_score,
                decimal_places=1,
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm score-input",
                        "step": "0.5",
                        "inputmode": "decimal",
                        "data-weight": _plain(c.weight),
                        "data-min": _plain(c.min_score),
                        "data-max": _plain(c.max_score),
                    }
                ),
            )
        self.fields["comment"] = limited_char(
            ReviewAssignment, "comment", label="评审意见", widget=forms.Textarea(attrs={"rows": 4})
        )
        self.fields["recommendation"] = forms.ChoiceField(label="评审建议", choices=ReviewRecommendation.choices)
        # Fields added after BootstrapMixin ran: style them too.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def scores(self):
        return {k[len("score_") :]: v for k, v in self.cleaned_data.items() if k.startswith("score_")}


class RecuseForm(BootstrapMixin, forms.Form):
    reason = limited_char(
        ReviewAssignment, "recusal_reason", label="回避原因", widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(BootstrapMixin, forms.Form):
    title = limited_char(CommitteeMeeting, "title", label="会议名称")
    held_on = forms.DateField(label="会议日期", widget=DateInput())
    members_present = forms.ModelMultipleChoiceField(
        label="出席委员", queryset=User.objects.filter(is_active=True, role_assignments__role=Role.COMMITTEE).distinct()
    )
    agenda = forms.ModelMultipleChoiceField(label="审议事项", queryset=None)
    quorum = forms.IntegerField(
        label="法定人数", min_value=1, initial=5, help_text="出席委员人数不少于法定人数，会议才能表决。"
    )
    majority = forms.ChoiceField(label="通过规则", choices=Majority.choices)

    def __init__(self, *args, agenda_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda"].queryset = agenda_queryset

    def clean(self):
        """A meeting with fewer members present than its quorum could never vote: refuse it here, on the form."""
        data = super().clean()
        present, quorum = data.get("members_present"), data.get("quorum")
        if present is not None and quorum is not None and len(present) < quorum:
            self.add_error(
                "members_present",
                f"出席委员 {len(present)} 人，少于法定人数 {quorum} 人，会议将无法表决。请核对出席委员或法定人数。",
            )
        return data


class VoteForm(forms.Form):
    application = forms.IntegerField()
    choice = forms.ChoiceField(choices=VoteChoice.choices)


class CloseMeetingForm(BootstrapMixin, forms.Form):
    minutes = limited_char(
        CommitteeMeeting, "minutes", label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PublishForm(BootstrapMixin, forms.Form):
    title = limited_char(Publicity, "title", label="公示标题")
    starts_at = forms.DateTimeField(
        label="公示开始时间", widget=DateTimeLocalInput(), validators=[validate_publicity_start]
    )
    backdate_reason = limited_char(
        Publicity,
        "backdate_reason",
        label="补登原因（开始时间早于现在时必填）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="开始时间早于现在会缩短教职工提出异议的时间；填写原因后发布，公示将标记为补登并提示纪检办公室。",
    )
    body = limited_char(Publicity, "body", label="公示说明", required=False)
    applications = forms.ModelMultipleChoiceField(label="公示名单", queryset=None, widget=forms.CheckboxSelectMultiple)
    # Shown only when the calendar preview has a warning (templates: the live preview partial renders it).
    acknowledge_warning = forms.BooleanField(label="我已知悉日历提示，仍按推算结果发布", required=False)

    def __init__(self, *args, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = proposed


class ObjectionForm(BootstrapMixin, forms.Form):
    content = limited_char(
        Objection, "content", label="异议内容（事实与理由）", widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(label="证据材料（可选）", required=False)


class ResolveObjectionForm(BootstrapMixin, forms.Form):
    # No conclusion is pre-selected: the officer must choose one (radio buttons, none checked).
    upheld = forms.TypedChoiceField(
        label="调查结论",
        choices=[("1", "异议成立"), ("0", "异议不成立")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择调查结论（异议成立或不成立）。"},
    )
    outcome = forms.ChoiceField(
        label="异议成立时的处理", choices=[("", "—"), *ObjectionOutcome.choices], required=False
    )
    findings = limited_char(Objection, "findings", label="调查情况与结论", widget=forms.Textarea(attrs={"rows": 4}))


class InvestigationEvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="调查材料（PDF/JPG/PNG/DOCX/XLSX）")


class ApproveForm(BootstrapMixin, forms.Form):
    document_number = limited_char(Application, "document_number", label="认定发文文号")
    approved_on = forms.DateField(label="认定日期", widget=DateInput())


class DisqualifyForm(BootstrapMixin, forms.Form):
    reason = limited_char(Application, "disqualify_reason", label="取消资格原因（核实的不实情况）")
    evidence = forms.FileField(label="证据材料", required=False)


class ApplicationDecisionForm(DecisionForm):
    """The opinion box of the application page: the moves the person may make now (core.forms.DecisionForm) and, for
    the department head, his judgement of R7 (专业相关性) and R8 (政治素质、师德) — required for 推荐 (the service
    requires it too: services.drafts.recommend_application)."""

    JUDGEMENT_FIELDS = ("r7_judgement", "r7_note", "r8_judgement", "r8_note")
    note = limited_char(
        StatusChange, "note", label="理由/意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    r7_judgement = forms.ChoiceField(
        label="专业相关性（R7）：所从事的专业领域与学校专业或课程强相关",
        choices=Judgement.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    r7_note = limited_char(Application, "dept_r7_note", label="专业相关性判断说明", required=False)
    r8_judgement = forms.ChoiceField(
        label="政治素质、师德（R8）：政治素质、事业心、作风及团队协作精神",
        choices=Judgement.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    r8_note = limited_char(Application, "dept_r8_note", label="政治素质、师德判断说明", required=False)

    def __init__(self, *args, judge=False, **kwargs):
        kwargs.setdefault("note_max_length", self.base_fields["note"].max_length)
        super().__init__(*args, **kwargs)
        self.judge = judge  # the department head's box: R7/R8 shown and required for 推荐
        for name in ("r7_note", "r8_note"):
            self.fields[name].widget.attrs["rows"] = 2
        if not judge:
            for name in self.JUDGEMENT_FIELDS:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.judge and data.get("target") == "recommended":
            for name, title in (("r7_judgement", "专业相关性（R7）"), ("r8_judgement", "政治素质、师德（R8）")):
                if not data.get(name):
                    self.add_error(name, f"推荐前请判断{title}是否符合。")
                elif data[name] == Judgement.FAIL:
                    self.add_error(name, f"您判断{title}不符合，不能推荐；请选择「不予推荐」或「退回修改」并说明理由。")
        return data

    def judgement_pairs(self):
        """[(judgement field, note field)] for the template (R7, R8)."""
        if not self.judge:
            return []
        return [(self["r7_judgement"], self["r7_note"]), (self["r8_judgement"], self["r8_note"])]

    def judgements(self):
        """The service's keyword arguments (recommend_application) when the box carries R7/R8."""
        if not self.judge:
            return None
        data = self.cleaned_data
        return {
            "r7": data["r7_judgement"],
            "r7_note": data["r7_note"],
            "r8": data["r8_judgement"],
            "r8_note": data["r8_note"],
        }
