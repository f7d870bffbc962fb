"""Every form and API body that takes user input, for the hostile-input tests: one FormTarget per form.

Adding a form: one FormTarget in FORMS with its field strategies and an oracle that says when the app accepted
what it must refuse ("wrongly accepted"). Every target is also checked for: no 500.
"""

import datetime as _dt
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
    # 统一身份认证 (issue 14): 404 while CAS is off, as here; tests/sso/test_hostile.py drives the same inputs with CAS
    # and LDAP on, against the real CAS server and slapd.
    FormTarget(
        "统一身份认证回调（票据）",
        "/accounts/cas/callback/",
        "get",
        "anon",
        {"ticket": hostile_text, "next": hostile_text},
        wrongly_accepted=_logged_in,
    ),
    FormTarget("统一身份认证单点退出", "/accounts/cas/callback/", "post", "anon", {"logoutRequest": hostile_text}),
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
    # issue 9 item 2: certificates opened from the eligibility evidence (kind and ids from the path)
    FormTarget(
        "资格依据文件（路径参数）",
        "/applications/{pk}/evidence/{kind}/{obj}/",
        "get",
        "applicant",
        {"pk": hostile_number, "kind": hostile_text, "obj": hostile_number},
    ),
    # issue 9 item 4: the opinion box — never a refusal or return without a reason, never 推荐 without R7/R8 符合
    FormTarget(
        "办理意见（系部主任）",
        "/applications/{app}/transition/",
        "post",
        "dept_head",
        {
            "target": st.sampled_from(["recommended", "returned", "rejected"]) | hostile_text,
            "note": hostile_text,
            "r7_judgement": st.sampled_from(["pass", "fail", ""]) | hostile_text,
            "r8_judgement": hostile_text,
            "r7_note": hostile_text,
            "confirmed": st.sampled_from(["1", ""]) | hostile_text,
        },
        setup=lambda user: {"app": _submitted_in_department_of(user).pk},
        wrongly_accepted=lambda response, user, before: _decision_without_reason_or_judgement(),
    ),
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
    # Issue 9 items 6/7 (helper uxb): the member search answers bounded JSON whatever it is given; deleting through
    # one's own draft an attachment that belongs to another person's draft deletes nothing.
    FormTarget(
        "成员搜索（JSON）",
        "/applications/{app}/member-search/",
        "get",
        "applicant",
        {"q": hostile_text, "selected": hostile_text},
        setup=lambda user: {"app": _draft_for(user).pk},
        wrongly_accepted=lambda response, user, before: (
            response.status_code != 200 or len(response.json()["results"]) > 20
        ),
    ),
    FormTarget(
        "删除申报材料（他人的材料）",
        "/applications/{app}/attachments/{attachment}/delete/",
        "post",
        "applicant",
        {"note": hostile_text},
        setup=lambda user: {"app": _draft_for(user).pk, "attachment": _foreign_attachment(_draft_for(user)).pk},
        wrongly_accepted=lambda response, user, before: not _foreign_attachment_kept(),
    ),
]


def _foreign_attachment(own_draft):
    """An attachment of another teacher's draft in the same call as `own_draft` (made on first use)."""
    from applications import services
    from applications.models import Attachment, Call
    from applications.tests.conftest import pdf_upload

    existing = Attachment.objects.filter(original_name="他人的证书.pdf").first()
    if existing is not None:
        return existing
    other = _new_teacher()
    draft = services.create_application(Call.objects.get(pk=own_draft.call_id), by=other)
    return services.add_attachment(draft, by=other, kind="certificate", uploaded_file=pdf_upload("他人的证书.pdf"))


def _foreign_attachment_kept():
    from applications.models import Attachment

    return Attachment.objects.filter(original_name="他人的证书.pdf").exists()


def _submitted_in_department_of(head):
    from django.utils import timezone

    from applications.models import Application, Call
    from tests.factories import UserFactory

    call = Call.objects.order_by("pk").first()
    if call is None:
        from applications.models import Rubric

        now = timezone.now()
        call = Call.objects.create(
            year=2026,
            title="敌意测试批次",
            opens_at=now,
            closes_at=now + timezone.timedelta(days=30),
            policy_year=2026,
            rubric=Rubric.objects.create(name="敌意测试标准"),
            created_by=head,
        )
    teacher = UserFactory(department=head.department)
    return Application.objects.create(
        call=call, applicant=teacher, department_id=head.department_id, status="submitted", studio_name="敌意测试工作室"
    )


def _decision_without_reason_or_judgement():
    """The department's decision went through without its reason, or 推荐 without both R7/R8 judged 符合."""
    from applications.models import Application
    from core.models import StatusChange

    moved = StatusChange.objects.filter(machine="application", to_state__in=["recommended", "returned", "rejected"])
    if any(not (row.note or "").strip() for row in moved):
        return True
    return (
        Application.objects.filter(status="recommended")
        .exclude(dept_r7_judgement="pass", dept_r8_judgement="pass")
        .exists()
    )


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


# --- ledger (issue 10: 建设记录) ---------------------------------------------------------------------------------
# The form of each record type, the record's actions (edit, return, 抽查, 带徒进展, 项目阶段, 材料), batch confirm,
# the lists and their export, the multipart API upload. Uploads with malicious files: tests/hostile/test_ledger_uploads.py.


def _ledger_studio_of(user):
    """A studio whose master is `user` (the applicant persona), made once per target."""
    from ledger.tests.helpers import make_studio

    return make_studio(user.department, user)[0]


def _ledger_record(user, slug, status="draft"):
    import datetime as dt

    from django.utils import timezone

    from ledger.types import TYPES

    studio = _ledger_studio_of(user)
    model = TYPES[slug].model
    extra = {
        "activities": {"kind": "exchange"},
        "mentorships": {"mentor": user, "apprentice_type": "student", "apprentice_name": "徒弟甲"},
        "meetings": {},
        "projects": {"kind": "internal"},
        "achievements": {"kind": "paper", "level": "school"},
    }[slug]
    return model.objects.create(
        studio=studio,
        date=timezone.localdate() - dt.timedelta(days=3),
        title="原始标题",
        status=status,
        created_by=user,
        **extra,
    )


def _invalid_ledger_rows(slug):
    """Wrongly accepted: a stored record of the type that its own model validation refuses, or a record dated in the
    future (a ledger records what happened)."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from ledger.types import TYPES

    for row in TYPES[slug].model.objects.all():
        if row.date > timezone.localdate():
            return True
        try:
            row.full_clean(exclude=["studio", "created_by"])
        except ValidationError:
            return True
    return False


def _ledger_fields(slug):
    from ledger.services import FIELDS
    from ledger.types import TYPES

    model = TYPES[slug].model
    strategies = {}
    for name in FIELDS[TYPES[slug].name]:
        kind = model._meta.get_field(name).get_internal_type()
        if kind == "DateField":
            strategies[name] = hostile_date
        elif kind in ("DecimalField", "PositiveIntegerField", "ForeignKey", "BooleanField"):
            strategies[name] = hostile_number
        else:
            strategies[name] = hostile_text
    strategies["members"] = st.lists(hostile_number, max_size=3)
    return strategies


def _ledger_returned_without_reason():
    from ledger.models import Activity

    return Activity.objects.filter(status="returned", return_reason="").exists()


def _ledger_spot_check_blank():
    from ledger.models import Activity

    return Activity.objects.filter(spot_checked_by__isnull=False, spot_check_note="").exists()


def _ledger_note_bad():
    from ledger.models import MentorshipNote

    return MentorshipNote.objects.filter(note="").exists()


def _ledger_stage_bad():
    from ledger.enums import ProjectStage
    from ledger.models import ProjectStageRecord

    return ProjectStageRecord.objects.exclude(stage__in=ProjectStage.values).exists()


def _ledger_attachment_stored():
    from ledger.models import Attachment

    return Attachment.objects.exists()


def _ledger_submitted_for_head(user):
    """A submitted activity of a studio of the dept_head persona's department."""
    from tests.factories import UserFactory

    master = UserFactory(department=user.department)
    return {"pk": _ledger_record(master, "activities", status="submitted").pk}


def _ledger_confirmed(user):
    from tests.factories import DepartmentFactory, UserFactory

    master = UserFactory(department=DepartmentFactory())
    return {"pk": _ledger_record(master, "activities", status="confirmed").pk}


_LEDGER_LISTS = [
    ("活动记录", "activities", {"kind": hostile_text}),
    ("名师带徒", "mentorships", {}),
    ("例会记录", "meetings", {}),
    ("项目", "projects", {"kind": hostile_text}),
    ("成果", "achievements", {"kind": hostile_text}),
]
_LEDGER_FILTERS = {"q": hostile_text, "status": hostile_text, "studio": hostile_number, "year": hostile_text}

