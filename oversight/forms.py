"""Forms of the oversight pages. Text limits come from the models (core.forms.limited_char); the services check
everything again — the rules live there."""

from django import forms

from core.forms import BootstrapMixin, limited_char

from .enums import Office
from .models import Attendance, NoteEntry, SupervisionNote
from .registry import meeting_kinds, note_targets


class NoteForm(BootstrapMixin, forms.Form):
    object_type = forms.ChoiceField(label="监督对象类型", choices=())
    object_id = forms.IntegerField(
        label="对象编号", min_value=1, max_value=2**63 - 1,
        help_text="记录页面地址中的编号，例如申报页 /applications/12/ 的 12。",
        error_messages={"invalid": "请填写正确的对象编号。", "required": "请填写对象编号。",
                        "min_value": "请填写正确的对象编号。", "max_value": "请填写正确的对象编号。"},
    )  # fmt: skip
    office = forms.ChoiceField(label="责任部门", choices=[("", "请选择"), *Office.choices])
    subject = limited_char(SupervisionNote, "subject", label="事由")
    text = limited_char(NoteEntry, "text", label="监督意见", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "请选择"), *((t.key, t.label) for t in note_targets())]


class EntryForm(BootstrapMixin, forms.Form):
    text = limited_char(NoteEntry, "text", label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AttendanceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=())
    meeting = forms.IntegerField(
        label="会议",
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": "请选择会议。", "required": "请选择会议。"},
    )
    remark = limited_char(Attendance, "remark", label="列席说明", required=False)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in meeting_kinds()]
        self.fields["meeting"].widget = forms.Select(choices=[("", "请选择"), *meetings])
        self.fields["meeting"].widget.attrs["class"] = "form-select"
