from django import forms

from accounts.enums import Role
from accounts.models import Department
from core.forms import BootstrapMixin, limited_char

from .models import Platform, WebhookTarget


class WebhookTargetForm(BootstrapMixin, forms.Form):
    name = limited_char(WebhookTarget, "name", label="名称", help_text="如：机械工程系工作群")
    platform = forms.ChoiceField(label="平台", choices=Platform.choices)
    url = limited_char(
        WebhookTarget,
        "url",
        label="Webhook 地址",
        help_text="企业微信：群机器人的 Webhook 地址（含 key）；钉钉：自定义机器人的 Webhook 地址（含 access_token）。",
    )
    secret = limited_char(
        WebhookTarget,
        "secret",
        label="加签密钥（仅钉钉）",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="钉钉机器人“安全设置 → 加签”的 SEC 开头的密钥；修改时留空表示不变。",
    )
    department = forms.ModelChoiceField(
        label="只接收该系部人员的通知",
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label="（不限系部）",
    )
    role = forms.ChoiceField(
        label="只接收该角色人员的通知",
        choices=[("", "（不限角色）"), *Role.choices],
        required=False,
        help_text="系部与角色只能选其一；都不选则接收全部通知。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and any(ord(ch) < 32 for ch in value):
                self.add_error(name, "内容包含不可见的控制字符，请删除后重试。")
        if data.get("department") and data.get("role"):
            self.add_error("role", "系部与角色只能选其一。")
        return data
