"""Every form and API body that takes user input, for the hostile-input tests: one FormTarget per form.

Adding a form: one FormTarget in FORMS with its field strategies and an oracle that says when the app accepted
what it must refuse ("wrongly accepted"). Every target is also checked for: no 500.
"""

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from .strategies import hostile_date, hostile_number, hostile_text


@dataclass(frozen=True)
class FormTarget:
    name: str
    url: str
    method: str
    persona: str  # "anon" or a conftest persona fixture name
    fields: dict  # field name → strategy
    # wrongly_accepted(response, user, before) → True if the app accepted what it must refuse
    wrongly_accepted: Any = None
    # prepare(user) → state to compare against (e.g. the password hash before)
    prepare: Any = None
    extra: dict = field(default_factory=dict)


def _logged_in(response, user, before):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def _password_hash(user):
    return user.password if user else None


def _password_changed(response, user, before):
    user.refresh_from_db()
    return user.password != before


FORMS = [
    FormTarget(
        "登录",
        "/accounts/login/",
        "post",
        "anon",
        {"username": hostile_text, "password": hostile_text},
        wrongly_accepted=_logged_in,
    ),
    FormTarget(
        "修改密码（旧密码错误）",
        "/accounts/password/",
        "post",
        "applicant",
        {"old_password": hostile_text, "new_password1": hostile_text, "new_password2": hostile_text},
        wrongly_accepted=_password_changed,
        prepare=_password_hash,
    ),
    FormTarget(
        "用户列表筛选",
        "/accounts/users/",
        "get",
        "admin_user",
        {"q": hostile_text, "department": hostile_number, "page": hostile_number},
    ),
    FormTarget(
        "审计日志筛选",
        "/audit/",
        "get",
        "inspector",
        {"action": hostile_text, "page": hostile_number},
    ),
    FormTarget("用户详情（路径参数）", "/accounts/users/{pk}/", "get", "applicant", {"pk": hostile_number}),
    FormTarget("API 当前用户（多余参数）", "/api/v1/me", "get", "applicant", {"x": hostile_text}),
    FormTarget(
        "通知标为已读（多余字段）", "/notifications/read/", "post", "applicant", {"ids": st.lists(hostile_text)}
    ),
    # people (issue 3)
    FormTarget(
        "我的资历：添加企业经历",
        "/people/work/new/",
        "post",
        "applicant",
        {"kind": hostile_text, "enterprise_name": hostile_text, "start": hostile_date, "end": hostile_date},
        wrongly_accepted=lambda response, user, before: _bad_work_period_stored(),
    ),
    FormTarget("资格预审（判断日期）", "/people/me/eligibility/", "get", "applicant", {"on": hostile_date}),
    FormTarget(
        "教职工档案筛选",
        "/people/staff/",
        "get",
        "admin_user",
        {"q": hostile_text, "department": hostile_number, "page": hostile_number},
    ),
    FormTarget(
        "合作企业登记",
        "/people/enterprises/new/",
        "post",
        "admin_user",
        {
            "name": hostile_text,
            "credit_code": hostile_text,
            "agreement_start": hostile_date,
            "agreement_end": hostile_date,
        },
        wrongly_accepted=lambda response, user, before: _bad_enterprise_stored(),
    ),
    FormTarget(
        "API 资格预审（日期）",
        "/api/v1/people/{pk}/eligibility",
        "get",
        "applicant",
        {"pk": hostile_number, "on": hostile_date},
    ),
]


def _bad_work_period_stored():
    from django.db.models import F

    from people.models import WorkPeriod

    return WorkPeriod.objects.filter(end__lt=F("start")).exists()


def _bad_enterprise_stored():
    from django.core.exceptions import ValidationError

    from people.models import Enterprise
    from people.validators import validate_credit_code

    for code in Enterprise.objects.values_list("credit_code", flat=True):
        try:
            validate_credit_code(code)
        except ValidationError:
            return True
    return False
