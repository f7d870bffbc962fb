"""个人中心: what a signed-in person does about his own account (profile, contact details).

Sign-in, passwords, activation and the token model itself live in views.py / services.py; who may hold API tokens is
accounts.permissions.may_use_api_tokens (asked by the token page and by services.issue_api_token).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from core.audit import log_action
from core.forms import BootstrapMixin

from . import otp
from .enums import Role
from .models import User
from .permissions import roles_of


class ContactForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "phone"]
        labels = {"email": "电子邮箱", "phone": "电话"}
        help_texts = {"email": "通知的邮件副本发送到这个地址。", "phone": "手机号或座机号，如 023-12345678。"}


@transaction.atomic
def update_own_contact(*, by, email, phone):
    """The person changes his own e-mail and phone (nothing else: name, 工号, 系部 and roles belong to HR/admin)."""
    user = User.objects.select_for_update().get(pk=by.pk)
    before = {"email": user.email, "phone": user.phone}
    after = {"email": email, "phone": phone}
    if before == after:
        return user
    user.email, user.phone = email, phone
    user.save(update_fields=["email", "phone"])
    log_action(actor=by, action="accounts.profile.contact_changed", obj=user, before=before, after=after)
    return user


@login_required
def profile(request):
    """个人中心: who I am here, my contact details, and links to password, notifications and (if needed) API tokens."""
    person = User.objects.select_related("department").get(pk=request.user.pk)
    form = ContactForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        update_own_contact(by=request.user, email=form.cleaned_data["email"], phone=form.cleaned_data["phone"])
        messages.success(request, "联系方式已保存。")
        return redirect("accounts:profile")
    role_labels = [Role(r).label for r in sorted(roles_of(request.user))]
    context = {"person": person, "form": form, "role_labels": role_labels}
    context |= {"otp_enrolled": otp.is_enrolled(person), "otp_required": otp.otp_required(request.user)}
    context["recovery_codes_left"] = otp.recovery_codes_left(person) if context["otp_enrolled"] else 0
    return render(request, "accounts/profile.html", context)
