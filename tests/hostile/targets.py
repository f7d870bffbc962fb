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
    # setup(user) → {name: value} for the {placeholders} of url, run once before the examples (objects to post to)
    setup: Any = None


def _logged_in(response, user, before):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def _password_hash(user):
    return user.password if user else None


def _password_changed(response, user, before):
    user.refresh_from_db()
    return user.password != before


def _bad_contact_stored(user):
    """个人中心 stored an e-mail or phone its validators refuse."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from accounts.models import phone_validator

    user.refresh_from_db()
    try:
        if user.email:
            validate_email(user.email)
        if user.phone:
            phone_validator(user.phone)
    except ValidationError:
        return True
    return False


def _notification_for(user):
    from core.models import Notification

    return Notification.objects.create(recipient=user, title="测试通知", url="/")


# (label, list URL, persona, hostile filter fields) of every main list; the export lives at <URL>export.xlsx.
LIST_PAGES = [
    (
        "申报列表",
        "/applications/",
        "teaching_affairs",
        {"q": hostile_text, "status": hostile_text, "call": hostile_number, "department": hostile_number},
    ),
    (
        "申报批次",
        "/applications/calls/",
        "teaching_affairs",
        {"q": hostile_text, "year": hostile_number, "status": hostile_text},
    ),
    ("工作室列表", "/studios/", "applicant", {"q": hostile_text, "status": hostile_text, "department": hostile_number}),
    ("教职工档案", "/people/staff/", "admin_user", {"q": hostile_text, "department": hostile_number}),
    (
        "用户列表",
        "/accounts/users/",
        "admin_user",
        {"q": hostile_text, "department": hostile_number, "role": hostile_text, "active": hostile_text},
    ),
    (
        "审计日志",
        "/audit/",
        "inspector",
        {"action": hostile_text, "actor": hostile_text, "since": hostile_date, "until": hostile_date},
    ),
]


def _exported_despite_bad_input(response, user, before):
    """An xlsx went out although sort= named no column of the list: the file would not be in the order the user asked
    for (the export must send him back to the list, which names the bad value)."""
    if not response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return False
    from django.urls import resolve

    request = response.wsgi_request
    view = resolve(request.path).func.view_class
    sort = request.GET.get("sort", "")
    allowed = {""} | {c.key for c in view.columns if c.order} | {f"-{c.key}" for c in view.columns if c.order}
    return sort not in allowed


FORMS = [
    FormTarget(
        "登录",
        "/accounts/login/",
        "post",
        "anon",
        {"username": hostile_text, "password": hostile_text},
        wrongly_accepted=_logged_in,
    ),
    # Sign-in self-service (issue 8): 忘记密码, and a password set through an activation or reset link.
    FormTarget(
        "忘记密码",
        "/accounts/password/reset/",
        "post",
        "anon",
        {"identifier": hostile_text},
        wrongly_accepted=lambda response, user, before: _reset_mail_to_a_stranger(),
    ),
    FormTarget(
        "激活账户（设置密码）",
        "/accounts/activate/{link}/",
        "post",
        "anon",
        {"new_password1": hostile_text, "new_password2": hostile_text},
        setup=lambda user: {"link": _activation_link()},
        prepare=lambda user: _password_hash_of("T8801"),
        wrongly_accepted=lambda response, user, before: _password_set_silently(response, "T8801", before),
    ),
    FormTarget(
        "重置密码链接（设置新密码）",
        "/accounts/password/reset/{link}/",
        "post",
        "anon",
        {"new_password1": hostile_text, "new_password2": hostile_text},
        setup=lambda user: {"link": _reset_link()},
        prepare=lambda user: _password_hash_of("T8802"),
        wrongly_accepted=lambda response, user, before: _password_set_silently(response, "T8802", before),
    ),
    FormTarget("激活链接（路径参数）", "/accounts/activate/{pk}/1-abc/", "get", "anon", {"pk": hostile_text}),
    FormTarget(
        "生成激活链接（路径参数）", "/accounts/users/{pk}/activation/", "post", "admin_user", {"pk": hostile_number}
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
    # The list pages (core.lists.ListPage): filters, sort=, page_size=, page= and their 导出 Excel (issue 9 item 10).
    *(
        FormTarget(
            f"{label}（排序、每页条数、筛选）",
            url,
            "get",
            persona,
            {**filters, "sort": hostile_text, "page_size": hostile_number, "page": hostile_number},
        )
        for label, url, persona, filters in LIST_PAGES
    ),
    *(
        FormTarget(
            f"{label}导出 Excel",
            url + "export.xlsx",
            "get",
            persona,
            {**filters, "sort": hostile_text, "page_size": hostile_number},
            wrongly_accepted=_exported_despite_bad_input,
        )
        for label, url, persona, filters in LIST_PAGES
    ),
    FormTarget("用户详情（路径参数）", "/accounts/users/{pk}/", "get", "applicant", {"pk": hostile_number}),
    FormTarget("API 当前用户（多余参数）", "/api/v1/me", "get", "applicant", {"x": hostile_text}),
    FormTarget(
        "通知标为已读（多余字段）", "/notifications/read/", "post", "applicant", {"ids": st.lists(hostile_text)}
    ),
    # 个人中心 (issue 9 item 11)
    FormTarget(
        "个人中心：联系方式",
        "/accounts/me/",
        "post",
        "applicant",
        {"email": hostile_text, "phone": hostile_text},
        wrongly_accepted=lambda response, user, before: _bad_contact_stored(user),
    ),
    FormTarget("我的通知筛选", "/notifications/", "get", "applicant", {"show": hostile_text, "page": hostile_number}),
    FormTarget(
        "单条通知标为已读",
        "/notifications/{pk}/read/",
        "post",
        "applicant",
        {"open": hostile_text, "back": hostile_text},
        setup=lambda user: {"pk": _notification_for(user).pk},
        wrongly_accepted=lambda response, user, before: not response.get("Location", "/").startswith("/"),
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
    # applications (issue 4)
    FormTarget(
        "申报草稿编辑",
        "/applications/{app}/edit/",
        "post",
        "applicant",
        {
            "version": hostile_number,
            "studio_name": hostile_text,
            "occupation": hostile_text,
            "mode": hostile_text,
            "venue_school": hostile_text,
            "work_plan": hostile_text,
            "major_justification": hostile_text,
        },
        setup=lambda user: {"app": _draft_for(user).pk},
        prepare=lambda user: _draft_for(user).version,
        wrongly_accepted=lambda response, user, before: _stale_or_bad_draft_saved(response, user, before),
    ),
    FormTarget(
        "公示异议",
        "/applications/publicity/{publicity}/object/{app}/",
        "post",
        "outsider",
        {"content": hostile_text},
        setup=lambda user: _publicity_with_application(),
        wrongly_accepted=lambda response, user, before: _blank_objection_stored(),
    ),
    FormTarget(
        "API 资格预审（日期）",
        "/api/v1/people/{pk}/eligibility",
        "get",
        "applicant",
        {"pk": hostile_number, "on": hostile_date},
    ),
    # multipart operations that mirror the pages (applications/api_writes.py); the JSON ones are walked from the
    # OpenAPI schema by test_api_limits.py
    FormTarget(
        "API 上传申报材料（multipart，无文件）",
        "/api/v1/applications/{app}/attachments",
        "post",
        "applicant",
        {"kind": hostile_text},
        setup=lambda user: {"app": _draft_for(user).pk},
        wrongly_accepted=lambda response, user, before: _any_attachment_stored(),
    ),
    FormTarget(
        "API 提出异议附证据（multipart）",
        "/api/v1/applications/publicity/{publicity}/objections/with-evidence",
        "post",
        "outsider",
        {"application_id": hostile_number, "content": hostile_text},
        setup=lambda user: _publicity_with_application(),
        wrongly_accepted=lambda response, user, before: _blank_objection_stored(),
    ),
    FormTarget(
        "API 取消申报资格（multipart）",
        "/api/v1/applications/{app}/disqualify",
        "post",
        "teaching_affairs",
        {"reason": hostile_text},
        setup=lambda user: {"app": _draft_for(_new_teacher()).pk},
        wrongly_accepted=lambda response, user, before: _bad_disqualify_reason_stored(),
    ),
]


def _any_attachment_stored():
    from applications.models import Attachment

    return Attachment.objects.exists()


def _new_teacher():
    from tests.factories import UserFactory

    return UserFactory()


def _bad_disqualify_reason_stored():
    from applications.models import Application

    limit = Application._meta.get_field("disqualify_reason").max_length
    for reason in Application.objects.exclude(disqualify_reason="").values_list("disqualify_reason", flat=True):
        if "\x00" in reason or not reason.strip() or (limit and len(reason) > limit):
            return True
    return False


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


def _draft_for(user):
    """user's draft in an open call (made on first use)."""
    import datetime as dt

    from django.utils import timezone

    from accounts.enums import Role
    from applications import services
    from applications.models import Application, Rubric, RubricCriterion
    from tests.factories import UserFactory

    existing = Application.objects.filter(applicant=user).first()
    if existing:
        return existing
    ta = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    rubric = Rubric.objects.create(name="恶意输入标准")
    RubricCriterion.objects.create(rubric=rubric, code="master", label="水平", weight=1, max_score=10)
    now = timezone.now()
    call = services.create_call(
        by=ta,
        year=now.year,
        title="恶意输入批次",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rubric=rubric,
    )
    services.open_call(call, by=ta)
    return services.create_application(call, by=user)