FORMS.extend(
    [
        *(
            FormTarget(
                f"建设记录：新增{label}",
                f"/ledger/{slug}/new/?studio={{studio}}",
                "post",
                "applicant",
                {**_ledger_fields(slug), "action": hostile_text},
                setup=lambda user: {"studio": _ledger_studio_of(user).pk},
                wrongly_accepted=lambda response, user, before, slug=slug: _invalid_ledger_rows(slug),
            )
            for label, slug, _ in _LEDGER_LISTS
        ),
        FormTarget(
            "建设记录：修改活动记录",
            "/ledger/activities/{record}/edit/",
            "post",
            "applicant",
            _ledger_fields("activities"),
            setup=lambda user: {"record": _ledger_record(user, "activities").pk},
            wrongly_accepted=lambda response, user, before: _invalid_ledger_rows("activities"),
        ),
        FormTarget(
            "建设记录：系部退回（原因）",
            "/ledger/activities/{pk}/return/",
            "post",
            "dept_head",
            {"reason": hostile_text},
            setup=_ledger_submitted_for_head,
            wrongly_accepted=lambda response, user, before: _ledger_returned_without_reason(),
        ),
        FormTarget(
            "建设记录：教学工作部抽查",
            "/ledger/activities/{pk}/spot-check/",
            "post",
            "teaching_affairs",
            {"note": hostile_text},
            setup=_ledger_confirmed,
            wrongly_accepted=lambda response, user, before: _ledger_spot_check_blank(),
        ),
        FormTarget(
            "建设记录：带徒进展",
            "/ledger/mentorships/{record}/notes/",
            "post",
            "applicant",
            {"date": hostile_date, "note": hostile_text},
            setup=lambda user: {"record": _ledger_record(user, "mentorships").pk},
            wrongly_accepted=lambda response, user, before: _ledger_note_bad(),
        ),
        FormTarget(
            "建设记录：项目阶段",
            "/ledger/projects/{record}/stages/",
            "post",
            "applicant",
            {"stage": hostile_text, "date": hostile_date, "note": hostile_text},
            setup=lambda user: {"record": _ledger_record(user, "projects").pk},
            wrongly_accepted=lambda response, user, before: _ledger_stage_bad(),
        ),
        FormTarget(
            "建设记录：上传材料（无文件）",
            "/ledger/activities/{record}/attachments/",
            "post",
            "applicant",
            {"kind": hostile_text},
            setup=lambda user: {"record": _ledger_record(user, "activities").pk},
            wrongly_accepted=lambda response, user, before: _ledger_attachment_stored(),
        ),
        FormTarget(
            "建设记录：批量确认",
            "/ledger/activities/batch-confirm/",
            "post",
            "dept_head",
            {"ids": st.lists(hostile_text, max_size=5), "next": hostile_text},
            wrongly_accepted=lambda response, user, before: (
                not response.get("Location", "/").startswith("/") or response.get("Location", "").startswith("//")
            ),
        ),
        FormTarget(
            "建设记录：系部审核（路径参数）",
            "/ledger/{pk}/1/confirm/",
            "post",
            "dept_head",
            {"pk": hostile_text},
        ),
        FormTarget("建设记录详情（路径参数）", "/ledger/activities/{pk}/", "get", "applicant", {"pk": hostile_number}),
        FormTarget("系部审核待办", "/ledger/review/", "get", "dept_head", {"studio": hostile_text}),
        *(
            FormTarget(
                f"{label}列表（排序、每页条数、筛选）",
                f"/ledger/{slug}/",
                "get",
                "teaching_affairs",
                {
                    **_LEDGER_FILTERS,
                    **filters,
                    "sort": hostile_text,
                    "page_size": hostile_number,
                    "page": hostile_number,
                },
            )
            for label, slug, filters in _LEDGER_LISTS
        ),
        *(
            FormTarget(
                f"{label}导出 Excel",
                f"/ledger/{slug}/export.xlsx",
                "get",
                "teaching_affairs",
                {**_LEDGER_FILTERS, **filters, "sort": hostile_text, "page_size": hostile_number},
                wrongly_accepted=_exported_despite_bad_input,
            )
            for label, slug, filters in _LEDGER_LISTS
        ),
        FormTarget(
            "API 上传建设记录材料（multipart，无文件）",
            "/api/v1/ledger/activities/{record}/attachments",
            "post",
            "applicant",
            {"attachment_kind": hostile_text},
            setup=lambda user: {"record": _ledger_record(user, "activities").pk},
            wrongly_accepted=lambda response, user, before: _ledger_attachment_stored(),
        ),
    ]
)


# --- plans (issue 10: 建设方案与指标) --------------------------------------------------------------------------------


def _plan_of(user, status="draft"):
    """A plan of the studio `user` masters (ledger's hostile studio), with the year's default targets."""
    from django.utils import timezone

    from plans.models import Plan, PlanTarget
    from plans.services import ensure_indicator_set

    studio = _ledger_studio_of(user)
    indicator_set = ensure_indicator_set(timezone.localdate().year)
    plan = Plan.objects.create(
        studio=studio, kind="construction", year=indicator_set.year, term_years=3, indicator_set=indicator_set,
        created_by=user, status=status,
    )  # fmt: skip
    PlanTarget.objects.bulk_create(
        PlanTarget(plan=plan, indicator=i, target=i.default_target) for i in indicator_set.indicators.all()
    )
    return plan


def _plan_stored_badly(response, user, before):
    """A plan, target or task outside its bounds was stored: text over its limit, a term outside 1–5, a year outside
    2000–2100, a negative or huge target, a task whose owner is not a current member of the studio."""
    from plans.models import MAX_TARGET, Plan, PlanTarget, PlanTask
    from studios.models import Membership

    for plan in Plan.objects.all():
        if len(plan.goals) > 5000 or len(plan.expected_outputs) > 5000 or not 1 <= plan.term_years <= 5:
            return True
        if not 2000 <= plan.year <= 2100:
            return True
    if PlanTarget.objects.filter(target__lt=0).exists() or PlanTarget.objects.filter(target__gt=MAX_TARGET).exists():
        return True
    members = set(Membership.objects.filter(left_on__isnull=True).values_list("user_id", flat=True))
    return PlanTask.objects.exclude(owner_id__in=members).exists()


def _indicator_weights_broken(response, user, before):
    """A year's weights no longer sum to 100, or a negative / over-100 weight or target was stored."""
    from django.db.models import Q, Sum

    from plans.models import Indicator, IndicatorSet

    for indicator_set in IndicatorSet.objects.annotate(total=Sum("indicators__weight")):
        if indicator_set.total != 100:
            return True
    return Indicator.objects.filter(Q(weight__lt=0) | Q(weight__gt=100) | Q(default_target__lt=0)).exists()


FORMS.extend(
    [
        FormTarget(
            "新建建设方案/年度计划",
            "/plans/studio/{studio}/new/",
            "post",
            "applicant",
            {"kind": hostile_text, "year": hostile_number, "term_years": hostile_number},
            setup=lambda user: {"studio": _ledger_studio_of(user).pk},
            wrongly_accepted=_plan_stored_badly,
        ),
        FormTarget(
            "编辑方案（目标、任务）",
            "/plans/{plan}/edit/",
            "post",
            "applicant",
            {
                "goals": hostile_text,
                "expected_outputs": hostile_text,
                "term_years": hostile_number,
                "task0-title": hostile_text,
                "task0-owner": hostile_number,
                "task0-due_on": hostile_date,
                "task0-expected_output": hostile_text,
            },
            setup=lambda user: {"plan": _plan_of(user).pk},
            wrongly_accepted=_plan_stored_badly,
        ),
        FormTarget(
            "办理方案（状态与意见）",
            "/plans/{plan}/move/",
            "post",
            "applicant",
            {"to": hostile_text, "note": hostile_text},
            setup=lambda user: {"plan": _plan_of(user).pk},
        ),
        FormTarget(
            "方案新版本（变更原因）",
            "/plans/{plan}/new-version/",
            "post",
            "applicant",
            {"reason": hostile_text},
            setup=lambda user: {"plan": _plan_of(user, status="approved").pk},
            wrongly_accepted=_plan_stored_badly,
        ),
        FormTarget(
            "系统管理：建设指标体系（权重之和须为100）",
            "/plans/indicators/{set}/",
            "post",
            "admin_user",
            {
                "row": hostile_text,
                "id-1": hostile_text,
                "key-1": hostile_text,
                "name-1": hostile_text,
                "weight-1": hostile_number,
                "default_target-1": hostile_number,
                "group_weight-1": hostile_number,
                "computation-1": hostile_text,
                "note": hostile_text,
            },
            setup=lambda user: {"set": _indicator_set().pk},
            wrongly_accepted=_indicator_weights_broken,
        ),
        FormTarget(
            "系统管理：新增年度指标体系",
            "/plans/indicators/",
            "post",
            "admin_user",
            {"year": hostile_number},
            wrongly_accepted=_indicator_weights_broken,
        ),
        FormTarget(
            "全校目标完成情况（年度、筛选、排序）",
            "/plans/actual/",
            "get",
            "teaching_affairs",
            {
                "year": hostile_number,
                "q": hostile_text,
                "department": hostile_number,
                "sort": hostile_text,
                "page_size": hostile_number,
                "page": hostile_number,
            },
        ),
        FormTarget(
            "全校目标完成情况导出 Excel",
            "/plans/actual/export.xlsx",
            "get",
            "teaching_affairs",
            {"year": hostile_number, "department": hostile_number, "sort": hostile_text},
            wrongly_accepted=_exported_despite_bad_input,
        ),
        FormTarget(
            "工作室目标与完成（年度）",
            "/plans/actual/studio/{studio}/",
            "get",
            "applicant",
            {"year": hostile_number, "waiting": hostile_text},
            setup=lambda user: {"studio": _ledger_studio_of(user).pk},
        ),
        FormTarget(
            "方案列表（筛选、排序）",
            "/plans/",
            "get",
            "applicant",
            {"kind": hostile_text, "status": hostile_text, "department": hostile_number, "sort": hostile_text},
        ),
    ]
)


def _indicator_set():
    from django.utils import timezone

    from plans.services import ensure_indicator_set

    return ensure_indicator_set(timezone.localdate().year)


# --- studios (issue 10: 历史登记, 工作室主页 writes, 责任书) ---------------------------------------------------------------
# Each oracle names what the studio side must never store: a registered studio that breaks a registration rule, any
# studio from a sheet with a bad row (all rows or none), a member row for an unknown account or an impossible date, a
# core teacher leaving below the minimum without an exception, a contact who is not a current member, an exception
# without reason or outside its deadline window, a template outside its bounds, a 责任书 signed with a future date or a
# file that is not a PDF/JPG/PNG scan.

