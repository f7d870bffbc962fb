from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import get_object_for_user, has_role, may_write_as, visible_to
from core.confirm import confirmation_page, is_confirmed
from core.uploads import serve_file

from .. import documents, hooks, services
from ..calendar import period_text, publicity_window
from ..enums import ApplicationStatus, ObjectionStatus
from ..forms import (
    ApproveForm,
    DisqualifyForm,
    InvestigationEvidenceForm,
    ObjectionForm,
    PublishForm,
    ResolveObjectionForm,
)
from ..models import Application, Call, Objection, Publicity
from ..policy import policy_for_call
from .common import document_response, form_errors, require_teaching_affairs, run


@login_required
def publicity_list(request):
    publicities = visible_to(request.user, Publicity).select_related("call").order_by("-starts_at")
    calls = Call.objects.order_by("-year") if may_write_as(request.user, Role.TEACHING_AFFAIRS) else []
    return render(
        request, "applications/publicity_list.html", {"publicities": publicities, "calls": calls, "now": timezone.now()}
    )


def _calendar_preview(call, starts_at):
    """The computed window of a 公示 starting at `starts_at` under the call's policy (the one calendar computation,
    applications.calendar.publicity_window), for the live preview; (window, error message)."""
    from django.core.exceptions import ValidationError

    if starts_at is None:
        return None, ""
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    policy = policy_for_call(call)
    try:
        window = publicity_window(
            starts_at, int(policy.publicity_days), working_days=bool(policy.publicity_working_days)
        )
    except ValidationError as exc:
        return None, "；".join(exc.messages)
    window.period = period_text(starts_at, window.ends_at, int(policy.publicity_days), policy.publicity_working_days)
    window.backdated = services.publicity.is_backdated(starts_at)
    return window, ""


def _publish_form(request, call, proposed):
    form = PublishForm(
        request.POST or None,
        proposed=proposed,
        initial={
            "title": f"{call.year}年技能大师工作室认定建议名单公示",
            "starts_at": timezone.localtime().replace(second=0, microsecond=0),
            "applications": list(proposed),
        },
    )
    # The end is recomputed on the server while the start is typed (htmx; no inline script under the CSP).
    form.fields["starts_at"].widget.attrs.update(
        {
            "hx-get": reverse("applications:publicity_preview", args=[call.pk]),
            "hx-trigger": "change, input delay:400ms",
            "hx-target": "#publicity-preview",
            # the preview box itself (always there): its acknowledgement checkbox when shown; a selector for the
            # checkbox alone logged an htmx console error whenever there was no warning
            "hx-include": "#publicity-preview",
        }
    )
    return form


@login_required
def publicity_create(request, call_pk):
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=call_pk)
    proposed = Application.objects.filter(call=call, status=ApplicationStatus.PROPOSED).select_related("applicant")
    form = _publish_form(request, call, proposed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        publicity = run(
            request,
            lambda: services.publish_publicity(
                by=request.user,
                call=call,
                applications=list(data["applications"]),
                starts_at=data["starts_at"],
                title=data["title"],
                body=data["body"],
                acknowledge_warning=data["acknowledge_warning"],
                backdate_reason=data["backdate_reason"],
            ),
        )
        if publicity:
            messages.success(request, "公示已发布。")
            return redirect("applications:publicity_detail", publicity.pk)
    starts_at = form.cleaned_data.get("starts_at") if form.is_bound and form.is_valid() else form["starts_at"].initial
    preview, preview_error = _calendar_preview(call, starts_at)
    return render(
        request,
        "applications/publicity_form.html",
        {
            "form": form,
            "call": call,
            "preview": preview,
            "preview_error": preview_error,
            "acknowledged": form.is_bound and bool(request.POST.get("acknowledge_warning")),
        },
    )


@login_required
@require_GET
def publicity_preview(request, call_pk):
    """htmx partial: the computed end of a 公示 starting at ?starts_at=…, its calendar warnings with the
    acknowledgement checkbox (only then), and whether a 补登原因 is needed."""
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=call_pk)
    field = PublishForm.base_fields["starts_at"]
    try:
        starts_at = field.clean(request.GET.get("starts_at", "")[:40])
    except DjangoValidationError as exc:
        return render(
            request,
            "applications/_publicity_preview.html",
            {"preview": None, "preview_error": "；".join(exc.messages)},
        )
    preview, error = _calendar_preview(call, starts_at)
    return render(
        request,
        "applications/_publicity_preview.html",
        {
            "preview": preview,
            "preview_error": error,
            "acknowledged": bool(request.GET.get("acknowledge_warning")),
        },
    )