def _stale_or_bad_draft_saved(response, user, before):
    """A save must need the current version; nothing with a NUL byte or over the field length may be stored."""
    app = _draft_for(user)
    posted = response.wsgi_request.POST.get("version", "")
    if app.version != before and posted.strip() != str(before):
        return True
    return any("\x00" in (getattr(app, f) or "") for f in ("studio_name", "occupation", "work_plan"))


def _publicity_with_application():
    import datetime as dt

    from django.utils import timezone

    from accounts.enums import Role
    from applications.models import Application, Publicity
    from tests.factories import UserFactory

    owner = UserFactory()
    app = _draft_for(owner)
    ta = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    now = timezone.now()
    publicity = Publicity.objects.create(
        call=app.call,
        title="恶意输入公示",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=3),
        days=3,
        working_days=True,
        published_by=ta,
    )
    Application.objects.filter(pk=app.pk).update(status="in_publicity", publicity=publicity)
    return {"publicity": publicity.pk, "app": app.pk}


def _blank_objection_stored():
    from applications.models import Objection

    return any(not o.strip() or "\x00" in o for o in Objection.objects.values_list("content", flat=True))


# --- 系统管理 (administration, issue 9 item 12) ------------------------------------------------------------------------


def _has_control_characters(values):
    return any(isinstance(v, str) and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in v) for v in values)