_HZ_MASTER, _HZ_CORES = "HZ0100", ("HZ0101", "HZ0102", "HZ0103")
_HZ_VALID_ROW = [
    "敌意导入技能大师工作室",
    "渝工校〔2020〕3号",
    "2020-06-01",
    _HZ_MASTER,
    "敌意登记系",
    "学校单独创办",
    "实训楼B101",
    "",
    "",
    "、".join(_HZ_CORES),
    "",
]


def _xlsx_bytes(rows):
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from studios.registration import COLUMNS, SHEET

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _, _ in COLUMNS])
    for row in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _not_blank(row):
    """The sheet holds a second row: some cell keeps printable text (a blank row is skipped, a leading = makes a
    formula without a value)."""
    return any("".join(ch for ch in v if ch.isprintable()).strip() and not v.startswith("=") for v in row)


# the sheet: the valid row, then a non-blank row whose every cell is either the valid value or a hostile one
_hostile_sheet = (
    st.tuples(*(st.one_of(st.just(v), hostile_text) for v in _HZ_VALID_ROW))
    .filter(_not_blank)
    .map(lambda bad: _upload("历史工作室.xlsx", _xlsx_bytes([_HZ_VALID_ROW, list(bad)])))
)
_hostile_import_file = st.one_of(
    _hostile_sheet,
    st.binary(max_size=2000).map(lambda b: _upload("历史工作室.xlsx", b)),
    st.just(b"PK\x03\x04" + b"\x00" * 40).map(lambda b: _upload("历史工作室.xlsx", b)),
)


def _import_users(user):
    """The accounts and department the valid row names (made once per target)."""
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code="HZ", name="敌意登记系")
    for username in (_HZ_MASTER, *_HZ_CORES):
        UserFactory(username=username, department=department)
    return {}


def _any_registered_studio(response, user, before):
    """All rows or none: every sheet here has a bad second row (or is no sheet at all), so no studio may appear."""
    from studios.models import Studio

    return Studio.objects.exists()


def _registered_studio_breaking_rules(response, user, before):
    """A registered studio whose name, date or team breaks the registration rules."""
    from django.utils import timezone

    from studios.enums import MembershipRole
    from studios.models import Membership, Studio
    from studios.services import min_core_teachers

    for studio in Studio.objects.filter(source="registered"):
        cores = Membership.objects.filter(studio=studio, role=MembershipRole.CORE, left_on__isnull=True).count()
        if (
            not studio.official_name.endswith("技能大师工作室")
            or studio.approved_on > timezone.localdate()
            or cores < min_core_teachers(studio.approved_on)
            or not studio.document_number.strip()
            or "\x00" in studio.official_name + studio.document_number + studio.venue_school + studio.venue_partner
        ):
            return True
    return False


def _studio_team(user, *, cores=3):
    """A studio mastered by `user` with exactly `cores` core teachers (the minimum) and one plain member."""
    from ledger.tests.helpers import make_studio
    from studios.enums import MembershipRole
    from studios.models import Membership
    from tests.factories import UserFactory

    studio = make_studio(user.department, user, members=cores)[0]
    plain = UserFactory(department=user.department, display_name="普通成员")
    Membership.objects.create(studio=studio, user=plain, role=MembershipRole.MEMBER, joined_on=studio.approved_on)
    return studio


def _membership_ids(user):
    from studios.models import Membership

    return set(Membership.objects.values_list("pk", flat=True))


def _bad_member_row(response, user, before):
    """A member row was created for input that names no account (the 工号 typed), with a role other than 骨干教师/成员,
    or joining in the future or before the studio was approved."""
    from django.utils import timezone

    from studios.models import Membership

    typed = str(response.wsgi_request.POST.get("username", "")).strip().lower()
    for row in Membership.objects.exclude(pk__in=before).select_related("user", "studio"):
        if (
            row.user.username.lower() != typed
            or row.role not in ("core", "member")
            or row.joined_on > timezone.localdate()
            or row.joined_on < row.studio.approved_on
        ):
            return True
    return False


def _core_left_below_minimum(response, user, before):
    """The studio has exactly the minimum of core teachers and no exception: no core teacher may leave; any row that
    left must have a reason and a date not in the future."""
    from django.utils import timezone

    from studios.models import Membership

    left = Membership.objects.filter(left_on__isnull=False)
    return left.filter(role="core").exists() or any(
        not row.leave_reason.strip() or row.left_on > timezone.localdate() for row in left
    )


def _contact_not_current_member(response, user, before):
    from studios.models import Membership, Studio

    for studio in Studio.objects.all():
        current = set(Membership.objects.filter(studio=studio, left_on__isnull=True).values_list("pk", flat=True))
        if {studio.exec_lead_id, studio.contact_id} - {None} - current:
            return True
    return False


def _bad_exception(response, user, before):
    import datetime as dt

    from django.utils import timezone

    from studios.models import StudioException

    today = timezone.localdate()
    return any(
        not row.reason.strip() or not today <= row.deadline <= today + dt.timedelta(days=366)
        for row in StudioException.objects.all()
    )


def _bad_template(response, user, before):
    from studios.models import ResponsibilityLetterTemplate

    return any(
        not row.school_duties.strip() or not row.studio_duties.strip() or not 1 <= row.term_years <= 10
        for row in ResponsibilityLetterTemplate.objects.all()
    )


def _letter_to_sign(user):
    from accounts.enums import Role
    from studios.services import generate_letter, save_letter_template
    from tests.factories import UserFactory

    office = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    save_letter_template(by=office, school_duties="学校职责", studio_duties="工作室职责", term_years=3)
    studio = _studio_team(user)
    return {"studio": studio.pk, "letter": generate_letter(studio, by=office).pk}


def _bad_signed_letter(response, user, before):
    """Signed with a future date, or the stored scan is not a PDF/JPG/PNG by its bytes (e.g. an .xlsx or a disguised
    file)."""
    from django.utils import timezone

    from core.uploads import detect_kind
    from studios.models import ResponsibilityLetter

    for letter in ResponsibilityLetter.objects.filter(signed_on__isnull=False):
        if letter.signed_on > timezone.localdate():
            return True
        with letter.signed_file.open("rb") as f:
            if detect_kind(f) not in ("pdf", "jpg", "png"):
                return True
    return False


# hostile dates plus the dates a rule must still check (today, a week ago): random dates rarely fall in range
_studio_date = st.one_of(
    hostile_date,
    st.integers(min_value=-400, max_value=400).map(
        lambda days: (_dt.date.today() + _dt.timedelta(days=days)).isoformat()
    ),
)
_SCAN_NAMES = st.sampled_from(["扫描件.pdf", "scan.jpg", "scan.png", "../../etc/passwd.pdf", "x.pdf.exe", "x.xlsx"])
_hostile_scan = st.one_of(
    st.tuples(_SCAN_NAMES, st.binary(max_size=2000)),
    st.tuples(_SCAN_NAMES, st.sampled_from([b"%PDF", b"\xff\xd8\xff", b"<html><script>alert(1)</script>", b"MZ\x90"])),
    st.tuples(st.just("签订责任书.xlsx"), st.just(b"").map(lambda _: _xlsx_bytes([]))),
).map(lambda pair: _upload(*pair))

FORMS.extend(
    [
        FormTarget(
            "登记历史工作室",
            "/studios/register/",
            "post",
            "teaching_affairs",
            {
                "official_name": hostile_text,
                "document_number": hostile_text,
                "approved_on": hostile_date,
                "master": hostile_text,
                "department": hostile_number,
                "mode": hostile_text,
                "venue_school": hostile_text,
                "partner_enterprise": hostile_number,
                "venue_partner": hostile_text,
                "core_members": hostile_text,
                "other_members": hostile_text,
            },
            wrongly_accepted=_registered_studio_breaking_rules,
        ),
        FormTarget(
            "历史工作室 Excel 导入（一行有误则整份不导入）",
            "/studios/register/import/",
            "post",
            "teaching_affairs",
            {"file": _hostile_import_file},
            setup=_import_users,
            wrongly_accepted=_any_registered_studio,
        ),
        FormTarget(
            "工作室：添加成员",
            "/studios/{studio}/members/add/",
            "post",
            "applicant",
            {"username": hostile_text, "role": hostile_text, "joined_on": _studio_date, "reason": hostile_text},
            setup=lambda user: {"studio": _studio_team(user).pk},
            prepare=_membership_ids,
            wrongly_accepted=_bad_member_row,
        ),
        FormTarget(
            "工作室：成员退出（骨干教师已是最低人数）",
            "/studios/{studio}/members/{membership}/remove/",
            "post",
            "applicant",
            {"left_on": _studio_date, "reason": hostile_text},
            setup=lambda user: _core_at_minimum(user),
            wrongly_accepted=_core_left_below_minimum,
        ),
        FormTarget(
            "工作室：执行负责人与联系人",
            "/studios/{studio}/contacts/",
            "post",
            "applicant",
            {"exec_lead": hostile_number, "contact": hostile_number},
            setup=lambda user: {"studio": _studio_team(user).pk},
            wrongly_accepted=_contact_not_current_member,
        ),
        FormTarget(
            "工作室：登记临时例外",
            "/studios/{studio}/exceptions/new/",
            "post",
            "teaching_affairs",
            {"reason": hostile_text, "deadline": _studio_date},
            setup=lambda user: {"studio": _studio_team(_a_master()).pk},
            wrongly_accepted=_bad_exception,
        ),
        FormTarget(
            "责任书模板",
            "/studios/letter-template/",
            "post",
            "teaching_affairs",
            {"school_duties": hostile_text, "studio_duties": hostile_text, "term_years": hostile_number},
            wrongly_accepted=_bad_template,
        ),
        FormTarget(
            "上传签订的责任书（扫描件、签订日期）",
            "/studios/{studio}/letters/{letter}/sign/",
            "post",
            "applicant",
            {"signed_on": _studio_date, "file": _hostile_scan},
            setup=_letter_to_sign,
            wrongly_accepted=_bad_signed_letter,
        ),
        FormTarget("工作室主页（路径参数）", "/studios/{pk}/", "get", "applicant", {"pk": hostile_number}),
    ]
)


