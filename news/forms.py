"""Forms of the news pages; limits come from the models (core.forms.limited_char), rules from news.services."""

from django import forms

from accounts.enums import Role
from accounts.models import Department
from core.forms import BootstrapMixin, DecisionForm, limited_char

from .enums import Audience, PostStatus
from .models import Notice, Post, PostPhoto


class NoticeForm(BootstrapMixin, forms.Form):
    title = limited_char(Notice, "title", label="标题")
    body = limited_char(Notice, "body", label="正文", widget=forms.Textarea(attrs={"rows": 10}))
    audience = forms.ChoiceField(label="发布范围", choices=Audience.choices, initial=Audience.ALL)
    department = forms.ModelChoiceField(
        label="系部（发布范围为指定系部时）", queryset=Department.objects.none(), required=False,
        empty_label="请选择", error_messages={"invalid_choice": "请选择有效的系部。"},
    )  # fmt: skip
    role = forms.ChoiceField(
        label="角色（发布范围为指定角色时）", choices=[("", "请选择"), *Role.choices], required=False
    )
    is_public = forms.BooleanField(label="在成果展示页（校外可见）公开", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("name")

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "title": data["title"], "body": data["body"], "audience": data["audience"],
            "department": data.get("department"), "role": data.get("role") or "", "is_public": data["is_public"],
        }  # fmt: skip


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件。"})


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = limited_char(Notice, "withdraw_reason", label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}))


class PostForm(BootstrapMixin, forms.Form):
    title = limited_char(Post, "title", label="标题")
    body = limited_char(Post, "body", label="正文", widget=forms.Textarea(attrs={"rows": 10}))


class PhotoForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="照片（JPG/PNG）", error_messages={"required": "请选择要上传的照片。"})
    caption = limited_char(PostPhoto, "caption", label="照片说明", required=False)


def post_decision_form(data=None):
    """The department head's box on a submitted post: 发布 or 退回 (reason required)."""
    return DecisionForm(
        data,
        choices=[(PostStatus.PUBLISHED, "审核通过并发布"), (PostStatus.RETURNED, "退回修改")],
        reason_required=[PostStatus.RETURNED],
        note_max_length=Post._meta.get_field("return_reason").max_length,
    )
