"""Studio pages: the list, 工作室主页 (with panels other apps register), members over time, exceptions, contacts,
责任书, 历史登记 (form and Excel import). Views parse, check permission, call one service, then render or redirect."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.models import Department
from accounts.permissions import can, get_object_for_user, may_write_as, visible_to
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.uploads import serve_bytes, serve_file
from core.workflow import history_for
from people.enums import HonorLevel
from reports.xlsx import XLSX

from . import documents, registration, services
from .enums import StudioSource, StudioStatus, role_rank
from .forms import (
    AddMemberForm,
    ContactsForm,
    ExceptionForm,
    ImportForm,
    LetterTemplateForm,
    RegistrationForm,
    RemoveMemberForm,
    ResolveExceptionForm,
    SignLetterForm,
)
from .models import Membership, ResponsibilityLetter, Studio, StudioException
from .panels import list_badge_columns, open_tasks, panels_for, with_list_badges
from .workflow import TRANSITIONS

REACHED_BY_A_MOVE = frozenset(to for _from, to in TRANSITIONS)


class StudioFilter(ListFilterSet):
    q = SearchFilter("official_name", "master__display_name", label="工作室或技能大师")
    status = ChoiceFilter(choices=StudioStatus.choices, empty_label="全部状态", label="状态")
    source = ChoiceFilter(choices=StudioSource.choices, empty_label="全部来源", label="来源")
    level = ChoiceFilter(choices=HonorLevel.choices, empty_label="全部级别", label="级别")
    department = IdChoiceFilter(
        queryset=Department.objects.filter(is_active=True), empty_label="全部系部", label="系部"
    )


class StudioListPage(ListPage):
    """The approved studios (a school-wide showcase), newest first; filter, sort, page size, 导出 Excel."""

    template_name = "studios/list.html"
    filterset_class = StudioFilter
    list_url_name = "studios:list"
    export_title = "技能大师工作室"
    columns = (
        Column("name", "工作室", ("official_name",), "official_name"),
        Column("master", "技能大师", ("master__display_name",), "master.display_name"),
        Column("department", "系部", ("department__name",), "department.name"),
        Column("level", "级别", ("level",), "get_level_display"),
        Column("mode", "设立方式", ("mode",), "get_mode_display"),
        Column("document", "认定文号", ("document_number",), "document_number"),
        Column("approved", "认定日期", ("approved_on",), "approved_on"),
        Column("source", "来源", ("source",), "get_source_display"),
        Column("status", "状态", ("status",), "get_status_display"),
    )
    default_sort = "-approved"

    def get_queryset(self):
        # later apps' badges (studios.panels.register_list_badge) are annotated: no statement per row
        return with_list_badges(visible_to(self.request.user, Studio).select_related("master", "department"))

    def export_rows(self, rows):
        header, data = super().export_rows(rows)
        return list_badge_columns(header, data, rows)

    def extra_context(self):
        # ListPage.get() reads extra_context(), never get_context_data(): 登记历史工作室 was never offered on the list.
        return {"can_register": may_write_as(self.request.user, Role.TEACHING_AFFAIRS, Role.ADMIN)}


studio_list = StudioListPage.as_view()
studio_list_export = StudioListPage.as_view(export=True)


def _run(request, action):
    """Call a service; on refusal put its Chinese message on the page and return None (nothing was changed)."""
    try:
        return action() or True
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return None


def _form_errors(form):
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        prefix = f"{field.label}：" if field is not None and field.label and name != "__all__" else ""
        parts.extend(f"{prefix}{e}" for e in errors)
    return "；".join(parts)


def _studio(request, pk, action="view"):
    return get_object_for_user(
        request,
        Studio.objects.select_related("master", "department", "partner_enterprise", "exec_lead__user", "contact__user"),
        pk,
        action=action,
    )


@dataclass(frozen=True)
class LetterState:
    """What the studio page shows of the current 责任书 (services.current_letter()), read with the studio itself."""

    pk: int
    term_start: dt.date
    term_end: dt.date
    signed_on: dt.date | None
    signed_file: str

    @classmethod
    def from_json(cls, data):
        if not data:
            return None

        def day(value):
            return dt.date.fromisoformat(value[:10]) if value else None

        return cls(
            pk=data["pk"],
            term_start=day(data["term_start"]),
            term_end=day(data["term_end"]),
            signed_on=day(data["signed_on"]),
            signed_file=data["signed_file"] or "",
        )


def _current_letter_json():
    """services.current_letter() as a JSON object in a subquery of the studio's own statement (one statement less)."""
    latest = ResponsibilityLetter.objects.filter(studio=OuterRef("pk")).order_by("-term_start", "-id")
    fields = ("term_start", "term_end", "signed_on", "signed_file")
    return Subquery(latest.values(json=JSONObject(pk="id", **{f: f for f in fields}))[:1])