def _a_master():
    from tests.factories import DepartmentFactory, UserFactory

    return UserFactory(department=DepartmentFactory(), display_name="例外大师")


def _core_at_minimum(user):
    from studios.models import Membership

    studio = _studio_team(user)
    core = Membership.objects.filter(studio=studio, role="core").first()
    return {"studio": studio.pk, "membership": core.pk}


# --- funds (issue 11: 经费) ---------------------------------------------------------------------------------------
# The expenditure form (and its edit), the budget forms, 财务部's decision box and overrun approval, the voucher
# upload without a file, the category dictionary, the lists and their exports (经费台账). Malicious voucher files:
# funds/tests/test_uploads.py.


def _funds_line(master, budget="100.00", source="school"):
    """A studio of `master` (made once per target) with a 设备 line for this year; returns the line."""
    from django.utils import timezone

    from funds.models import BudgetLine, SpendingCategory
    from funds.services import ensure_default_categories
    from tests.factories import UserFactory

    ensure_default_categories()
    studio = _ledger_studio_of(master)
    return BudgetLine.objects.create(
        studio=studio, year=timezone.localdate().year, source=source,
        category=SpendingCategory.objects.get(code="equipment"), amount=budget,
        created_by=UserFactory(department=None),
    )  # fmt: skip


def _funds_expenditure(master, status="draft"):
    from django.utils import timezone

    from funds.models import Expenditure

    line = _funds_line(master)
    return Expenditure.objects.create(
        studio_id=line.studio_id, budget_line=line, date=timezone.localdate(), amount="10.00", payee="原收款方",
        description="原用途", status=status, created_by=master,
    )  # fmt: skip


def _funds_stored_badly(response, user, before):
    """An expenditure or budget outside its rules was stored: amount ≤ 0, > the cap or not to the fen, a date in the
    future, blank payee/description, or a line whose committed spending exceeds its budget without an approval."""
    from django.db.models import Q, Sum
    from django.utils import timezone

    from funds.models import MAX_AMOUNT, BudgetLine, Expenditure, OverrunApproval

    bad = Expenditure.objects.filter(
        Q(amount__lte=0) | Q(amount__gt=MAX_AMOUNT) | Q(date__gt=timezone.localdate()) | Q(payee="") | Q(description="")
    )
    if bad.exists() or BudgetLine.objects.filter(Q(amount__lt=0) | Q(amount__gt=MAX_AMOUNT)).exists():
        return True
    for line in BudgetLine.objects.all():
        committed = (
            Expenditure.objects.filter(budget_line=line, status__in=("submitted", "confirmed")).aggregate(
                t=Sum("amount")
            )["t"]
            or 0
        )
        if committed > line.amount and not OverrunApproval.objects.filter(budget_line=line).exists():
            return True
    return False


def _funds_returned_without_reason(response, user, before):
    from funds.models import Expenditure

    return Expenditure.objects.filter(status="returned", return_reason="").exists()


def _funds_overrun_blank(response, user, before):
    from funds.models import OverrunApproval

    return OverrunApproval.objects.filter(reason="").exists()


def _funds_voucher_stored(response, user, before):
    from funds.models import Expenditure

    return Expenditure.objects.exclude(voucher="").exists()


def _funds_category_bad(response, user, before):
    from funds.models import SpendingCategory

    return SpendingCategory.objects.filter(name="").exists()


def _master_in(department):
    from tests.factories import UserFactory

    return UserFactory(department=department, display_name="经费大师")


def _funds_submitted_for_finance(user):
    from tests.factories import DepartmentFactory, UserFactory

    master = UserFactory(department=DepartmentFactory())
    return {"pk": _funds_expenditure(master, "submitted").pk}


def _funds_draft_for_finance(user):
    from tests.factories import DepartmentFactory, UserFactory

    master = UserFactory(department=DepartmentFactory())
    return {"pk": _funds_expenditure(master).pk}


_FUNDS_EXPENDITURE_FIELDS = {
    "date": hostile_date,
    "amount": hostile_text,
    "source": hostile_text,
    "category": hostile_number,
    "payee": hostile_text,
    "description": hostile_text,
    "action": hostile_text,
}
_FUNDS_FILTERS = {
    "q": hostile_text,
    "status": hostile_text,
    "studio": hostile_number,
    "year": hostile_text,
    "source": hostile_text,
    "category": hostile_number,
    "sort": hostile_text,
    "page_size": hostile_number,
}

FORMS.extend(
    [
        FormTarget(
            "经费：登记支出",
            "/funds/studio/{studio}/expenditures/new/",
            "post",
            "applicant",
            _FUNDS_EXPENDITURE_FIELDS,
            setup=lambda user: {"studio": _funds_line(user).studio_id},
            wrongly_accepted=_funds_stored_badly,
        ),
        FormTarget(
            "经费：修改支出",
            "/funds/expenditures/{pk}/edit/",
            "post",
            "applicant",
            _FUNDS_EXPENDITURE_FIELDS,
            setup=lambda user: {"pk": _funds_expenditure(user).pk},
            wrongly_accepted=_funds_stored_badly,
        ),
        FormTarget(
            "经费：新增预算（系部配套）",
            "/funds/studio/{studio}/budgets/new/",
            "post",
            "dept_head",
            {
                "year": hostile_number,
                "source": hostile_text,
                "category": hostile_number,
                "amount": hostile_text,
                "note": hostile_text,
            },
            setup=lambda user: {"studio": _funds_line(_master_in(user.department)).studio_id},
            wrongly_accepted=_funds_stored_badly,
        ),  # fmt: skip
        FormTarget(
            "经费：财务部办理（确认/退回）",
            "/funds/expenditures/{pk}/decide/",
            "post",
            "finance",
            {"target": hostile_text, "note": hostile_text, "confirmed": hostile_text},
            setup=_funds_submitted_for_finance,
            wrongly_accepted=_funds_returned_without_reason,
        ),
        FormTarget(
            "经费：财务部批准超支",
            "/funds/expenditures/{pk}/overrun/",
            "post",
            "finance",
            {"reason": hostile_text},
            setup=_funds_draft_for_finance,
            wrongly_accepted=_funds_overrun_blank,
        ),
        FormTarget(
            "经费：修改预算",
            "/funds/budgets/{pk}/edit/",
            "post",
            "finance",
            {"amount": hostile_text, "note": hostile_text},
            setup=lambda user: {"pk": _funds_expenditure(_a_master(), "submitted").budget_line_id},
            wrongly_accepted=_funds_stored_badly,
        ),
        FormTarget(
            "经费：上传凭证（无文件）",
            "/funds/expenditures/{pk}/voucher/upload/",
            "post",
            "applicant",
            {"voucher": hostile_text},
            setup=lambda user: {"pk": _funds_expenditure(user).pk},
            wrongly_accepted=_funds_voucher_stored,
        ),
        FormTarget(
            "经费：支出类别",
            "/funds/categories/",
            "post",
            "finance",
            {"name": hostile_text, "order": hostile_number, "active": hostile_text},
            wrongly_accepted=_funds_category_bad,
        ),
        FormTarget("经费支出列表（筛选、排序）", "/funds/expenditures/", "get", "finance", _FUNDS_FILTERS),
        FormTarget(
            "经费台账导出 Excel",
            "/funds/expenditures/export.xlsx",
            "get",
            "finance",
            _FUNDS_FILTERS,
            wrongly_accepted=_exported_despite_bad_input,
        ),
        FormTarget("经费预算列表（筛选、排序）", "/funds/budgets/", "get", "finance", _FUNDS_FILTERS),
        FormTarget(
            "预算执行情况（年度、系部、排序）",
            "/funds/overview/",
            "get",
            "finance",
            {"year": hostile_text, "department": hostile_number, "q": hostile_text, "sort": hostile_text},
        ),
        FormTarget(
            "工作室经费页（年度）",
            "/funds/studio/{pk}/",
            "get",
            "finance",
            {"year": hostile_text},
            setup=lambda user: {"pk": _funds_line(_a_master()).studio_id},
        ),  # fmt: skip
        FormTarget(
            "API 上传支出凭证（multipart，无文件）",
            "/api/v1/funds/expenditures/{pk}/voucher",
            "post",
            "applicant",
            {"note": hostile_text},
            setup=lambda user: {"pk": _funds_expenditure(user).pk},
            wrongly_accepted=_funds_voucher_stored,
        ),
    ]
)


# --- archive (issue 11 items 1-3: 档案) -----------------------------------------------------------------------------
# The upload form (documents and video metadata), 归档 with its override reason, 批量归档, 补充说明, the studio-year
# page's search and category filter, the documents list. Malicious files: tests/hostile/test_archive_uploads.py.


def _archive_last_year():
    import datetime as dt

    return dt.date.today().year - 1


def _archive_studio(user):
    from ledger.tests.helpers import make_studio

    return {"studio": make_studio(user.department, user)[0].pk, "year": _archive_last_year()}


def _archive_studio_for_ta(user):
    from tests.factories import DepartmentFactory, UserFactory

    return _archive_studio(UserFactory(department=DepartmentFactory()))


def _archive_bad_document():
    """Wrongly accepted: a stored document outside its year, in no category, without title, or with neither a file
    nor a storage location."""
    from archive.categories import Category
    from archive.models import ArchiveDocument

    for doc in ArchiveDocument.objects.all():
        if doc.date.year != doc.year or doc.category not in Category.values or not doc.title.strip():
            return True
        if not doc.file and not doc.media_location:
            return True
    return False


