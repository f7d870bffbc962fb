"""Oversight pages: the inspector console (纪检监督台), supervision notes (list, new, detail, answer, close, reopen,
correct), meeting attendance and the anomaly flags. Views parse, check permission through oversight.permissions /
accounts.permissions, call one service and redirect."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can, get_object_for_user, visible_to
from core.forms import refusal_text
from core.lists import ChoiceFilter, Column, ListFilterSet, ListPage, SearchFilter
from core.workflow import WorkflowError, history_for

from . import services
from .enums import NoteStatus, Office, Stage
from .flags import RULES, all_flags
from .forms import AttendanceForm, EntryForm, NoteForm
from .models import Attendance, NoteEntry, SupervisionNote
from .permissions import addressed_q, is_inspector, sees_console
from .registry import console_sections, meeting_kinds, note_target

CONSOLE_REFUSED = "纪检监督台仅供纪检办公室、校领导和系统管理员查看。"


def _check_console(request):
    if not sees_console(request.user):
        raise PermissionDenied(CONSOLE_REFUSED)


def _meeting_choices(user):
    """(id, label) of the meetings the inspector may record attendance at (the newest 100 of each kind)."""
    choices = []
    for kind in meeting_kinds():
        rows = kind.rows(user) if kind.rows else visible_to(user, kind.model)
        rows = rows.order_by(f"-{kind.date}", "-pk")[:100]
        choices.extend((m.pk, f"{kind.label}：{m}（{getattr(m, kind.date):%Y-%m-%d}）") for m in rows)
    return choices


@login_required
def console(request):
    """纪检监督台: counts and links over every kind of record, the notes' answer status, attendance."""
    _check_console(request)
    sections = [{"s": s, "count": s.rows(request.user).count(), "url": s.url()} for s in console_sections()]
    groups = {}
    for row in sections:
        groups.setdefault(row["s"].group, []).append(row)
    by_status = dict(
        SupervisionNote.objects.order_by().values_list("status").annotate(c=Count("pk")).values_list("status", "c")
    )
    note_counts = [(s.value, s.label, by_status.get(s.value, 0)) for s in NoteStatus]
    latest = SupervisionNote.objects.select_related("created_by", "department").order_by("-created_at", "-id")[:10]
    attendance = Attendance.objects.select_related("person").order_by("-recorded_at", "-id")[:20]
    inspector = is_inspector(request.user)
    return render(
        request,
        "oversight/console.html",
        {
            "groups": groups,
            "note_counts": note_counts,
            "latest": latest,
            "attendance": attendance,
            "is_inspector": inspector,
            "attendance_form": AttendanceForm(meetings=_meeting_choices(request.user)) if inspector else None,
            "flag_rules": RULES.values(),
        },
    )


@login_required
@require_POST
def attendance_record(request):
    if not is_inspector(request.user):
        raise PermissionDenied(services.NOT_INSPECTOR)
    try:
        services.record_attendance(
            by=request.user,
            kind_key=request.POST.get("kind"),
            meeting_id=request.POST.get("meeting"),
            remark=request.POST.get("remark", ""),
        )
    except services.NotVisible:
        raise Http404("对象不存在或您无权查看。") from None
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "已登记列席会议。")
    return redirect("oversight:console")


class NoteFilter(ListFilterSet):
    q = SearchFilter("subject", "object_repr", label="事由或对象")
    status = ChoiceFilter(choices=NoteStatus.choices, empty_label="全部状态", label="状态")
    office = ChoiceFilter(choices=Office.choices, empty_label="全部责任部门", label="责任部门")
    stage = ChoiceFilter(choices=Stage.choices, empty_label="全部环节", label="监督环节")
    # ?record=<type>:<id> — the notes on one record (the 「监督意见 N 条」 link on a record page); hidden, and only
    # present when given
    record = django_filters.CharFilter(
        method="_record",
        widget=forms.HiddenInput,
        label="监督对象",
        validators=[RegexValidator(r"^[a-z_]+\.[a-z_]+:[0-9]{1,18}$", "监督对象参数无效。")],
    )

    class Meta:
        model = SupervisionNote
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if not (data or {}).get("record"):
            self.filters.pop("record")
            self.form.fields.pop("record", None)

    def _record(self, queryset, name, value):
        key, object_id = value.split(":")
        app_label, model = key.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model, object_id=int(object_id))


class NoteListPage(ListPage):
    """监督意见: the notes the user sees (console roles: all; an office: those addressed to it)."""

    template_name = "oversight/notes.html"
    filterset_class = NoteFilter
    list_url_name = "oversight:notes"
    export_title = "监督意见"
    default_sort = "-created"
    columns = (
        Column("created", "提出时间", ("created_at",), lambda n: n.created_at.strftime("%Y-%m-%d")),
        Column("subject", "事由", ("subject",), "subject"),
        Column("object", "监督对象", (), "object_repr"),
        Column("stage", "监督环节", ("stage",), "get_stage_display"),
        Column("office", "责任部门", ("office",), lambda n: _office_label(n)),
        Column("status", "状态", ("status",), "get_status_display"),
        Column("by", "提出人", (), "created_by.display_name"),
    )

    def check_access(self, request):
        if sees_console(request.user) or addressed_q(request.user) is not None:
            return
        raise PermissionDenied("监督意见仅供纪检办公室、校领导、系统管理员和被答复的责任部门查看。")

    def get_queryset(self):
        return visible_to(self.request.user, SupervisionNote).select_related("created_by", "department")

    def extra_context(self):
        return {"is_inspector": is_inspector(self.request.user), "one_record": bool(self.request.GET.get("record"))}