@login_required
def studio_detail(request, pk):
    """工作室主页: a fixed number of SQL statements whatever the studio's history (studios/tests/test_page.py)."""
    studio = get_object_for_user(
        request,
        Studio.objects.select_related(
            "master", "department", "partner_enterprise", "exec_lead__user", "contact__user"
        ).annotate(current_letter_json=_current_letter_json()),
        pk,
        action="view",
    )
    user = request.user
    rows = list(
        Membership.objects.filter(studio=studio)
        .select_related("user__department")
        .annotate(rank=role_rank())
        .order_by("rank", "joined_on", "pk")
    )
    members = [m for m in rows if m.left_on is None]
    former = sorted((m for m in rows if m.left_on is not None), key=lambda m: m.left_on, reverse=True)
    letter = LetterState.from_json(studio.current_letter_json)
    studio._current_letter = letter  # the open-task provider below reads it instead of querying again
    exceptions = list(StudioException.objects.filter(studio=studio, resolved_on__isnull=True).order_by("deadline"))
    writable = studio.status == StudioStatus.ACTIVE
    context = {
        "studio": studio,
        "members": members,
        "former": former,
        "core_count": sum(1 for m in members if m.role == "core"),
        "letter": letter,
        "exceptions": exceptions,
        # Status records exist only for a studio that has made a move of its machine (active → revoked): an active
        # studio has none, and the page saves the statement.
        "history": history_for(studio) if studio.status in REACHED_BY_A_MOVE else [],
        "tasks": open_tasks(studio, user),
        "panels": panels_for(studio, user),
        "writable": writable,
        "today": timezone.localdate(),
        "can_manage_members": can(user, "manage_members", studio),
        "can_manage": can(user, "manage", studio),
        "can_set_contacts": can(user, "set_contacts", studio),
        "can_sign": can(user, "sign_letter", studio),
        "contacts_form": ContactsForm(
            members=members,
            initial={"exec_lead": studio.exec_lead_id, "contact": studio.contact_id},
        ),
    }
    return render(request, "studios/detail.html", context)


def letter_task(studio, user):
    """Open task: the 责任书 not yet signed (or not yet generated)."""
    from .panels import Task

    if studio.status != StudioStatus.ACTIVE:
        return []
    letter = getattr(studio, "_current_letter", None)
    if not hasattr(studio, "_current_letter"):
        letter = services.current_letter(studio)
    if letter is None:
        return [Task("责任书尚未生成：请教学工作部生成责任书并与工作室签订", f"/studios/{studio.pk}/#letter")]
    if letter.signed_on is None:
        return [
            Task("责任书尚未签订：请上传签字盖章扫描件并填写签订日期", f"/studios/{studio.pk}/#letter", urgent=True)
        ]
    return []


# --- Members ---------------------------------------------------------------------------------------------------------


@login_required
def member_add(request, pk):
    studio = _studio(request, pk, action="manage_members")
    services.ensure_writable(studio)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.add_member(
                studio,
                by=request.user,
                user=data["username"],
                role=data["role"],
                joined_on=data["joined_on"],
                reason=data["reason"],
            ),
        )
        if done:
            messages.success(request, f"已添加成员：{data['username'].display_name}。")
            return redirect("studios:detail", studio.pk)
    return render(
        request, "studios/member_add.html", {"studio": studio, "form": form, "title": "添加成员", "submit": "添加"}
    )


@login_required
def member_remove(request, pk, membership_pk):
    studio = _studio(request, pk, action="manage_members")
    services.ensure_writable(studio)
    membership = (
        Membership.objects.filter(studio=studio, pk=membership_pk, left_on__isnull=True).select_related("user").first()
    )
    if membership is None:
        raise Http404("该成员不在本工作室的现有成员中。")
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.remove_member(
                studio, membership.pk, by=request.user, left_on=data["left_on"], reason=data["reason"]
            ),
        )
        if done:
            messages.success(request, f"{membership.user.display_name}已退出工作室，记录已保留。")
            return redirect("studios:detail", studio.pk)
    return render(
        request,
        "studios/member_remove.html",
        {"studio": studio, "membership": membership, "form": form, "title": "成员退出", "submit": "确认退出"},
    )


@login_required
@require_POST
def contacts_set(request, pk):
    studio = _studio(request, pk, action="set_contacts")
    services.ensure_writable(studio)
    members = list(Membership.objects.filter(studio=studio, left_on__isnull=True).select_related("user"))
    form = ContactsForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        lead, contact = form.cleaned_data["exec_lead"], form.cleaned_data["contact"]
        done = _run(
            request,
            lambda: services.set_contacts(
                studio,
                by=request.user,
                exec_lead_id=lead.pk if lead else None,
                contact_id=contact.pk if contact else None,
            ),
        )
        if done:
            messages.success(request, "执行负责人和联系人已保存。")
    return redirect("studios:detail", studio.pk)


# --- Exceptions ------------------------------------------------------------------------------------------------------