def _archive_without_reason():
    """Wrongly accepted: a year archived with missing items and no override reason."""
    from archive.models import YearArchive

    return YearArchive.objects.exclude(missing=[]).filter(override_reason="").exists()


def _archive_addendum_bad():
    from archive.models import Addendum

    return Addendum.objects.filter(reason="").exists() or Addendum.objects.filter(text="").exists()


FORMS.extend(
    [
        FormTarget(
            "档案：上传档案文件（无文件，含影像存放位置）",
            "/archive/studio/{studio}/{year}/upload/",
            "post",
            "applicant",
            {
                "category": hostile_text,
                "title": hostile_text,
                "date": hostile_date,
                "description": hostile_text,
                "media_location": hostile_text,
                "media_duration": hostile_text,
            },
            setup=_archive_studio,
            wrongly_accepted=lambda response, user, before: _archive_bad_document(),
        ),
        FormTarget(
            "档案：年度归档（放行理由）",
            "/archive/studio/{studio}/{year}/archive/",
            "post",
            "teaching_affairs",
            {"override_reason": hostile_text},
            setup=_archive_studio_for_ta,
            wrongly_accepted=lambda response, user, before: _archive_without_reason(),
        ),
        FormTarget(
            "档案：全校批量归档",
            "/archive/archive-all/",
            "post",
            "teaching_affairs",
            {"year": hostile_number, "override_reason": hostile_text},
            wrongly_accepted=lambda response, user, before: _archive_without_reason(),
        ),
        FormTarget(
            "档案：补充说明",
            "/archive/addenda/new/",
            "post",
            "applicant",
            {"object_type": hostile_text, "object_id": hostile_number, "reason": hostile_text, "text": hostile_text},
            wrongly_accepted=lambda response, user, before: _archive_addendum_bad(),
        ),
        FormTarget(
            "档案：工作室年度档案（搜索、类别）",
            "/archive/studio/{studio}/{year}/",
            "get",
            "applicant",
            {"q": hostile_text, "category": hostile_text},
            setup=_archive_studio,
        ),
        FormTarget(
            "档案文件列表（筛选、排序）",
            "/archive/",
            "get",
            "teaching_affairs",
            {"q": hostile_text, "year": hostile_text, "category": hostile_text, "sort": hostile_text},
        ),
        FormTarget(
            "档案：选择工作室与年度",
            "/archive/pick/",
            "get",
            "teaching_affairs",
            {"studio": hostile_number, "year": hostile_text},
        ),
        FormTarget(
            "API 档案：补充说明",
            "/api/v1/archive/addenda",
            "post",
            "applicant",
            {"object_type": hostile_text, "object_id": hostile_number, "reason": hostile_text, "text": hostile_text},
            wrongly_accepted=lambda response, user, before: _archive_addendum_bad(),
        ),
        FormTarget(
            "API 档案：年度归档",
            "/api/v1/archive/studios/{studio}/{year}/archive",
            "post",
            "teaching_affairs",
            {"override_reason": hostile_text},
            setup=_archive_studio_for_ta,
            wrongly_accepted=lambda response, user, before: _archive_without_reason(),
        ),
        FormTarget(
            "API 档案：上传（multipart，无文件）",
            "/api/v1/archive/studios/{studio}/{year}/documents",
            "post",
            "applicant",
            {"category": hostile_text, "title": hostile_text, "date": hostile_date, "media_location": hostile_text},
            setup=_archive_studio,
            wrongly_accepted=lambda response, user, before: _archive_bad_document(),
        ),
        FormTarget(
            "API 档案：条目搜索",
            "/api/v1/archive/studios/{studio}/{year}/items",
            "get",
            "applicant",
            {"q": hostile_text, "category": hostile_text, "limit": hostile_number, "offset": hostile_number},
            setup=_archive_studio,
        ),
    ]
)


# --- integrations (issue 14 items 4-6): the second sign-in step, 工作消息机器人, calendar links --------------------------


def _enrolled(user):
    """An authenticator for `user`, so that signing in (force_login) leaves the session waiting for a code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    return {}


def _second_step_passed(response, user, before):
    """A hostile code ended the wait for the second step (the session is no longer pending)."""
    from accounts import otp

    return otp.PENDING_KEY not in response.wsgi_request.session


def _authenticator_confirmed(response, user, before):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _bad_webhook_stored(response, user, before):
    """A robot was saved whose address or secret the platform rules refuse, with control characters, or scoped by both
    department and role."""
    from django.core.exceptions import ValidationError

    from integrations.models import WebhookTarget
    from integrations.webhooks import check_target

    for target in WebhookTarget.objects.all():
        values = [target.name, target.url, target.secret]
        if any(ord(ch) < 32 for value in values for ch in value) or (target.department_id and target.role):
            return True
        try:
            check_target(platform=target.platform, url=target.url, secret=target.secret)
        except ValidationError:
            return True
    return False


def _a_webhook(user):
    from integrations.models import WebhookTarget

    target = WebhookTarget.objects.create(
        name="测试机器人",
        platform="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=hostile",
        secret="SEC0123456789",
        created_by=user,
    )
    return {"pk": target.pk}


_WEBHOOK_URLS = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=abc",
            "https://evil.example@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "file:///etc/passwd",
            "http://127.0.0.1:8000/admin/",
            "https://oapi.dingtalk.com/robot/send",
        ]
    ),
    st.builds(lambda t: f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={t}", hostile_text),
)
_WEBHOOK_FIELDS = {
    "name": hostile_text,
    "platform": st.one_of(hostile_text, st.sampled_from(["wecom", "dingtalk"])),
    "url": _WEBHOOK_URLS,
    "secret": st.one_of(hostile_text, st.builds(lambda t: f"SEC{t}", hostile_text)),
    "department": hostile_number,
    "role": st.one_of(hostile_text, st.sampled_from(["admin", "finance", "staff"])),
    "is_active": hostile_text,
}

FORMS.extend(
    [
        FormTarget(
            "两步验证：输入验证码",
            "/accounts/otp/",
            "post",
            "applicant",
            {"code": st.one_of(hostile_text, hostile_number)},
            setup=_enrolled,
            wrongly_accepted=_second_step_passed,
        ),
        FormTarget(
            "两步验证：设置身份验证器（首个验证码）",
            "/accounts/otp/setup/",
            "post",
            "applicant",
            {"code": st.one_of(hostile_text, hostile_number)},
            wrongly_accepted=_authenticator_confirmed,
        ),
        FormTarget(
            "工作消息机器人：添加",
            "/integrations/webhooks/new/",
            "post",
            "admin_user",
            _WEBHOOK_FIELDS,
            wrongly_accepted=_bad_webhook_stored,
        ),
        FormTarget(
            "工作消息机器人：修改",
            "/integrations/webhooks/{pk}/",
            "post",
            "admin_user",
            _WEBHOOK_FIELDS,
            setup=_a_webhook,
            wrongly_accepted=_bad_webhook_stored,
        ),
        FormTarget(
            "工作消息机器人（路径参数）",
            "/integrations/webhooks/{pk}/test/",
            "post",
            "admin_user",
            {"pk": hostile_number},
        ),
        FormTarget(
            "日历订阅链接（路径中的令牌）", "/integrations/calendar/{pk}.ics", "get", "anon", {"pk": hostile_text}
        ),
        FormTarget(
            "API 工作消息机器人：添加（表单编码）",
            "/api/v1/integrations/webhooks",
            "post",
            "admin_user",
            _WEBHOOK_FIELDS,
            wrongly_accepted=_bad_webhook_stored,
        ),
    ]
)


# --- 撤回申报, 重新表决, 取消会议 as page forms (issue 8 items 13 and 16; their API bodies are walked from OpenAPI) --------


def _submitted_of(user):
    """user's application, (back) in 已提交 before each example, so every example attempts a real 撤回."""
    from applications.models import Application

    app = _draft_for(user)
    Application.objects.filter(pk=app.pk).update(status="submitted")
    return app


def _bad_withdrawal_stored():
    from applications.services.drafts import WITHDRAW_REASON_MAX
    from core.models import StatusChange

    notes = StatusChange.objects.filter(machine="application", from_state="submitted", to_state="draft")
    return any(
        "\x00" in n or not n.strip() or len(n) > WITHDRAW_REASON_MAX for n in notes.values_list("note", flat=True)
    )


def _open_meeting(user, *, agenda_status="reviewed", title="敌意测试审议会"):
    """An open meeting of teaching affairs (`user`) with one application on its agenda, in `agenda_status`."""
    from django.utils import timezone

    from applications.models import Application, CommitteeMeeting

    app = _draft_for(_new_teacher())
    Application.objects.filter(pk=app.pk).update(status=agenda_status)
    meeting = CommitteeMeeting.objects.create(
        call=app.call, title=title, held_on=timezone.localdate(), quorum=1, created_by=user
    )
    meeting.agenda.add(app)
    return meeting


def _revote_agenda_pk():
    from applications.models import CommitteeMeeting

    return CommitteeMeeting.objects.get(title="敌意测试重新表决").agenda.values_list("pk", flat=True).get()


def _bad_revote_stored():
    from applications.models import Revote

    for row in Revote.objects.select_related("earlier_meeting"):
        reason = row.reason
        if "\x00" in reason or not reason.strip() or len(reason) > 500:
            return True
        if not row.earlier_meeting.agenda.filter(pk=row.application_id).exists():
            return True
    return False


def _reopen_meeting(title):
    from applications.models import CommitteeMeeting

    CommitteeMeeting.objects.filter(title=title).update(status="open", cancel_reason="")


def _bad_cancellation_stored():
    from applications.models import CommitteeMeeting

    for reason in CommitteeMeeting.objects.filter(status="cancelled").values_list("cancel_reason", flat=True):
        if "\x00" in reason or not reason.strip() or len(reason) > 500:
            return True
    return False


