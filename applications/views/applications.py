from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import can, get_object_for_user, may_write_as, visible_to
from core.confirm import confirmation_page
from core.uploads import serve_file
from core.workflow import WorkflowError, history_for
from people.models import Honor, WorkPeriod

from .. import documents, eligibility, progress, services
from ..enums import (
    IDENTIFYING_KINDS,
    PERSONAL_DATA_KINDS,
    ApplicationStatus,
    AssignmentStatus,
    Judgement,
    MemberRole,
)
from ..evidence import reviewer_evidence
from ..forms import ApplicationDecisionForm, AssignForm, AttachmentForm, DraftForm, TransitionForm
from ..models import Application, Attachment, Call, CommitteeMeeting
from ..queries import committee_record, deciding_meeting
from .common import document_response, form_errors, run


@login_required
@require_POST
def application_create(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    app = run(request, lambda: services.create_application(call, by=request.user))
    if app:
        messages.success(request, "已创建申报草稿，请完善各项内容。")
        return redirect("applications:edit", app.pk)
    return redirect("applications:list")


def _detail_queryset():
    return Application.objects.select_related(
        "call__rubric", "applicant", "department", "recommended_by", "publicity"
    ).prefetch_related("majors", "members__user__department", "attachments")


def _hide_identity(request, app):
    """Blind review: the one rule of the policy (applications.queries.identity_hidden_expr)."""
    return not can(request.user, "see_identity", app)


def masked_history(app, hidden):
    """The status history; for a user who must not learn the applicant (blind review), the applicant's own moves read
    「申报人」 and carry no note (a note may be signed)."""
    rows = []
    for h in history_for(app):
        own = hidden and h.by_id == app.applicant_id
        rows.append(
            {
                "at": h.at,
                "by_name": "申报人" if own else h.by.display_name,
                "from": ApplicationStatus(h.from_state).label,
                "to": ApplicationStatus(h.to_state).label,
                "note": "" if own else h.note,
            }
        )
    return rows


def shown_attachments(app, hidden):
    """The attachments listed (and downloadable) for this viewer: during a blind review the kinds that name the
    applicant (IDENTIFYING_KINDS: the signed 申报表, certificates) are withheld; the rest carry a neutral name."""
    rows = []
    for f in app.attachments.all():
        if hidden and f.kind in IDENTIFYING_KINDS:
            continue
        rows.append({"pk": f.pk, "name": neutral_name(f) if hidden else f.original_name, "kind": f.get_kind_display()})
    return rows


def neutral_name(attachment):
    suffix = attachment.original_name.rsplit(".", 1)[-1][:8] if "." in attachment.original_name else "bin"
    return f"证明材料-{attachment.pk}.{suffix}"


# Moves that carry the process forward: when the user's role could make one but its condition is not met yet, the page
# says why (a missing scan, experts still scoring, publicity not over) instead of silently showing no button.
NEXT_STEPS = frozenset({"submitted", "under_review", "reviewed", "proposed", "approved"})
# Moves with their own screen or button (approval form, disqualification form, publicity screen).
OWN_SCREEN = frozenset({"approved", "disqualified", "in_publicity", "draft"})  # draft: 撤回, confirmed on its page


def _where_to_go(app, target):
    """The page where a blocked next step is unblocked: a link instead of a dead end."""
    if target == "submitted":
        return {"link": "编辑申报、上传材料", "url": reverse("applications:edit", args=[app.pk])}
    if target == "under_review":
        return {"link": "指派专家", "url": "#assign"}
    if target == "proposed":
        meeting = deciding_meeting(app)
        if meeting is not None:
            return {
                "link": f"查看审议会议「{meeting.title}」",
                "url": reverse("applications:meeting_detail", args=[meeting.pk]),
            }
        return {"link": "组织学术委员会审议", "url": reverse("applications:meeting_create", args=[app.call_id])}
    if target == "approved" and app.publicity_id:
        return {"link": "查看公示与异议", "url": reverse("applications:publicity_detail", args=[app.publicity_id])}
    return {}


# The choices of the opinion box, in this order; "recommended" reads 推荐 there (推荐 / 退回修改 / 不予推荐).
BOX_ORDER = ("submitted", "recommended", "returned", "rejected", "under_review", "reviewed", "proposed")
BOX_LABELS = {"recommended": "推荐"}
# Decisions confirmed before they are made (issue 9 item 4): submission, every refusal, 认定 and 取消资格 (their own
# pages confirm the last two).
IRREVERSIBLE = frozenset({"submitted", "rejected", "approved", "disqualified"})


def _actions(app, user):
    """(choices, reasons, allowed): the moves `user` may make now in the opinion box, each named by what it does; and,
    for the next step of the process that their role could take but is blocked for now, the Chinese reason why."""
    machine = Application.WORKFLOW
    current = str(app.status)
    choices, reasons, allowed = [], [], []
    for target in machine.targets(current):
        move = machine.transitions[(current, target)]
        try:
            machine.check(app, target, by=user)
        except WorkflowError as exc:
            owner_move = move.roles or user.pk == app.applicant_id
            new = all(r["text"] != exc.message for r in reasons)
            if exc.code == "guard" and target in NEXT_STEPS and owner_move and new:
                reasons.append({"text": exc.message, **_where_to_go(app, target)})
            continue
        allowed.append(target)
        if target not in OWN_SCREEN:
            choices.append((target, BOX_LABELS.get(target, move.label or ApplicationStatus(target).label)))
    order = {t: i for i, t in enumerate(BOX_ORDER)}
    choices.sort(key=lambda c: order.get(c[0], len(order)))
    return choices, reasons, allowed


def _decision_form(app, user, choices, data=None):
    """The opinion box for the moves `user` may make now, or None when there is none."""
    if not choices:
        return None
    machine = Application.WORKFLOW
    current = str(app.status)
    return ApplicationDecisionForm(
        data,
        choices=choices,
        reason_required=[t for t, _ in choices if machine.transitions[(current, t)].reason_required],
        irreversible=[t for t, _ in choices if t in IRREVERSIBLE],
        judge="recommended" in dict(choices),
        initial={"target": choices[0][0]} if len(choices) == 1 else None,
    )


def _return_note(app):
    """The department's reasons for the latest 退回修改, while the application waits for the applicant's changes."""
    if app.status != ApplicationStatus.RETURNED:
        return None
    return history_for(app).filter(to_state=ApplicationStatus.RETURNED).order_by("-at", "-pk").first()


def _judgements(app):
    """The department head's R7/R8 judgement recorded with 推荐, shown to every later stage."""
    rows = []
    for title, value, note in (
        ("专业相关性（R7）", app.dept_r7_judgement, app.dept_r7_note),
        ("政治素质、师德（R8）", app.dept_r8_judgement, app.dept_r8_note),
    ):
        if value:
            rows.append({"title": title, "verdict": value, "label": Judgement(value).label, "note": note})
    return rows


@login_required
def application_detail(request, pk):
    app = get_object_for_user(request, _detail_queryset(), pk)
    return render(request, "applications/detail.html", _detail_context(request, app))


def _detail_context(request, app, decision_form=None):
    user = request.user
    choices, blocked_reasons, targets = _actions(app, user)
    is_ta = may_write_as(user, Role.TEACHING_AFFAIRS)
    assignments = list(app.assignments.select_related("expert")) if is_ta else []
    blind = _hide_identity(request, app)
    precheck = (
        eligibility.precheck(app) if app.status in ("draft", "returned") and user.pk == app.applicant_id else None
    )
    # Reviewers see what they judge (issue 9 item 2): the verdicts R4–R9 with their evidence, for everyone in the
    # process whose scope covers the applicant's personal data (department head, assigned experts, committee members
    # on the agenda, teaching affairs, supervisors) — without the applicant's identity in a blind review.
    show_evidence = precheck is None and app.status != "draft" and can(user, "see_personal_data", app)
    return {
        "app": app,
        "blind": blind,
        "history": masked_history(app, blind),
        "attachments": shown_attachments(app, blind),
        "decision_form": decision_form if decision_form is not None else _decision_form(app, user, choices),
        "blocked_reasons": blocked_reasons,
        "can_edit": can(user, "edit", app),
        "is_ta": is_ta,
        "assignments": assignments,
        "assign_form": AssignForm() if is_ta and app.status in ("recommended", "under_review") else None,
        "return_note": _return_note(app),
        "publish_url": reverse("applications:publicity_create", args=[app.call_id])
        if "in_publicity" in targets
        else None,
        "can_approve": "approved" in targets,
        "can_disqualify": "disqualified" in targets,
        "can_withdraw": "draft" in targets,
        "committee_record": committee_record(app, visible_to(user, CommitteeMeeting), user),
        "precheck": precheck,
        "evidence": reviewer_evidence(app, blind=blind) if show_evidence else None,
        "judgements": _judgements(app),
        "stepper": progress.stepper(app),
        "show_snapshot": not blind,
        "can_download_form": not blind and can(user, "see_personal_data", app),
        "active_assignments": [a for a in assignments if a.status != AssignmentStatus.RECUSED],
    }


def _initial(app):
    members = list(app.members.all())
    return {
        "version": app.version,
        **{f: getattr(app, f) for f in services.drafts.DRAFT_FIELDS},
        "majors": list(app.majors.all()),
        "core_members": [m.user_id for m in members if m.role == MemberRole.CORE],
        "other_members": [m.user_id for m in members if m.role == MemberRole.MEMBER],
    }


def _editable(request, queryset, pk):
    """The application if the user may edit it now; 404 if they may not see it; else 403 with a message that says why
    (a stale edit page after submitting, the back button) instead of an action code."""
    app = get_object_for_user(request, queryset, pk)
    if can(request.user, "edit", app):
        return app
    if app.applicant_id != request.user.pk:
        raise PermissionDenied("只有申报人本人可以修改申报。")
    message = f"该申报当前状态为「{app.get_status_display()}」，只有草稿或已退回修改的申报才能修改。"
    if app.status == ApplicationStatus.SUBMITTED:
        message += "系部审核前如需修改，请联系系部主任退回。"
    raise PermissionDenied(message)


@login_required
def application_edit(request, pk):
    """The draft form. A normal POST saves and returns to the page; an autosave POST (X-Autosave) answers JSON."""
    app = _editable(request, _detail_queryset(), pk)
    autosave = request.headers.get("X-Autosave") == "1"
    form = DraftForm(request.POST or None, initial=_initial(app), applicant=app.applicant)
    if request.method == "POST":
        if not form.is_valid():
            if autosave:
                return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=422)
        else:
            data = {k: form.cleaned_data[k] for k in services.drafts.DRAFT_FIELDS}
            core = [(u, MemberRole.CORE) for u in form.cleaned_data["core_members"]]
            others = [
                (u, MemberRole.MEMBER)
                for u in form.cleaned_data["other_members"]
                if u not in form.cleaned_data["core_members"]
            ]
            try:
                saved = services.save_draft(
                    app,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    data=data,
                    majors=list(form.cleaned_data["majors"]),
                    members=core + others,
                )
            except WorkflowError as exc:
                if autosave:
                    return JsonResponse({"ok": False, "message": exc.message, "code": exc.code}, status=409)
                messages.error(request, exc.message)
            except services.drafts.ValidationError as exc:
                if autosave:
                    return JsonResponse({"ok": False, "message": "；".join(exc.messages)}, status=422)
                messages.error(request, "；".join(exc.messages))
            else:
                if autosave:
                    return JsonResponse({"ok": True, "version": saved.version, "message": "已自动保存"})
                messages.success(request, "已保存。")
                return redirect("applications:edit", app.pk)
    return render(
        request,
        "applications/edit.html",
        {
            "app": app,
            "form": form,
            "attachment_form": AttachmentForm(),
            "precheck": eligibility.precheck(app),
            "return_note": _return_note(app),
        },
    )