@login_required
def exception_new(request, pk):
    studio = _studio(request, pk, action="manage")
    services.ensure_writable(studio)
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.record_exception(
                studio, by=request.user, reason=data["reason"], deadline=data["deadline"]
            ),
        )
        if done:
            messages.success(request, "临时例外已登记，工作室主页将以红色提示直至解除。")
            return redirect("studios:detail", studio.pk)
    return render(request, "studios/exception_form.html", {"studio": studio, "form": form, "title": "登记临时例外"})


@login_required
@require_POST
def exception_resolve(request, pk, exception_pk):
    studio = _studio(request, pk, action="manage")
    exception = StudioException.objects.filter(studio=studio, pk=exception_pk).select_related("studio").first()
    if exception is None:
        raise Http404("临时例外不存在。")
    form = ResolveExceptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif _run(
        request,
        lambda: services.resolve_exception(exception, by=request.user, resolution=form.cleaned_data["resolution"]),
    ):
        messages.success(request, "临时例外已解除。")
    return redirect("studios:detail", studio.pk)


# --- 责任书 -----------------------------------------------------------------------------------------------------------


def _letter(request, pk, letter_pk, action):
    studio = _studio(request, pk, action=action)
    letter = ResponsibilityLetter.objects.filter(studio=studio, pk=letter_pk).select_related("studio").first()
    if letter is None:
        raise Http404("责任书不存在。")
    return studio, letter


@login_required
@require_POST
def letter_generate(request, pk):
    studio = _studio(request, pk, action="manage")
    if _run(request, lambda: services.generate_letter(studio, by=request.user)):
        messages.success(request, "责任书已生成，请下载打印、签字盖章后上传扫描件。")
    return redirect("studios:detail", studio.pk)


@login_required
def letter_docx(request, pk, letter_pk):
    _, letter = _letter(request, pk, letter_pk, "download")
    return serve_bytes(*documents.letter_docx(letter))


@login_required
def letter_pdf(request, pk, letter_pk):
    _, letter = _letter(request, pk, letter_pk, "download")
    return serve_bytes(*documents.letter_pdf(letter))


@login_required
def letter_scan(request, pk, letter_pk):
    _, letter = _letter(request, pk, letter_pk, "download")
    if not letter.signed_file:
        raise Http404("该责任书尚未上传扫描件。")
    return serve_file(letter.signed_file, letter.signed_file_name or "责任书扫描件")


@login_required
def letter_sign(request, pk, letter_pk):
    studio, letter = _letter(request, pk, letter_pk, "sign_letter")
    services.ensure_writable(studio)
    form = SignLetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            lambda: services.sign_letter(letter, by=request.user, upload=data["file"], signed_on=data["signed_on"]),
        )
        if done:
            messages.success(request, "责任书已签订。")
            return redirect("studios:detail", studio.pk)
    return render(
        request,
        "studios/letter_sign.html",
        {"studio": studio, "letter": letter, "form": form, "title": "上传签订的责任书", "multipart": True},
    )


@login_required
def letter_template(request):
    if not may_write_as(request.user, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部或系统管理员可以编辑责任书模板。")
    current = services.current_template()
    initial = (
        {
            "school_duties": current.school_duties,
            "studio_duties": current.studio_duties,
            "term_years": current.term_years,
        }
        if current
        else {}
    )
    form = LetterTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(request, lambda: services.save_letter_template(by=request.user, **data)):
            messages.success(request, "责任书模板已保存为新版本；此后生成的责任书使用新条款。")
            return redirect("studios:letter_template")
    return render(request, "studios/letter_template.html", {"form": form, "current": current, "title": "责任书模板"})


# --- 历史登记 ---------------------------------------------------------------------------------------------------------


def _require_registrar(request):
    if not may_write_as(request.user, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部可以登记历史工作室。")


@login_required
def register(request):
    _require_registrar(request)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reg = registration.from_form(form.cleaned_data)
        studio = _run(request, lambda: services.register_studio(reg, by=request.user))
        if studio:
            messages.success(request, f"已登记历史工作室：{studio.official_name}。")
            return redirect("studios:detail", studio.pk)
    return render(request, "studios/register.html", {"form": form, "title": "登记历史工作室", "submit": "登记"})


@login_required
def register_import(request):
    _require_registrar(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = registration.import_studios(form.cleaned_data["file"], by=request.user)
        if result.ok:
            messages.success(request, f"已导入{len(result.studios)}个历史工作室。")
            return redirect("studios:list")
    return render(request, "studios/register_import.html", {"form": form, "result": result})


@login_required
def register_import_template(request):
    _require_registrar(request)
    return serve_bytes(registration.template_workbook(), "历史工作室登记模板.xlsx", XLSX)


@login_required
def approval_notice(request, pk):
    studio = get_object_for_user(request, Studio, pk, action="download")
    if studio.source != StudioSource.APPLICATION:
        raise Http404("历史登记的工作室没有本平台生成的认定通知。")
    return serve_bytes(*documents.approval_notice_pdf(studio))