FORMS.extend(
    [
        FormTarget(
            "撤回申报（页面）",
            "/applications/{app}/withdraw/",
            "post",
            "applicant",
            {"reason": hostile_text},
            setup=lambda user: {"app": _submitted_of(user).pk},
            prepare=lambda user: _submitted_of(user),
            wrongly_accepted=lambda response, user, before: _bad_withdrawal_stored(),
        ),
        FormTarget(
            "重新表决（页面）",
            "/applications/committee/{meeting}/revote/",
            "post",
            "teaching_affairs",
            # mostly the agenda item itself (drawn after setup made it), sometimes a hostile id
            {"application": st.one_of(st.builds(_revote_agenda_pk), hostile_number), "reason": hostile_text},
            setup=lambda user: {"meeting": _open_meeting(user, title="敌意测试重新表决").pk},
            wrongly_accepted=lambda response, user, before: _bad_revote_stored(),
        ),
        FormTarget(
            "取消会议（页面）",
            "/applications/committee/{meeting}/cancel/",
            "post",
            "teaching_affairs",
            {"reason": hostile_text},
            setup=lambda user: {"meeting": _open_meeting(user, title="敌意测试取消会议").pk},
            # reopened before each example, so every example attempts a real cancellation
            prepare=lambda user: _reopen_meeting("敌意测试取消会议"),
            wrongly_accepted=lambda response, user, before: _bad_cancellation_stored(),
        ),
    ]
)


# --- news (issue 13: 通知公告、宣传报道) and the public showcase -----------------------------------------------------
# The notice form (new/edit), the withdraw box, the post form (new/edit), the department head's decision box, the
# photo upload without a valid file, the lists and their exports, and the public showcase's search (anonymous).
# Malicious files: news/tests/test_uploads.py (the corpus of tests/hostile/test_uploads.py).


def _news_bad_notice(response, user, before):
    """A notice stored outside its rules: blank title/body, a department audience without a department, a role
    audience without a valid role, a withdrawal without a reason."""
    from django.db.models import Q

    from accounts.enums import Role
    from news.models import Notice

    return Notice.objects.filter(
        Q(title="") | Q(body="") | Q(audience="department", audience_department=None)
        | (Q(audience="role") & ~Q(audience_role__in=Role.values)) | Q(status="withdrawn", withdraw_reason="")
        | ~Q(audience__in=("all", "department", "role"))
    ).exists()  # fmt: skip


def _news_bad_post(response, user, before):
    """A post stored with a blank title/body, returned without a reason, or a photo that is not an image."""
    from django.db.models import Q

    from news.models import Post

    return Post.objects.filter(Q(title="") | Q(body="") | Q(status="returned", return_reason="")).exists()


def _news_draft_notice(user):
    from news import services

    return {"pk": services.create_notice(by=user, title="敌意测试通知", body="正文").pk}


def _news_published_notice(user):
    from news import services

    notice = services.create_notice(by=user, title="敌意测试撤回", body="正文")
    services.publish_notice(notice, by=user)
    return {"pk": notice.pk}


def _news_draft_post(user):
    from news import services

    return {"pk": services.create_post(_ledger_studio_of(user), by=user, title="敌意测试报道", body="正文").pk}


def _news_submitted_post(user):
    from news import services
    from tests.factories import UserFactory

    master = UserFactory(department=user.department, display_name="报道大师")
    post = services.create_post(_ledger_studio_of(master), by=master, title="敌意测试审核", body="正文")
    services.submit_post(post, by=master)
    return {"pk": post.pk}


def _news_photo_stored(response, user, before):
    from news.models import PostPhoto

    return PostPhoto.objects.exists()


_NEWS_NOTICE_FIELDS = {
    "title": hostile_text,
    "body": hostile_text,
    "audience": hostile_text,
    "department": hostile_number,
    "role": hostile_text,
    "is_public": hostile_text,
}

FORMS.extend(
    [
        FormTarget(
            "通知公告：起草", "/news/notices/new/", "post", "teaching_affairs", _NEWS_NOTICE_FIELDS,
            wrongly_accepted=_news_bad_notice,
        ),
        FormTarget(
            "通知公告：修改草稿", "/news/notices/{pk}/edit/", "post", "teaching_affairs", _NEWS_NOTICE_FIELDS,
            setup=_news_draft_notice, wrongly_accepted=_news_bad_notice,
        ),
        FormTarget(
            "通知公告：撤回", "/news/notices/{pk}/withdraw/", "post", "teaching_affairs", {"reason": hostile_text},
            setup=_news_published_notice, wrongly_accepted=_news_bad_notice,
        ),
        FormTarget(
            "宣传报道：撰写", "/news/posts/new/", "post", "applicant",
            {"title": hostile_text, "body": hostile_text, "studio": hostile_number},
            setup=lambda user: {"studio": _ledger_studio_of(user).pk}, wrongly_accepted=_news_bad_post,
        ),
        FormTarget(
            "宣传报道：修改", "/news/posts/{pk}/edit/", "post", "applicant",
            {"title": hostile_text, "body": hostile_text}, setup=_news_draft_post, wrongly_accepted=_news_bad_post,
        ),
        FormTarget(
            "宣传报道：系部审核", "/news/posts/{pk}/decide/", "post", "dept_head",
            {"target": hostile_text, "note": hostile_text, "confirmed": hostile_text},
            setup=_news_submitted_post, wrongly_accepted=_news_bad_post,
        ),
        FormTarget(
            "宣传报道：上传照片（无有效文件）", "/news/posts/{pk}/photos/", "post", "applicant",
            {"file": hostile_text, "caption": hostile_text}, setup=_news_draft_post,
            wrongly_accepted=_news_photo_stored,
        ),
    ]
)  # fmt: skip

# The news lists as hostile targets (LIST_PAGES is expanded into FORMS above, so these are expanded here) and the
# public showcase's search, anonymous.
_NEWS_LISTS = (
    ("通知公告", "/news/notices/", "applicant", {"q": hostile_text, "status": hostile_text}),
    ("宣传报道", "/news/posts/", "applicant", {"q": hostile_text, "status": hostile_text, "studio": hostile_number}),
)
FORMS.extend(
    [
        *(
            FormTarget(
                f"{label}（排序、每页条数、筛选）", url, "get", persona,
                {**filters, "sort": hostile_text, "page_size": hostile_number, "page": hostile_number},
            )
            for label, url, persona, filters in _NEWS_LISTS
        ),
        *(
            FormTarget(
                f"{label}导出 Excel", url + "export.xlsx", "get", persona,
                {**filters, "sort": hostile_text, "page_size": hostile_number},
                wrongly_accepted=_exported_despite_bad_input,
            )
            for label, url, persona, filters in _NEWS_LISTS
        ),
        FormTarget(
            "成果展示：查找工作室（匿名）", "/showcase/", "get", "anon",
            {"q": hostile_text, "department": hostile_number, "trade": hostile_text, "page": hostile_text},
        ),
        FormTarget("成果展示：公开接口查找", "/api/v1/showcase/studios/", "get", "anon",
                   {"q": hostile_text, "department": hostile_number, "trade": hostile_text, "page": hostile_number}),
    ]
)  # fmt: skip


# --- oversight (issue 13: 纪检监督) -----------------------------------------------------------------------------------
# 监督意见 forms: empty, over-long, control characters, an object id of a missing/invisible record (404, nothing
# stored); the office's answer; 列席会议; the notes list and its export; 异常提示's rule filter.

_OV_TEXT = st.one_of(hostile_text, st.just(""), st.just("意" * 4001), st.just("事" * 201))


def _ov_bad_text(value, limit):
    value = value or ""
    return not value.strip() or len(value) > limit or any(ord(c) < 32 and c not in "\r\n\t" for c in value)


def _ov_note_count(user):
    from oversight.models import SupervisionNote

    return SupervisionNote.objects.count()


def _ov_bad_note_stored(response, user, before):
    """A note was stored with a bad subject/text, or on a record that does not exist."""
    from applications.models import Application
    from oversight.models import NoteEntry, SupervisionNote

    for note in SupervisionNote.objects.all():
        if _ov_bad_text(note.subject, 200) or not Application.objects.filter(pk=note.object_id).exists():
            return True
    return any(_ov_bad_text(t, 4000) for t in NoteEntry.objects.values_list("text", flat=True))


def _ov_application(user):
    from applications.models import Application, Call, Rubric
    from tests.factories import UserFactory

    rubric = Rubric.objects.get_or_create(name="恶意输入评分标准")[0]
    now = _dt.datetime.now(_dt.UTC)
    call = Call.objects.create(year=now.year, title="恶意输入批次", opens_at=now - _dt.timedelta(days=1),
                               closes_at=now + _dt.timedelta(days=30), policy_year=now.year, rubric=rubric,
                               created_by=user)  # fmt: skip
    applicant = UserFactory()
    return Application.objects.create(
        call=call, applicant=applicant, department=applicant.department, studio_name="恶意"
    )


def _ov_note_for_office(user):
    """An open note addressed to 教学工作部 (the persona answering), by a fresh inspector."""
    from accounts.enums import Role
    from oversight import services
    from tests.factories import UserFactory

    inspector = UserFactory(department=None, roles=[Role.INSPECTOR])
    app = _ov_application(inspector)
    note = services.create_note(by=inspector, type_key="applications.application", object_id=app.pk,
                                office="teaching_affairs", subject="恶意输入", text="请答复")  # fmt: skip
    return {"pk": note.pk}


def _ov_bad_answer_stored(response, user, before):
    from oversight.models import NoteEntry

    return any(_ov_bad_text(t, 4000) for t in NoteEntry.objects.filter(kind="answer").values_list("text", flat=True))


def _ov_bad_attendance(response, user, before):
    from applications.models import CommitteeMeeting
    from oversight.models import Attendance

    return any(
        len(a.remark) > 2000 or not CommitteeMeeting.objects.filter(pk=a.object_id).exists()
        for a in Attendance.objects.all()
    )


