"""Pages of the second sign-in step and of the authenticator in 个人中心 (accounts/otp.py holds the rules)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import BootstrapMixin
from core.middleware import client_ip

from . import otp


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="身份验证器（如 Microsoft Authenticator、Google 身份验证器、FreeOTP）上的 6 位数字；手机丢失时可输入一个恢复码。",
    )


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _codes_page(request, codes, *, next_url):
    return _no_store(render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next_url": next_url}))


@login_required
def otp_verify(request):
    """The second step of a sign-in: a code of the person's authenticator, or a recovery code."""
    if otp.pending(request) == "enrol":
        return redirect("accounts:otp_enrol")
    if not otp.pending(request):
        return redirect("workspace:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = otp.verify_code(by=request.user, code=form.cleaned_data["code"], ip=client_ip(request))
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            target = otp.finish(request, kind=kind)
            if kind == "recovery":
                left = otp.recovery_codes_left(request.user)
                messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。请尽快在个人中心重新生成恢复码。")
            return redirect(target)
    return _no_store(render(request, "accounts/otp_verify.html", {"form": form}))


@login_required
def otp_enrol(request):
    """Set up an authenticator: scan the QR code (drawn on this server), confirm with a first code, keep the recovery
    codes. Reached as the second step of a first sign-in of a role that requires it, or from 个人中心."""
    first_sign_in = otp.pending(request) == "enrol"
    if otp.pending(request) == "verify":
        return redirect("accounts:otp_verify")
    device = otp.start_enrolment(by=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.confirm_enrolment(by=request.user, code=form.cleaned_data["code"], ip=client_ip(request))
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            next_url = otp.finish(request, kind="totp") if first_sign_in else reverse("accounts:profile")
            messages.success(request, "两步验证已启用。以后登录时，输入密码后还需输入身份验证器上的验证码。")
            return _codes_page(request, codes, next_url=next_url)
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_base32(device),
        "first_sign_in": first_sign_in,
        "already_enrolled": not first_sign_in and otp.is_enrolled(request.user),
    }
    return _no_store(render(request, "accounts/otp_enrol.html", context))


@login_required
@require_POST
def otp_recovery_regenerate(request):
    """个人中心: new recovery codes (the old ones stop working), shown once."""
    try:
        codes = otp.regenerate_recovery_codes(by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("accounts:profile")
    messages.success(request, "已生成新的恢复码，原有恢复码全部作废。")
    return _codes_page(request, codes, next_url=reverse("accounts:profile"))