def _bad_account_stored():
    from django.core.exceptions import ValidationError

    from accounts.models import User, staff_no_validator

    for username, name in User.objects.values_list("username", "display_name"):
        try:
            staff_no_validator(username)
        except ValidationError:
            return True
        if not name.strip() or _has_control_characters([name]):
            return True
    return False


def _bad_settings_stored():
    from django.db.models import F

    from accounts.models import Department, Major
    from applications.models import RubricCriterion, WorkdayOverride
    from people.models import HonorKind

    texts = [
        *Department.objects.values_list("name", flat=True),
        *Major.objects.values_list("name", flat=True),
        *HonorKind.objects.values_list("name", flat=True),
        *WorkdayOverride.objects.values_list("reason", flat=True),
        *RubricCriterion.objects.values_list("label", flat=True),
    ]
    return (
        _has_control_characters(texts)
        or RubricCriterion.objects.filter(weight__lte=0).exists()
        or RubricCriterion.objects.filter(max_score__lte=F("min_score")).exists()
        or WorkdayOverride.objects.exclude(date__year__gte=2000, date__year__lte=2100).exists()
        or WorkdayOverride.objects.filter(reason="").exists()
    )


def _unused_rubric():
    from applications.models import Rubric

    return {"rubric": Rubric.objects.get_or_create(name="恶意输入未用标准")[0].pk}


def _next_policy():
    from django.utils import timezone

    from people.models import PolicyVersion

    return {"policy": PolicyVersion.objects.get_or_create(year=timezone.localdate().year + 1)[0].pk}


def _policy_thresholds_out_of_order(response, user, before):
    from django.db.models import F, Q

    from people.models import PolicyVersion

    return PolicyVersion.objects.filter(
        Q(grade_excellent_min__lt=F("grade_good_min")) | Q(grade_good_min__lt=F("grade_pass_min"))
    ).exists()


def _a_teacher(user):
    from tests.factories import UserFactory

    return {"pk": UserFactory(username="HT001", display_name="恶意输入教师").pk}


def _roles_wrongly_granted(response, user, before):
    from accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user__username="HT001").exclude(role__in=["finance", "dept_head"]).exists()