_OV_NOTE_FILTERS = {"q": hostile_text, "status": hostile_text, "office": hostile_text, "stage": hostile_text,
                    "sort": hostile_text, "page_size": hostile_number, "page": hostile_number}  # fmt: skip

FORMS.extend(
    [
        FormTarget(
            "监督意见：提出（任意对象类型与编号）", "/oversight/notes/new/", "post", "inspector",
            {"object_type": hostile_text, "object_id": hostile_number, "office": hostile_text, "subject": _OV_TEXT,
             "text": _OV_TEXT},
            prepare=_ov_note_count, wrongly_accepted=_ov_bad_note_stored,
        ),
        FormTarget(
            "监督意见：提出（申报，编号与文字恶意）", "/oversight/notes/new/", "post", "inspector",
            {"object_type": st.just("applications.application"), "object_id": hostile_number,
             "office": st.just("teaching_affairs"), "subject": _OV_TEXT, "text": _OV_TEXT},
            setup=lambda user: {"app": _ov_application(user).pk}, wrongly_accepted=_ov_bad_note_stored,
        ),
        FormTarget(
            "监督意见：答复", "/oversight/notes/{pk}/answer/", "post", "teaching_affairs", {"text": _OV_TEXT},
            setup=_ov_note_for_office, wrongly_accepted=_ov_bad_answer_stored,
        ),
        FormTarget(
            "列席会议：登记", "/oversight/attendance/", "post", "inspector",
            {"kind": hostile_text, "meeting": hostile_number, "remark": st.one_of(hostile_text, st.just("列" * 2001))},
            wrongly_accepted=_ov_bad_attendance,
        ),
        FormTarget("监督意见列表（筛选、排序）", "/oversight/notes/", "get", "inspector", _OV_NOTE_FILTERS),
        FormTarget(
            "监督意见导出 Excel", "/oversight/notes/export.xlsx", "get", "inspector", _OV_NOTE_FILTERS,
            wrongly_accepted=_exported_despite_bad_input,
        ),
        FormTarget("异常提示（规则筛选）", "/oversight/flags/", "get", "inspector", {"rule": hostile_text}),
        FormTarget(
            "审计日志（按动作、对象类型与编号筛选）", "/audit/", "get", "inspector",
            {"action_code": hostile_text, "object_type": hostile_text, "object_id": hostile_text,
             "actor": hostile_text, "since": hostile_date, "until": hostile_date},
        ),
        FormTarget(
            "审计日志导出 Excel（按动作、对象类型与编号筛选）", "/audit/export.xlsx", "get", "inspector",
            {"action_code": hostile_text, "object_type": hostile_text, "object_id": hostile_text, "sort": hostile_text},
            wrongly_accepted=_exported_despite_bad_input,
        ),
    ]
)  # fmt: skip


# --- annual (issue 12: 年度工作报告) ---------------------------------------------------------------------------------
# The report form (the four narrative sections, the nominated landmark achievements, the year in the path), the
# reviewers' opinion box, and the two lists with their exports.


def _annual_studio(user):
    """A studio of `user` (approved about two years ago, so last year's report may be written) with a confirmed
    achievement of last year, and a confirmed achievement of ANOTHER studio (a nomination the form must refuse)."""
    import datetime as dt

    from django.utils import timezone

    from ledger.models import Achievement
    from ledger.tests.helpers import make_studio
    from tests.factories import DepartmentFactory

    studio = _ledger_studio_of(user)
    year = timezone.localdate().year - 1
    other, other_master, _team = make_studio(DepartmentFactory(), name="别人的工作室")
    for owner, who in ((studio, user), (other, other_master)):
        Achievement.objects.create(
            studio=owner, date=dt.date(year, 5, 1), title="成果", created_by=who, kind="patent", level="city",
            status="confirmed",
        )  # fmt: skip
    return studio


def _annual_stored_badly(response, user, before):
    """A report stored outside its rules: a year after this year or before the studio's approval, a narrative over
    its limit or with control characters, more than 3 landmarks, or a landmark that is not a confirmed achievement
    of the report's studio and year."""
    from django.utils import timezone

    from annual.models import MAX_LANDMARKS, AnnualReport
    from annual.services import NARRATIVE_FIELDS

    for report in AnnualReport.objects.select_related("studio").prefetch_related("landmarks"):
        if report.year > timezone.localdate().year or report.year < report.studio.approved_on.year:
            return True
        for name in NARRATIVE_FIELDS:
            value = getattr(report, name)
            if len(value) > AnnualReport._meta.get_field(name).max_length:
                return True
            if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
                return True
        landmarks = list(report.landmarks.all())
        if len(landmarks) > MAX_LANDMARKS:
            return True
        if any(a.studio_id != report.studio_id or a.status != "confirmed" or a.date.year != report.year
               for a in landmarks):  # fmt: skip
            return True
    return False


def _annual_returned_without_reason(response, user, before):
    from annual.models import AnnualReport

    return AnnualReport.objects.filter(status="returned", return_reason="").exists()


def _annual_submitted_in_department(user):
    """A submitted report of a studio in the department head's department."""
    from django.utils import timezone

    from annual.models import AnnualReport
    from tests.factories import UserFactory

    master = UserFactory(department=user.department, display_name="报告大师")
    studio = _ledger_studio_of(master)
    now = timezone.now()
    report = AnnualReport.objects.create(
        studio=studio, year=timezone.localdate().year - 1, status="submitted", created_by=master,
        achievements_summary="完成", highlights="特色", problems="问题", next_year_plan="计划", submitted_at=now,
        last_submitted_at=now,
    )  # fmt: skip
    return {"pk": report.pk}


_ANNUAL_LISTS = (
    ("年度工作报告", "/annual/", "teaching_affairs",
     {"q": hostile_text, "year": hostile_text, "department": hostile_number, "status": hostile_text,
      "late": hostile_text}),
    ("年度报告提交情况", "/annual/status/", "teaching_affairs",
     {"q": hostile_text, "year": hostile_text, "department": hostile_number, "state": hostile_text}),
)  # fmt: skip

FORMS.extend(
    [
        FormTarget(
            "年度工作报告：撰写（叙述、推荐标志性成果）",
            "/annual/studio/{studio}/{year}/",
            "post",
            "applicant",
            {
                "achievements_summary": hostile_text,
                "highlights": hostile_text,
                "problems": hostile_text,
                "next_year_plan": hostile_text,
                "landmarks": hostile_number,
            },
            setup=lambda user: {"studio": _annual_studio(user).pk, "year": __import__("datetime").date.today().year - 1},
            wrongly_accepted=_annual_stored_badly,
        ),
        FormTarget(
            "年度工作报告：报告年度（路径参数）",
            "/annual/studio/{studio}/{{pk}}/",  # the year travels as {pk}: the harness fills it from the data
            "post",
            "applicant",
            {"pk": hostile_number, "achievements_summary": hostile_text},
            setup=lambda user: {"studio": _annual_studio(user).pk},
            wrongly_accepted=_annual_stored_badly,
        ),
        FormTarget(
            "年度工作报告：系部审核（办理意见）",
            "/annual/{pk}/decide/",
            "post",
            "dept_head",
            {"target": hostile_text, "note": hostile_text},
            setup=_annual_submitted_in_department,
            wrongly_accepted=_annual_returned_without_reason,
        ),
        *(
            FormTarget(
                f"{label}（排序、每页条数、筛选）", url, "get", persona,
                {**filters, "sort": hostile_text, "page_size": hostile_number, "page": hostile_number},
            )
            for label, url, persona, filters in _ANNUAL_LISTS
        ),
        *(
            FormTarget(
                f"{label}导出 Excel", url + "export.xlsx", "get", persona,
                {**filters, "sort": hostile_text, "page_size": hostile_number},
                wrongly_accepted=_exported_despite_bad_input,
            )
            for label, url, persona, filters in _ANNUAL_LISTS
        ),
    ]
)  # fmt: skip


# --- evaluation (issue 12: 年度考核) ----------------------------------------------------------------------------------


def _ev_round(user, *, submitted=False):
    """A round of last year 评分中 (or submitted) with one studio of a fresh department, organised by a fresh 发改室."""
    import datetime as dt

    from accounts.enums import Role
    from evaluation import services
    from ledger.tests.helpers import make_studio
    from plans.services import ensure_indicator_set
    from tests.factories import DepartmentFactory, UserFactory

    year = dt.date.today().year - 1
    ensure_indicator_set(year)
    dev = UserFactory(department=None, roles=[Role.DEV_OFFICE])
    studio, _, _ = make_studio(DepartmentFactory(), name="恶意输入考核技能大师工作室")
    round_ = services.start_round(services.create_round(by=dev, year=year, due_on=dt.date(year + 1, 3, 1)), by=dev)
    if submitted:
        round_ = services.submit_round(round_, by=dev)
    return round_, round_.scorecards.get(studio=studio)


def _ev_bad_round(response, user, before):
    from evaluation.models import EvaluationRound

    for r in EvaluationRound.objects.all():
        if not 2000 <= r.year <= 2100 or len(r.title) > 100 or any(ord(c) < 32 for c in r.title):
            return True
    return False


def _ev_bad_adjustment(response, user, before):
    from decimal import Decimal

    from evaluation.models import Adjustment

    for a in Adjustment.objects.select_related("scorecard"):
        line = next((li for li in a.scorecard.lines if li["key"] == a.indicator_key), None)
        if line is None or not a.basis.strip() or not Decimal(0) <= a.score <= Decimal(line["weight"]):
            return True
        if any(ord(c) < 32 and c not in "\t\r\n" for c in a.basis):
            return True
    return False


