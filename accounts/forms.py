from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone

from core.forms import BootstrapMixin
from core.middleware import client_ip

from . import security, services


class LoginForm(BootstrapMixin, AuthenticationForm):
    """Sign-in by 工号. The lockout is checked before authenticate(), so a locked pair costs no password hash."""

    username = forms.CharField(
        label="工号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "工号或密码错误。连续失败 %(max)s 次将锁定 %(minutes)s 分钟。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }

    def clean(self):
        from django.conf import settings

        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        ip = client_ip(self.request)
        until = security.locked_until(username, ip)
        if until:
            services.record_blocked_login(username=username, ip=ip)
            local = timezone.localtime(until).strftime("%H:%M")
            raise forms.ValidationError(f"登录失败次数过多，该账户已被临时锁定，请于 {local} 后再试。", code="locked")
        if username and password:
            from django.contrib.auth import authenticate

            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                throttle = services.record_failed_login(username=username, ip=ip)
                if throttle.locked_until:
                    local = timezone.localtime(throttle.locked_until).strftime("%H:%M")
                    raise forms.ValidationError(
                        f"登录失败次数过多，该账户已被临时锁定，请于 {local} 后再试。", code="locked"
                    )
                raise forms.ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"max": settings.LOGIN_MAX_FAILURES, "minutes": settings.LOGIN_LOCKOUT_MINUTES},
                )
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    pass
