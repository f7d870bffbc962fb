from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import get_object_for_user, has_role, may_write_as, visible_to
from core.uploads import serve_file

from .. import documents, hooks, services
from ..calendar import publicity_window
from ..enums import ApplicationStatus, ObjectionStatus
from ..forms import ApproveForm, DisqualifyForm, ObjectionForm, PublishForm, ResolveObjectionForm
from ..models import Application, Call, Objection, Publicity
from ..policy import policy_for_call
from .common import document_response, require_teaching_affairs, run


@login_required
def publicity_list(request):
    publicities = visible_to(request.user, Publicity).select_related("call").order_by("-starts_at")
    calls = Call.objects.order_by("-year") if may_write_as(request.user, Role.TEACHING_AFFAIRS) else []
    return render(
        request, "applications/publicity_list.html", {"publicities": publicities, "calls": calls, "now": timezone.now()}
    )


@login_required
def publicity_create(request, call_pk):
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=call_pk)
    proposed = Application.objects.filter(call=call, status=ApplicationStatus.PROPOSED).select_related("applicant")
    form = PublishForm(
        request.POST or None,
        proposed=proposed,
        initial={
            "title": f"{call.year}年技能大师工作室认定建议名单公示",
            "starts_at": timezone.localtime().replace(second=0, microsecond=0),
            "applications": list(proposed),
        },
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        policy = policy_for_call(call)
        preview = publicity_window(
            data["starts_at"], int(policy.publicity_days), working_days=bool(policy.publicity_working_days)
        )
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
            ),
        )
        if publicity:
            messages.success(request, "公示已发布。")
            return redirect("applications:publicity_detail", publicity.pk)
    return render(request, "applications/publicity_form.html", {"form": form, "call": call, "preview": preview})


@login_required
def publicity_detail(request, pk):
    publicity = get_object_for_user(request, Publicity.objects.select_related("call", "published_by"), pk)
    apps = list(
        Application.objects.filter(publicity=publicity).select_related("applicant", "department").order_by("pk")
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
            "last_day": timezone.localtime(publicity.ends_at) - timezone.timedelta(seconds=1),
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
    form = ResolveObjectionForm(request.POST or None) if is_ta and objection.status == ObjectionStatus.OPEN else None
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
    can_see_application = visible_to(request.user, Application).filter(pk=objection.application_id).exists()
    return render(
        request,
        "applications/objection_detail.html",
        {"objection": objection, "form": form, "can_see_application": can_see_application},
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
    if request.method == "POST" and form.is_valid():
        studio = run(request, lambda: services.approve_application(app, by=request.user, **form.cleaned_data))
        if studio:
            messages.success(request, f"已认定，工作室「{studio.official_name}」已建立。")
            return redirect(hooks.outcome_url(app) or reverse("applications:detail", args=[app.pk]))
    return render(request, "applications/approve_form.html", {"app": app, "form": form})


@login_required
def application_disqualify(request, pk):
    """弄虚作假: disqualify with reason and evidence (also revokes an approved studio)."""
    require_teaching_affairs(request)
    app = get_object_for_user(request, Application, pk, action="manage")
    form = DisqualifyForm(request.POST or None, request.FILES or None)
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