def _ev_bad_card_text(response, user, before):
    from evaluation.enums import Grade
    from evaluation.models import Scorecard

    for c in Scorecard.objects.all():
        if c.confirmed_grade and c.confirmed_grade not in Grade.values:
            return True
        if c.confirmed_grade and c.confirmed_grade != c.proposed_grade and not c.grade_reason.strip():
            return True
        for text in (c.grade_reason, c.falsified_reason):
            if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
                return True
    return False


def _ev_meeting_with(user):
    """A submitted round whose meeting lists `user` (a committee member) present: he may vote."""
    import datetime as dt

    from evaluation import services

    round_, _ = _ev_round(user, submitted=True)
    services.record_meeting(round_, by=user, held_on=dt.date(round_.year + 1, 3, 5), members=[user])
    return {"pk": round_.pk}


def _ev_bad_vote(response, user, before):
    from evaluation.enums import VoteDecision
    from evaluation.models import EvaluationVote

    for v in EvaluationVote.objects.all():
        if v.decision not in VoteDecision.values or (v.decision == VoteDecision.DISAGREE and not v.reason.strip()):
            return True
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in v.reason):
            return True
    return False


def _ev_returned_without_reason(response, user, before):
    from core.models import StatusChange

    return StatusChange.objects.filter(
        machine="evaluation.round", from_state="submitted", to_state="evaluating", note__regex=r"^\s*$"
    ).exists()


FORMS.extend(
    [
        FormTarget(
            "年度考核：建立", "/evaluation/new/", "post", "dev_office",
            {"year": hostile_number, "due_on": hostile_date, "title": hostile_text},
            wrongly_accepted=_ev_bad_round,
        ),
        FormTarget(
            "年度考核：调整评分（评分依据）", "/evaluation/scorecards/{pk}/adjust/", "post", "dev_office",
            {"indicator_key": hostile_text, "score": hostile_text, "basis": hostile_text},
            setup=lambda user: {"pk": _ev_round(user)[1].pk},
            wrongly_accepted=_ev_bad_adjustment,
        ),
        FormTarget(
            "年度考核：弄虚作假否决", "/evaluation/scorecards/{pk}/veto/", "post", "dev_office",
            {"reason": hostile_text},
            setup=lambda user: {"pk": _ev_round(user)[1].pk},
            wrongly_accepted=_ev_bad_card_text,
        ),
        FormTarget(
            "年度考核：指派评分人", "/evaluation/{pk}/assign/", "post", "dev_office",
            {"evaluator": hostile_text},
            setup=lambda user: {"pk": _ev_round(user)[0].pk},
        ),
        FormTarget(
            "年度考核：学术委员会认定等级", "/evaluation/scorecards/{pk}/grade/", "post", "committee_member",
            {"grade": hostile_text, "reason": hostile_text},
            setup=lambda user: {"pk": _ev_round(user, submitted=True)[1].pk},
            wrongly_accepted=_ev_bad_card_text,
        ),
        FormTarget(
            "年度考核：认定会议", "/evaluation/{pk}/meeting/", "post", "committee_member",
            {"held_on": hostile_date, "members": hostile_number, "minutes": hostile_text},
            setup=lambda user: {"pk": _ev_round(user, submitted=True)[0].pk},
        ),
        FormTarget(
            "年度考核：委员表决", "/evaluation/{pk}/vote/", "post", "committee_member",
            {"decision": hostile_text, "reason": hostile_text},
            setup=_ev_meeting_with,
            wrongly_accepted=_ev_bad_vote,
        ),
        FormTarget(
            "年度考核：列表导出（筛选）", "/evaluation/export.xlsx", "get", "dev_office",
            {"status": hostile_text, "year": hostile_number, "q": hostile_text, "sort": hostile_text},
            wrongly_accepted=_exported_despite_bad_input,
        ),
        FormTarget(
            "年度考核：我的考核评分（筛选）", "/evaluation/mine/", "get", "dev_office",
            {"status": hostile_text, "year": hostile_number, "q": hostile_text, "sort": hostile_text},
        ),
        FormTarget(
            "年度考核：学术委员会办理（认定/退回）", "/evaluation/{pk}/decide/", "post", "committee_member",
            {"target": hostile_text, "note": hostile_text, "confirmed": hostile_text},
            setup=lambda user: {"pk": _ev_round(user, submitted=True)[0].pk},
            wrongly_accepted=_ev_returned_without_reason,
        ),
        FormTarget(
            "年度考核：考核详情（等级筛选、页码）", "/evaluation/{pk}/", "get", "dev_office",
            {"grade": hostile_text, "page": hostile_number},
            setup=lambda user: {"pk": _ev_round(user)[0].pk},
        ),
        FormTarget(
            "年度考核：列表（状态筛选）", "/evaluation/", "get", "dev_office", {"status": hostile_text},
        ),
    ]
)  # fmt: skip


# 统计分析 (insights/): the dashboards read one query-string value, year; an invalid one is named on the page and an
# export with it goes back to the page, never a file of another year.
def _insights_export_despite_bad_year(response, user, before):
    if not response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return False
    raw = response.wsgi_request.GET.get("year", "")
    return not (raw == "" or (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100))


FORMS.extend(
    FormTarget(f"统计分析：{label}（年度）", url, "get", persona, {"year": hostile_number}, wrongly_accepted=accepted)
    for label, url, persona, accepted in (
        ("领导总览", "/insights/", "leadership", None),
        ("领导总览导出 Excel", "/insights/export.xlsx", "leadership", _insights_export_despite_bad_year),
        ("考核分析", "/insights/evaluation/", "dev_office", None),
        ("考核分析导出 Excel", "/insights/evaluation/export.xlsx", "dev_office", _insights_export_despite_bad_year),
    )
)


# --- recommendations (issue 12 item 5: 推荐申报, R22) -------------------------------------------------------------------


def _rec_draft(user, *, submitted=False):
    """A 市级 草稿 (or 已推荐上报) recommendation of a fresh studio, made by `user` (发改室)."""
    from ledger.tests.helpers import make_studio
    from recommendations import services
    from recommendations.checking import check_studio
    from recommendations.defaults import ensure_default_requirements
    from tests.factories import DepartmentFactory

    ensure_default_requirements()
    studio, _, _ = make_studio(DepartmentFactory(), name="恶意输入推荐技能大师工作室")
    rec = services.create_recommendation(
        by=user, studio=studio, level="city", year=_dt.date.today().year, reason="理由"
    )
    if submitted:
        confirm = {line["requirement_id"]: "已核实" for line in check_studio(studio.pk, "city")}
        rec = services.submit(rec, by=user, confirmations=confirm, explanation="说明")
    return {"pk": rec.pk, "studio": studio.pk}


def _rec_bad_rows(response, user, before):
    from core.models import StatusChange
    from recommendations.enums import RecommendationStatus, TargetLevel
    from recommendations.models import Recommendation

    for r in Recommendation.objects.all():
        if r.level not in TargetLevel.values or not 2000 <= r.year <= 2100 or not r.reason.strip():
            return True
        if any(ord(c) < 32 and c not in "\t\r\n" for c in r.reason + r.outcome_note + r.outcome_document):
            return True
        if r.status == RecommendationStatus.APPROVED and not (r.outcome_document.strip() and r.outcome_on):
            return True
        if r.status == RecommendationStatus.NOT_APPROVED and not r.outcome_note.strip():
            return True
        if r.status != RecommendationStatus.DRAFT and any(
            line["verdict"] == "manual" and not line.get("confirmation", "").strip()
            for line in (r.snapshot or {}).get("lines", [])
        ):
            return True
    return StatusChange.objects.filter(
        machine="recommendations.recommendation", to_state="withdrawn", note__regex=r"^\s*$"
    ).exists()


FORMS.extend(
    [
        FormTarget(
            "推荐申报：发起", "/recommendations/new/", "post", "dev_office",
            {"studio": hostile_number, "level": hostile_text, "year": hostile_number, "reason": hostile_text},
            wrongly_accepted=_rec_bad_rows,
        ),
        FormTarget(
            "推荐申报：修改草稿", "/recommendations/{pk}/edit/", "post", "dev_office",
            {"level": hostile_text, "year": hostile_number, "reason": hostile_text},
            setup=_rec_draft, wrongly_accepted=_rec_bad_rows,
        ),
        FormTarget(
            "推荐申报：推荐上报（核实说明）", "/recommendations/{pk}/submit/", "post", "dev_office",
            {"confirm_1": hostile_text, "explanation": hostile_text, "confirmed": hostile_text},
            setup=_rec_draft, wrongly_accepted=_rec_bad_rows,
        ),
        FormTarget(
            "推荐申报：撤回", "/recommendations/{pk}/withdraw/", "post", "dev_office",
            {"reason": hostile_text, "confirmed": hostile_text},
            setup=_rec_draft, wrongly_accepted=_rec_bad_rows,
        ),
        FormTarget(
            "推荐申报：登记结果", "/recommendations/{pk}/outcome/", "post", "dev_office",
            {"result": hostile_text, "outcome_level": hostile_text, "outcome_year": hostile_number,
             "outcome_document": hostile_text, "outcome_on": hostile_date, "note": hostile_text, "confirmed": hostile_text},
            setup=lambda user: _rec_draft(user, submitted=True), wrongly_accepted=_rec_bad_rows,
        ),
        FormTarget(
            "推荐申报：列表（筛选、排序）", "/recommendations/", "get", "dev_office",
            {"level": hostile_text, "status": hostile_text, "year": hostile_number, "department": hostile_number,
             "q": hostile_text, "sort": hostile_text, "page_size": hostile_number},
        ),
        FormTarget(
            "推荐申报：列表导出（筛选）", "/recommendations/export.xlsx", "get", "dev_office",
            {"level": hostile_text, "status": hostile_text, "year": hostile_number, "sort": hostile_text},
            wrongly_accepted=_exported_despite_bad_input,
        ),
    ]
)  # fmt: skip