@login_required
def publicity_detail(request, pk):
    publicity = get_object_for_user(request, Publicity.objects.select_related("call", "published_by"), pk)
    apps = list(
        Application.objects.filter(publicity=publicity)
        .select_related("applicant", "department", "publicity")
        .order_by("pk")
    )
    is_ta = may_write_as(request.user, Role.TEACHING_AFFAIRS)
    objections = list(
        visible_to(request.user, Objection).filter(publicity=publicity).select_related("application", "raised_by")
    )
    return render(
        request,
        "applications/publicity_detail.html",
        {
            "publicity": publicity,
            "apps": apps,
            "is_open": publicity.is_open(),
            "has_ended": publicity.has_ended(),
            "is_ta": is_ta,
            "objections": objections,
            "can_object": has_role(request.user, Role.STAFF) and publicity.is_open(),
        },
    )


@login_required
def publicity_pdf(request, pk):
    publicity = get_object_for_user(request, Publicity, pk, action="download")
    return document_response(*documents.publicity_notice_pdf(publicity))


def _objection_refusal(publicity, app, user):
    if app.applicant_id == user.pk:
        return "不能对本人的申报提出异议。"
    if publicity.has_ended():
        return f"公示期已于 {timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M} 结束，不能再提出异议。"
    if not publicity.is_open():
        return f"公示将于 {timezone.localtime(publicity.starts_at):%Y-%m-%d %H:%M} 开始，届时才能提出异议。"
    return None


