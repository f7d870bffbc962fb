"""Ledger pages: a list per record type (core.lists.ListPage), the record page with its actions, the form to add or
change a record (phones: photos from the camera), 系部审核 with batch confirm, attachments. Views parse, check
permission (accounts.permissions), call one service and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import can, get_object_for_user, headed_department_ids, may_write_as, visible_to
from core.forms import form_errors
from core.lists import ChoiceFilter, Column, IdChoiceFilter, ListFilterSet, ListPage, SearchFilter
from core.search import id_param
from core.uploads import serve_file
from core.workflow import WorkflowError, history_for
from studios.freeze import frozen_message
from studios.models import Membership, Studio

from . import services
from .enums import RecordStatus
from .evidence import describe_requirement, required_kinds
from .forms import FORMS, AttachmentForm, NoteForm, ReturnForm, SpotCheckForm, StageForm
from .models import Attachment
from .types import TYPES


def _type(kind):
    record_type = TYPES.get(kind)
    if record_type is None:
        raise Http404("没有这类建设记录。")
    return record_type


def _record(request, kind, pk, action="view"):
    record_type = _type(kind)
    queryset = record_type.model.objects.select_related("studio", "studio__department", "created_by")
    return record_type, get_object_for_user(request, queryset, pk, action=action)


def _errors(exc):
    if hasattr(exc, "message_dict"):
        return "；".join(m for messages_ in exc.message_dict.values() for m in messages_)
    return "；".join(getattr(exc, "messages", [str(exc)]))


# --- lists ------------------------------------------------------------------------------------------------------


def _year_choices():
    from django.utils import timezone

    this = timezone.localdate().year
    return [(str(y), f"{y} 年") for y in range(this, this - 10, -1)]


def _filterset_for(record_type):
    model = record_type.model
    attrs = {
        "q": SearchFilter("title", "studio__official_name", label="标题或工作室"),
        "status": ChoiceFilter(choices=RecordStatus.choices, empty_label="全部状态", label="状态"),
        "studio": IdChoiceFilter(
            queryset=Studio.objects.order_by("official_name"),
            empty_label="全部工作室",
            label="工作室",
            label_field="official_name",
        ),
        "year": ChoiceFilter(field_name="date__year", choices=_year_choices(), empty_label="全部年份", label="年份"),
    }
    if "kind" in {f.name for f in model._meta.get_fields()}:
        attrs["kind"] = ChoiceFilter(
            choices=model._meta.get_field("kind").choices, empty_label="全部类别", label="类别"
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (ListFilterSet,), attrs)


def _columns(record_type):
    name = record_type.name
    columns = [
        Column("date", "日期", ("date",), "date"),
        Column("title", "标题", ("title",), "title"),
        Column("studio", "工作室", ("studio__official_name",), "studio.official_name"),
    ]
    if name in ("activity", "project", "achievement"):
        columns.append(Column("kind", "类别", ("kind",), "get_kind_display"))
    if name == "activity":
        columns += [
            Column("hours", "学时", ("hours",), lambda r: float(r.hours)),
            Column("participants", "人次", ("participants",), "participants"),
        ]
    if name == "mentorship":
        columns += [
            Column("apprentice", "徒弟", ("apprentice_name",), "apprentice_name"),
            Column("outcome", "达到等级", ("outcome_level",), "get_outcome_level_display"),
        ]
    if name == "project":
        columns.append(Column("amount", "金额（元）", ("amount",), lambda r: str(r.amount)))
    if name == "achievement":
        columns += [
            Column("level", "级别", ("level",), "get_level_display"),
            Column("landmark", "标志性成果", ("landmark",), "landmark"),
        ]
    columns += [
        Column("status", "状态", ("status",), "get_status_display"),
        Column("evidence", "佐证材料", (), lambda r: "齐全" if r.has_evidence else "缺少"),
    ]
    return tuple(columns)


class RecordListPage(ListPage):
    template_name = "ledger/list.html"
    default_sort = "-date"
    record_type = None

    def get_queryset(self):
        model = self.record_type.model
        return (
            visible_to(self.request.user, model)
            .select_related("studio", *(("apprentice_user",) if self.record_type.name == "mentorship" else ()))
            .with_evidence()
        )

    def extra_context(self):
        user = self.request.user
        reviewer_depts = headed_department_ids(user) if may_write_as(user, Role.DEPT_HEAD) else frozenset()
        rows = [
            {
                "record": row,
                "cells": [(c.label, c.cell(row)) for c in self.columns[2:]],
                "confirmable": row.status == RecordStatus.SUBMITTED
                and row.studio.department_id in reviewer_depts
                and row.studio.status != "revoked",
            }
            for row in self.page
        ]
        return {
            "record_type": self.record_type,
            "types": TYPES.values(),
            "rows": rows,
            "can_batch": bool(reviewer_depts) and any(r["confirmable"] for r in rows),
            # 新增 only for the people who can record (a current member of an active studio), not a button to a 403.
            "can_record": _studios_for_new(user).exists(),
        }


LIST_VIEWS = {}
for _slug, _record_type in TYPES.items():
    _page = type(
        f"{_record_type.model.__name__}ListPage",
        (RecordListPage,),
        {
            "record_type": _record_type,
            "filterset_class": _filterset_for(_record_type),
            "columns": _columns(_record_type),
            "list_url_name": f"ledger:{_slug}",
            "export_title": _record_type.label,
        },
    )
    LIST_VIEWS[_slug] = (_page.as_view(), _page.as_view(export=True))


@login_required
def index(request):
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("ledger:activities") + (f"?{query}" if query else ""))


@login_required
def review_queue(request):
    """系部审核: what waits for this department head, per record type (each list filtered to 待系部审核)."""
    if not may_write_as(request.user, Role.DEPT_HEAD):
        raise PermissionDenied("只有系（部）主任审核建设记录。")
    from .inbox import waiting_for_review_qs

    counts = dict(waiting_for_review_qs(sorted(headed_department_ids(request.user))))
    studio = id_param(request.GET.get("studio", ""))
    suffix = f"&studio={studio}" if studio else ""
    entries = [
        {
            "label": t.label,
            "count": counts.get(slug, 0),
            "url": reverse(f"ledger:{slug}") + f"?status=submitted{suffix}",
        }
        for slug, t in TYPES.items()
    ]
    return render(request, "ledger/review_queue.html", {"entries": entries, "types": TYPES.values()})


@login_required
@require_POST
def batch_confirm(request, kind):
    record_type = _type(kind)
    ids = [i for i in (id_param(v) for v in request.POST.getlist("ids")) if i][:500]
    back = request.POST.get("next") or reverse(f"ledger:{kind}")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse(f"ledger:{kind}")
    if not ids:
        messages.error(request, "请先勾选要确认的记录。")
        return redirect(back)
    visible = list(visible_to(request.user, record_type.model).filter(pk__in=ids).values_list("pk", flat=True))
    try:
        confirmed, refused = services.batch_confirm(record_type.model, visible, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(back)
    refused += [(f"#{pk}", "记录不存在或您无权查看。") for pk in sorted(set(ids) - set(visible))]
    if confirmed:
        messages.success(request, f"已确认 {len(confirmed)} 条记录。")
    for title, reason in refused:
        messages.error(request, f"「{title}」未确认：{reason}")
    return redirect(back)


# --- one record -----------------------------------------------------------------------------------------------------


def _studios_for_new(user):
    current = Membership.objects.filter(user=user, left_on__isnull=True, studio__status="active").values("studio_id")
    return Studio.objects.filter(pk__in=current).order_by("official_name")


@login_required
def record_new(request, kind):
    record_type = _type(kind)
    studio_id = id_param(request.GET.get("studio", "") or request.POST.get("studio", ""))
    if studio_id is None:
        studios = list(_studios_for_new(request.user))
        if len(studios) == 1:
            studio_id = studios[0].pk
        else:
            if not studios:
                raise PermissionDenied("您不是任何运行中工作室的在册成员，不能填报建设记录。")
            return render(request, "ledger/choose_studio.html", {"studios": studios, "record_type": record_type})
    studio = get_object_for_user(request, Studio, studio_id, action="record")
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, studio=studio)
        if form.is_valid():
            try:
                record = services.create_record_with_photos(
                    record_type.model,
                    studio=studio,
                    by=request.user,
                    data=form.data_for_service(),
                    member_ids=form.cleaned_data.get("members", []),
                    photos=form.cleaned_data.get("photos", []),
                    submit=request.POST.get("action") == "submit",
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已保存{record_type.model._meta.verbose_name}「{record.title}」。")
                return redirect("ledger:detail", kind, record.pk)
    else:
        form = form_class(studio=studio)
    return render(
        request, "ledger/form.html", {"form": form, "studio": studio, "record_type": record_type, "record": None}
    )


def _add_errors(form, exc):
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@login_required
def record_edit(request, kind, pk):
    record_type, record = _record(request, kind, pk, action="edit")
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=record, studio=record.studio)
        # The instance is changed by the service, not by the form: keep the form from touching it on errors.
        if form.is_valid():
            try:
                services.update_record(
                    record_type.model.objects.get(pk=record.pk),
                    by=request.user,
                    data=form.data_for_service(),
                    member_ids=form.cleaned_data.get("members", []),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "修改已保存。")
                return redirect("ledger:detail", kind, record.pk)
    else:
        form = form_class(instance=record, studio=record.studio)
    return render(
        request,
        "ledger/form.html",
        {"form": form, "studio": record.studio, "record_type": record_type, "record": record},
    )


@login_required
def record_detail(request, kind, pk):
    record_type, record = _record(request, kind, pk)
    record = (
        record_type.model.objects.select_related("studio", "studio__department", "created_by", "reviewed_by")
        .prefetch_related("members", "attachments")
        .with_evidence()
        .get(pk=record.pk)
    )
    user = request.user
    # An archived year refuses every write in the services (studios.freeze); the page offers none of them either, and
    # the API keeps answering with the freeze's own message.
    open_year = not frozen_message(record.studio_id, record.date.year)
    context = {
        "record": record,
        "record_type": record_type,
        "history": _history(record),
        "missing": describe_requirement(record),
        "required": required_kinds(record),
        "can_edit": open_year and can(user, "edit", record),
        "can_review": open_year and can(user, "confirm", record),
        "can_spot_check": open_year and can(user, "spot_check", record),
        "can_progress": open_year and can(user, "progress", record),
        "attachment_form": AttachmentForm(),
        "return_form": ReturnForm(),
        "spot_form": SpotCheckForm(),
    }
    if record_type.name == "mentorship":
        context["notes"] = list(record.notes.select_related("by"))
        context["note_form"] = NoteForm()
    if record_type.name == "project":
        context["stages"] = list(record.stages.select_related("by"))
        context["stage_form"] = StageForm()
    return render(request, "ledger/detail.html", context)


def _history(obj):
    return list(history_for(obj))  # rows carry from_label / to_label (core.models.StatusChange)


def _post_action(request, kind, pk, action, call):
    if request.method != "POST":
        return redirect("ledger:detail", kind, pk)
    record_type, record = _record(request, kind, pk, action=action)
    try:
        message = call(record)
    except (ValidationError, PermissionDenied, WorkflowError) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message if isinstance(exc, WorkflowError) else _errors(exc))
    else:
        messages.success(request, message)
    return redirect("ledger:detail", kind, record.pk)


@login_required
@require_POST
def record_submit(request, kind, pk):
    def call(record):
        services.submit_record(record, by=request.user)
        return "已提交系部审核。"

    return _post_action(request, kind, pk, "submit", call)


@login_required
@require_POST
def record_confirm(request, kind, pk):
    def call(record):
        services.confirm_record(record, by=request.user)
        return "已确认该记录。"

    return _post_action(request, kind, pk, "confirm", call)


@login_required
@require_POST
def record_return(request, kind, pk):
    def call(record):
        services.return_record(record, by=request.user, reason=request.POST.get("reason", ""))
        return "已退回该记录，工作室将收到通知。"

    return _post_action(request, kind, pk, "return", call)


@login_required
@require_POST
def record_spot_check(request, kind, pk):
    def call(record):
        services.spot_check(record, by=request.user, note=request.POST.get("note", ""))
        return "已记录抽查意见。"

    return _post_action(request, kind, pk, "spot_check", call)


@login_required
@require_POST
def attachment_upload(request, kind, pk):
    def call(record):
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise form_errors(form)
        services.add_attachment(
            record, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
        return "材料已上传。"

    return _post_action(request, kind, pk, "upload", call)


@login_required
@require_POST
def progress_note(request, kind, pk):
    if kind != "mentorships":
        raise Http404

    def call(record):
        form = NoteForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.add_progress_note(record, by=request.user, **form.cleaned_data)
        return "已记录带徒进展。"

    return _post_action(request, kind, pk, "progress", call)


@login_required
@require_POST
def project_stage(request, kind, pk):
    if kind != "projects":
        raise Http404

    def call(record):
        form = StageForm(request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.record_stage(record, by=request.user, **form.cleaned_data)
        return "已记录项目阶段。"

    return _post_action(request, kind, pk, "progress", call)


@login_required
def attachment_file(request, kind, pk, attachment_pk, thumb=False):
    record_type, record = _record(request, kind, pk, action="download")
    attachment = Attachment.objects.filter(pk=attachment_pk, **{record_type.name: record.pk}).first()
    if attachment is None or (thumb and not attachment.thumbnail):
        raise Http404("附件不存在。")
    if thumb:
        return serve_file(attachment.thumbnail, f"缩略图-{attachment.original_name or 'photo'}.jpg")
    return serve_file(attachment.file, attachment.original_name or f"附件.{attachment.file.name.rsplit('.', 1)[-1]}")