def _office_label(note):
    if note.office == Office.DEPARTMENT and note.department_id:
        return f"{note.department.name}（系主任）"
    return note.get_office_display()


@login_required
def note_new(request):
    """添加监督意见: the record by type and id (prefilled from ?type=&id= links on record pages)."""
    if not is_inspector(request.user):
        raise PermissionDenied(services.NOT_INSPECTOR)
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                note = services.create_note(
                    by=request.user,
                    type_key=data["object_type"],
                    object_id=data["object_id"],
                    office=data["office"],
                    subject=data["subject"],
                    text=data["text"],
                )
            except services.NotVisible:
                raise Http404("对象不存在或您无权查看。") from None
            except ValidationError as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(request, "已提出监督意见，责任部门将收到通知。")
                return redirect("oversight:note", note.pk)
    else:
        initial = {}
        target = note_target(request.GET.get("type"))
        if target is not None:
            initial["object_type"] = target.key
            raw = request.GET.get("id", "")
            if raw.isdigit() and len(raw) < 19:
                initial["object_id"] = int(raw)
        form = NoteForm(initial=initial)
    return render(request, "oversight/note_form.html", {"form": form, "record": _record_named(request, form)})


def _record_named(request, form):
    """The record the form names (type and id, prefilled or posted), as {label, url} when the inspector may see it:
    the page says which record the note will be attached to, not only its type and number."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    try:
        target, obj = services.resolve_target(request.user, data.get("object_type"), data.get("object_id"))
    except (ValidationError, services.NotVisible):
        return None
    return {"label": f"{target.label}：{obj}", "url": target.url(obj)}


def _note(request, pk, action="view"):
    return get_object_for_user(
        request, SupervisionNote.objects.select_related("created_by", "department", "content_type"), pk, action
    )


@login_required
def note_detail(request, pk):
    note = _note(request, pk)
    entries = visible_to(request.user, NoteEntry).filter(note=note).select_related("by").order_by("at", "id")
    target = note_target(f"{note.content_type.app_label}.{note.content_type.model}")
    record_url = ""
    if target is not None:
        obj = visible_to(request.user, target.model).filter(pk=note.object_id).first()
        record_url = target.url(obj) if obj is not None else ""
    history = [
        {"h": h, "from": SupervisionNote.WORKFLOW.label(h.from_state), "to": SupervisionNote.WORKFLOW.label(h.to_state)}
        for h in history_for(note)
    ]
    supervise = can(request.user, "supervise", note)
    return render(
        request,
        "oversight/note.html",
        {
            "note": note,
            "office": _office_label(note),
            "entries": entries,
            "history": history,
            "record_url": record_url,
            "can_answer": can(request.user, "answer", note),
            "can_close": supervise and note.status != NoteStatus.CLOSED,
            "can_reopen": supervise and note.status != NoteStatus.OPEN,
            "can_correct": supervise or can(request.user, "correct", note),
            # one form per box, each with its own element ids (the same field name `text`)
            "forms": {box: EntryForm(auto_id=f"{box}_%s") for box in ("answer", "close", "reopen", "correct")},
        },
    )


def _entry_post(request, pk, action, call, done):
    note = _note(request, pk, action)
    form = EntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_text(ValidationError([e for es in form.errors.values() for e in es])))
        return redirect("oversight:note", note.pk)
    try:
        call(note, form.cleaned_data["text"])
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done)
    return redirect("oversight:note", note.pk)


@login_required
@require_POST
def note_answer(request, pk):
    return _entry_post(
        request, pk, "answer", lambda n, t: services.answer_note(n, by=request.user, text=t), "已答复监督意见。"
    )


@login_required
@require_POST
def note_close(request, pk):
    return _entry_post(
        request, pk, "supervise", lambda n, t: services.close_note(n, by=request.user, text=t), "监督意见已办结。"
    )


@login_required
@require_POST
def note_reopen(request, pk):
    return _entry_post(
        request, pk, "supervise", lambda n, t: services.reopen_note(n, by=request.user, text=t), "监督意见已重新打开。"
    )


@login_required
@require_POST
def note_correct(request, pk):
    note = _note(request, pk)
    if not (can(request.user, "supervise", note) or can(request.user, "correct", note)):
        raise PermissionDenied("只有提出人或被答复的责任部门可以更正这条监督意见。")
    return _entry_post(
        request, pk, "view", lambda n, t: services.correct_note(n, by=request.user, text=t), "已添加更正。"
    )


@login_required
def flag_list(request):
    """异常提示: every rule's flags, computed now (at most two statements per rule)."""
    _check_console(request)
    rule = request.GET.get("rule") or ""
    rule = rule if rule in RULES else ""
    flags = all_flags(rule or None)
    return render(
        request, "oversight/flags.html", {"flags": flags, "rules": RULES.values(), "rule": rule, "count": len(flags)}
    )