@login_required
def objection_lodge(request, pk, app_pk):
    publicity = get_object_for_user(request, Publicity, pk)
    app = get_object_or_404(Application, pk=app_pk, publicity=publicity)
    if request.method == "GET" and (refusal := _objection_refusal(publicity, app, request.user)):
        # Say so before the objector writes anything (a bookmarked link, the back button after the window).
        messages.warning(request, refusal)
        return redirect("applications:publicity_detail", publicity.pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        objection = run(
            request,
            lambda: services.lodge_objection(
                publicity,
                app,
                by=request.user,
                content=form.cleaned_data["content"],
                evidence=form.cleaned_data["evidence"],
            ),
        )
        if objection:
            messages.success(request, "异议已实名提交，教学工作部将调查核实。")
            return redirect("applications:publicity_detail", publicity.pk)
    return render(request, "applications/objection_form.html", {"form": form, "publicity": publicity, "app": app})


@login_required
def objection_detail(request, pk):
    objection = get_object_for_user(
        request, Objection.objects.select_related("application", "publicity", "raised_by", "resolved_by"), pk
    )
    is_ta = may_write_as(request.user, Role.TEACHING_AFFAIRS)
    investigating = objection.status == ObjectionStatus.INVESTIGATING
    form = ResolveObjectionForm(request.POST or None) if is_ta and investigating else None
    if request.method == "POST":
        require_teaching_affairs(request)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            if run(
                request,
                lambda: services.resolve_objection(
                    objection,
                    by=request.user,
                    upheld=data["upheld"],
                    findings=data["findings"],
                    outcome=data["outcome"],
                ),
            ):
                messages.success(request, "异议已处理。")
                return redirect("applications:objection_detail", pk)
        elif form is None:
            messages.warning(request, f"该异议当前为「{objection.get_status_display()}」，请先开始调查。")
            return redirect("applications:objection_detail", pk)
    can_see_application = visible_to(request.user, Application).filter(pk=objection.application_id).exists()
    return render(
        request,
        "applications/objection_detail.html",
        {
            "objection": objection,
            "form": form,
            "evidence_form": InvestigationEvidenceForm() if is_ta and investigating else None,
            "can_investigate": is_ta and objection.status == ObjectionStatus.OPEN,
            "can_see_application": can_see_application,
        },
    )


@login_required
@require_POST
def objection_investigate(request, pk):
    """开始调查: 待调查 → 调查中."""
    require_teaching_affairs(request)
    objection = get_object_for_user(request, Objection, pk, action="investigate")
    if objection.status == ObjectionStatus.INVESTIGATING:
        messages.info(request, "该异议已在调查中，无需重复操作。")
    elif run(request, lambda: services.start_investigation(objection, by=request.user)):
        messages.success(request, "已开始调查；异议人已收到通知。请在调查后记录结论。")
    return redirect("applications:objection_detail", pk)


@login_required
def objection_investigation_evidence(request, pk):
    """GET: download the investigation material (same check as the objection's evidence); POST: attach or replace it
    while the objection is 调查中 (teaching affairs)."""
    if request.method == "POST":
        require_teaching_affairs(request)
        objection = get_object_for_user(request, Objection, pk, action="investigate")
        form = InvestigationEvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        elif run(
            request,
            lambda: services.add_investigation_evidence(
                objection, by=request.user, uploaded_file=form.cleaned_data["file"]
            ),
        ):
            messages.success(request, "调查材料已保存。")
        return redirect("applications:objection_detail", pk)
    objection = get_object_for_user(request, Objection, pk, action="download")
    if not objection.investigation_evidence:
        raise PermissionDenied("该异议没有调查材料。")
    return serve_file(
        objection.investigation_evidence, objection.investigation_evidence_name or f"调查材料-{objection.pk}"
    )


@login_required
def objection_evidence(request, pk):
    objection = get_object_for_user(request, Objection, pk, action="download")
    if not objection.evidence:
        raise PermissionDenied("该异议没有证据材料。")
    return serve_file(objection.evidence, f"异议证据-{objection.pk}")


@login_required
def application_approve(request, pk):
    """认定: 发文文号 and date; creates the studio."""
    require_teaching_affairs(request)
    app = get_object_for_user(request, Application.objects.select_related("publicity"), pk, action="manage")
    if app.status == ApplicationStatus.APPROVED:
        # The back button or a second tab after 认定: say so and go to the studio instead of a transition error.
        messages.info(request, f"该申报已认定（文号：{app.document_number}），无需重复操作。")
        return redirect(hooks.outcome_url(app) or reverse("applications:detail", args=[app.pk]))
    form = ApproveForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and not is_confirmed(request):
        # 认定 cannot be undone (a studio is created): confirmed first — a dialog, or this page without JavaScript
        data = form.cleaned_data
        return confirmation_page(
            request,
            title="请确认：认定授牌",
            question=f"您确定认定「{app.studio_name}」并建立工作室吗？认定后不能撤销。",
            details=[("认定发文文号", data["document_number"]), ("认定日期", f"{data['approved_on']:%Y-%m-%d}")],
            cancel_url=reverse("applications:approve", args=[app.pk]),
            button="确认认定",
        )
    if request.method == "POST" and form.is_valid():
        studio = run(request, lambda: services.approve_application(app, by=request.user, **form.cleaned_data))
        if studio:
            messages.success(request, f"已认定，工作室「{studio.official_name}」已建立。")
            return redirect(hooks.outcome_url(app) or reverse("applications:detail", args=[app.pk]))
    members = list(app.members.select_related("user__department").order_by("role", "pk"))
    objections = list(
        Objection.objects.filter(application=app, publicity_id=app.publicity_id)
        .select_related("raised_by", "resolved_by")
        .order_by("pk")
    )
    return render(
        request,
        "applications/approve_form.html",
        {
            "app": app,
            "form": form,
            "master": User.objects.select_related("department").get(pk=app.applicant_id),
            "members": members,
            "objections": objections,
            "publicity": app.publicity,
        },
    )


@login_required
def application_disqualify(request, pk):
    """弄虚作假: disqualify with reason and evidence (also revokes an approved studio)."""
    require_teaching_affairs(request)
    app = get_object_for_user(request, Application, pk, action="manage")
    form = DisqualifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and not is_confirmed(request):
        return confirmation_page(
            request,
            title="请确认：取消申报资格",
            question=f"您确定取消「{app.studio_name or '该申报'}」的申报资格吗？已认定的工作室将同时撤销，不能撤销。",
            details=[("取消资格原因", form.cleaned_data["reason"])],
            cancel_url=reverse("applications:detail", args=[app.pk]),
            button="确认取消资格",
            file_fields=[("evidence", "证据材料（可选）")],
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run(
            request,
            lambda: services.disqualify_application(
                app, by=request.user, reason=data["reason"], evidence=data["evidence"]
            ),
        ):
            messages.success(request, "已取消申报资格。")
            return redirect("applications:detail", app.pk)
    return render(request, "applications/disqualify_form.html", {"app": app, "form": form})