FORMS.extend(
    [
        FormTarget(
            "系统管理：账户列表筛选",
            "/system/users/",
            "get",
            "admin_user",
            {
                "q": hostile_text,
                "department": hostile_number,
                "role": hostile_text,
                "status": hostile_text,
                "page": hostile_number,
            },
        ),
        FormTarget(
            "系统管理：新建账户",
            "/system/users/new/",
            "post",
            "admin_user",
            {
                "username": hostile_text,
                "display_name": hostile_text,
                "department": hostile_number,
                "email": hostile_text,
                "phone": hostile_text,
            },
            wrongly_accepted=lambda response, user, before: _bad_account_stored(),
        ),
        FormTarget(
            "系统管理：授予角色",
            "/system/users/{pk}/roles/",
            "post",
            "admin_user",
            {"role": hostile_text, "department": hostile_number},
            setup=_a_teacher,
            wrongly_accepted=_roles_wrongly_granted,
        ),
        FormTarget(
            "系统管理：加入评审专家库",
            "/system/experts/",
            "post",
            "teaching_affairs",
            {"username": hostile_text},
        ),
        FormTarget(
            "系统管理：政策参数（下一年度）",
            "/system/policy/{policy}/",
            "post",
            "admin_user",
            {
                "school_name": hostile_text,
                "master_max_age": hostile_number,
                "publicity_days": hostile_number,
                "grade_excellent_min": hostile_number,
                "grade_good_min": hostile_number,
                "grade_pass_min": hostile_number,
                "note": hostile_text,
            },
            setup=lambda user: _next_policy(),
            wrongly_accepted=_policy_thresholds_out_of_order,
        ),
        FormTarget(
            "系统管理：评分项",
            "/system/rubrics/{rubric}/criteria/new/",
            "post",
            "teaching_affairs",
            {
                "code": hostile_text,
                "label": hostile_text,
                "weight": hostile_number,
                "min_score": hostile_number,
                "max_score": hostile_number,
                "order": hostile_number,
            },
            setup=lambda user: _unused_rubric(),
            wrongly_accepted=lambda response, user, before: _bad_settings_stored(),
        ),
        FormTarget(
            "系统管理：节假日校正",
            "/system/holidays/new/",
            "post",
            "teaching_affairs",
            {"date": hostile_date, "is_workday": hostile_text, "reason": hostile_text},
            wrongly_accepted=lambda response, user, before: _bad_settings_stored(),
        ),
        FormTarget("系统管理：节假日年份", "/system/holidays/", "get", "teaching_affairs", {"year": hostile_number}),
        FormTarget(
            "系统管理：系部",
            "/system/dictionaries/departments/new/",
            "post",
            "admin_user",
            {"name": hostile_text, "code": hostile_text},
            wrongly_accepted=lambda response, user, before: _bad_settings_stored(),
        ),
        FormTarget(
            "系统管理：专业",
            "/system/dictionaries/majors/new/",
            "post",
            "admin_user",
            {"department": hostile_number, "name": hostile_text, "code": hostile_text},
            wrongly_accepted=lambda response, user, before: _bad_settings_stored(),
        ),
        FormTarget(
            "系统管理：荣誉/奖项类别",
            "/system/dictionaries/honor-kinds/new/",
            "post",
            "admin_user",
            {"code": hostile_text, "name": hostile_text, "order": hostile_number},
            wrongly_accepted=lambda response, user, before: _bad_settings_stored(),
        ),
    ]
)


# --- sign-in self-service oracles --------------------------------------------------------------------------------


def _reset_mail_to_a_stranger():
    """A 忘记密码 mail may only go to an address registered on an account (never to one typed into the form)."""
    from django.core import mail

    from accounts.models import User

    registered = set(User.objects.exclude(email="").values_list("email", flat=True))
    return any(set(message.to) - registered for message in mail.outbox)


def _activation_link():
    from accounts.services import create_user
    from accounts.tokens import activation_tokens, encode_uid

    user = create_user(by=None, username="T8801", display_name="激活测试", department=None)
    return f"{encode_uid(user)}/{activation_tokens.make_token(user)}"


def _reset_link():
    from accounts.tokens import encode_uid, reset_tokens
    from tests.factories import UserFactory

    user = UserFactory(username="T8802", display_name="重置测试", department=None)
    return f"{encode_uid(user)}/{reset_tokens.make_token(user)}"


def _password_hash_of(username):
    from accounts.models import User

    return User.objects.get(username=username).password


def _password_set_silently(response, username, before):
    """Wrongly accepted: the password changed but the page did not say so (a refusal that still wrote)."""
    from accounts.models import User

    changed = User.objects.get(username=username).password != before
    return changed and 'data-testid="password-set"' not in response.content.decode("utf-8", "replace")
