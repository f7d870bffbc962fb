from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from core.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    """Sign-in by 工号. The lockout is checked inside authenticate() before any password hash (accounts.backends)."""

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
        """authenticate() checks the throttle before any password hash (accounts.backends); failures are counted and
        audited by the user_login_failed receiver (accounts.signals), which leaves the outcome on the request."""
        from django.conf import settings
        from django.contrib.auth import authenticate

        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                refused = getattr(self.request, "login_refusal", None)
                failure = getattr(self.request, "login_failure", None)
                if refused is None and failure is not None:
                    refused = failure.refusal  # this very failure started the lock
                if refused is not None:
                    raise forms.ValidationError(refused.message(), code="locked")
                raise forms.ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"max": settings.LOGIN_MAX_FAILURES, "minutes": settings.LOGIN_LOCKOUT_MINUTES},
                )
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    pass


class SetNewPasswordForm(BootstrapMixin, SetPasswordForm):
    """The password set through an activation or 忘记密码 link (the password validators apply)."""


class PasswordResetRequestForm(BootstrapMixin, forms.Form):
    identifier = forms.CharField(
        label="工号或电子邮箱", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