@login_required
def precheck_partial(request, pk):
    """The live eligibility and composition pre-check (htmx partial)."""
    app = _editable(request, _detail_queryset(), pk)
    return render(request, "applications/_precheck.html", {"precheck": eligibility.precheck(app)})


@login_required
@require_POST
def attachment_upload(request, pk):
    app = _editable(request, Application.objects.all(), pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        if run(request, lambda: services.add_attachment(app, by=request.user, kind=kind, uploaded_file=upload)):
            messages.success(request, "材料已上传。")
    else:
        messages.error(request, form_errors(form))
    return redirect("applications:edit", app.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    app = get_object_for_user(request, Application, pk, action="download")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=app)
    if _hide_identity(request, app):
        if attachment.kind in IDENTIFYING_KINDS:
            raise PermissionDenied("匿名评审期间，评审专家不能下载含申报人身份的材料（申报表、证书）。")
        return serve_file(attachment.file, neutral_name(attachment))
    if attachment.kind in PERSONAL_DATA_KINDS and not can(request.user, "see_personal_data", app):
        raise PermissionDenied("签字申报表含申报人的出生日期等个人信息，不在您的职责范围内，不能下载。")
    return serve_file(attachment.file, attachment.original_name)


@login_required
@require_POST
def application_transition(request, pk):
    """The opinion box's POST: a valid choice of the moves the person may make now, its reason where required, the
    R7/R8 judgement with 推荐, and the confirmation of an irreversible choice (core.confirm) — then one service call."""
    app = get_object_for_user(request, _detail_queryset(), pk, action="transition")
    target = request.POST.get("target", "")
    if str(app.status) == target:
        # A double click, the back button or a colleague who was quicker: nothing to do, and no error to read.
        messages.info(request, f"该申报已是「{app.get_status_display()}」状态（可能已由您或他人办理），无需重复操作。")
        return redirect("applications:detail", app.pk)
    move = Application.WORKFLOW.transitions.get((str(app.status), target))
    if move is None and target in ApplicationStatus.values:
        messages.warning(
            request,
            f"该申报当前状态为「{app.get_status_display()}」，不能办理「{ApplicationStatus(target).label}」。"
            "页面可能已过期，请查看最新状态后再办理。",
        )
        return redirect("applications:detail", app.pk)
    choices, _reasons, _allowed = _actions(app, request.user)
    if target not in dict(choices):
        # not a move this person may make now: the service says why (role, scope, guard), and nothing changes
        form = TransitionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        run(request, lambda: services.move_application(app, target, by=request.user, note=note))
        return redirect("applications:detail", app.pk)
    form = _decision_form(app, request.user, choices, data=request.POST)
    if not form.is_valid():
        messages.error(request, "办理未提交：" + form_errors(form))
        return render(request, "applications/detail.html", _detail_context(request, app, decision_form=form))
    if form.needs_confirmation():
        label = form.choice_label()
        return confirmation_page(
            request,
            title=f"请确认：{label}",
            question=f"您确定要对「{app.studio_name or '该申报'}」办理「{label}」吗？提交后不能撤销。",
            details=[("申报", str(app)), ("办理意见", label), ("理由/意见", form.cleaned_data["note"])],
            cancel_url=reverse("applications:detail", args=[app.pk]),
            button=f"确认{label}",
        )
    note = form.cleaned_data["note"]
    judgements = form.judgements() if target == "recommended" else None
    if run(request, lambda: services.move_application(app, target, by=request.user, note=note, judgements=judgements)):
        done = move.label if move and move.label else ApplicationStatus(target).label
        messages.success(request, f"已办理：{done}。当前状态：{ApplicationStatus(target).label}。")
    return redirect("applications:detail", app.pk)


@login_required
def evidence_file(request, pk, kind, obj_pk):
    """A certificate (honour) or work proof of the applicant, opened from the eligibility evidence of the application
    page by those who judge it. Refused to a blind-review expert (they are issued in the holder's name) and to roles
    whose scope does not cover personal data; only the applicant's own records of this application."""

    app = get_object_for_user(request, Application, pk, action="download")
    if _hide_identity(request, app):
        raise PermissionDenied("匿名评审期间，评审专家不能下载以持证人姓名颁发的证书和证明材料。")
    if not can(request.user, "see_personal_data", app):
        raise PermissionDenied("证书和证明材料含申报人的个人信息，不在您的职责范围内，不能下载。")
    if kind == "honor":
        record = get_object_or_404(Honor, pk=obj_pk, user_id=app.applicant_id)
        stored, name = record.certificate, record.certificate_name or "证书"
    elif kind == "work":
        record = get_object_or_404(WorkPeriod, pk=obj_pk, user_id=app.applicant_id)
        stored, name = record.proof, record.proof_name or "证明材料"
    else:
        raise Http404
    if not stored:
        raise Http404
    return serve_file(stored, name)


def _form_document_app(request, pk):
    """The 申报表 names the applicant and carries his birth date and career: refused to a blind-review expert and to
    roles whose scope (docs/roles.md) does not cover personal data (finance, 校企办)."""
    app = get_object_for_user(request, Application.objects.select_related("call"), pk, action="download")
    if _hide_identity(request, app):
        raise PermissionDenied("匿名评审期间，评审专家不能下载含申报人身份的申报表。")
    if not can(request.user, "see_personal_data", app):
        raise PermissionDenied("申报表含申报人的出生日期等个人信息，不在您的职责范围内，不能下载。")
    return app


@login_required
def application_withdraw(request, pk):
    """撤回申报: a confirmation page (GET), then the move (POST). Only the applicant, only before the department acts."""
    app = get_object_for_user(request, Application.objects.select_related("call"), pk, action="withdraw")
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if run(request, lambda: services.withdraw_application(app, by=request.user, reason=reason)):
            messages.success(request, "申报已撤回，现为草稿；如需再次申报，请修改后在截止时间前重新提交。")
            return redirect("applications:detail", app.pk)
        return redirect("applications:withdraw", app.pk)
    if app.status != ApplicationStatus.SUBMITTED:
        messages.warning(request, f"该申报当前状态为「{app.get_status_display()}」，系部已办理或尚未提交，不能撤回。")
        return redirect("applications:detail", app.pk)
    return render(request, "applications/withdraw_confirm.html", {"app": app})


@login_required
def form_docx(request, pk):
    app = _form_document_app(request, pk)
    return document_response(*documents.application_form_docx(app))


@login_required
def form_pdf(request, pk):
    app = _form_document_app(request, pk)
    return document_response(*documents.application_form_pdf(app))
