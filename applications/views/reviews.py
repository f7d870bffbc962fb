from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import can, get_object_for_user, visible_to
from core.search import id_param

from .. import services
from ..enums import AssignmentStatus
from ..forms import AssignForm, RecuseForm, ReviewForm
from ..models import Application, ReviewAssignment, RubricCriterion
from .applications import shown_attachments
from .common import require_teaching_affairs, run


@login_required
def my_reviews(request):
    """待评审: the expert's own assignments."""
    assignments = (
        visible_to(request.user, ReviewAssignment)
        .filter(expert=request.user)
        .select_related("application__call", "application__department")
        .order_by("-assigned_at")
    )
    return render(request, "applications/my_reviews.html", {"assignments": assignments})


@login_required
def review_detail(request, pk):
    """Declare no conflict (or recuse) first; then the application and the score form."""
    assignment = get_object_for_user(
        request,
        ReviewAssignment.objects.select_related(
            "application__call__rubric", "application__department", "application__applicant"
        ).prefetch_related("application__attachments"),
        pk,
    )
    if assignment.expert_id != request.user.pk:
        return redirect("applications:detail", assignment.application_id)
    app = assignment.application
    criteria = list(RubricCriterion.objects.filter(rubric_id=app.call.rubric_id))
    draft = {f"score_{code}": value for code, value in (assignment.scores or {}).items()}
    if assignment.comment:
        draft["comment"] = assignment.comment
    if assignment.recommendation:
        draft["recommendation"] = assignment.recommendation
    form = ReviewForm(request.POST if request.POST.get("action") == "score" else None, criteria=criteria, initial=draft)
    recuse_form = RecuseForm(request.POST or None) if request.POST.get("action") == "recuse" else RecuseForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "declare":
            if run(request, lambda: services.declare_no_conflict(assignment, by=request.user)):
                messages.success(request, "已声明无利益冲突，现在可以查看申报材料并评分。")
            return redirect("applications:review_detail", pk)
        if action == "recuse" and recuse_form.is_valid():
            if run(
                request, lambda: services.recuse(assignment, by=request.user, reason=recuse_form.cleaned_data["reason"])
            ):
                messages.success(request, "已回避，本次评审不再计入您的评分。")
            return redirect("applications:my_reviews")
        if action == "draft":
            # 暂存: whatever is filled in so far, each given score within its range; counted nowhere until submitted.
            scores = {c.code: request.POST.get(f"score_{c.code}", "")[:20] for c in criteria}
            if run(
                request,
                lambda: services.save_review_draft(
                    assignment,
                    by=request.user,
                    scores=scores,
                    comment=request.POST.get("comment", ""),
                    recommendation=request.POST.get("recommendation", "")[:20],
                ),
            ):
                messages.success(request, "已暂存。暂存的评分不计入评审结果，请在截止前提交。")
            return redirect("applications:review_detail", pk)
        if action == "score" and form.is_valid():
            done = run(
                request,
                lambda: services.submit_review(
                    assignment,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    recommendation=form.cleaned_data["recommendation"],
                ),
            )
            if done:
                # the server's total (the page's live total was a preview of the same formula)
                messages.success(request, f"评分已提交，加权总分 {done.total}（百分制）。")
                return redirect("applications:my_reviews")
    blind = not can(request.user, "see_identity", app)
    others = []
    if app.call.experts_see_scores and assignment.status in (AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED):
        others = list(
            ReviewAssignment.objects.filter(application=app, status=AssignmentStatus.SUBMITTED)
            .exclude(pk=assignment.pk)
            .select_related("expert")
        )
    return render(
        request,
        "applications/review_detail.html",
        {
            "assignment": assignment,
            "app": app,
            "blind": blind,
            "form": form,
            "recuse_form": recuse_form,
            "criteria": criteria,
            "others": others,
            "members": list(app.members.select_related("user")) if not blind else [],
            "attachments": shown_attachments(app, blind)
            if assignment.status in (AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED)
            else [],
            "deadline": app.call.review_deadline,
            "deadline_passed": app.call.review_deadline is not None and timezone.now() > app.call.review_deadline,
        },
    )


@login_required
def assign_batch(request, call_pk):
    """Batch assignment: several experts to several applications of one call (all or nothing)."""
    from django.shortcuts import get_object_or_404

    from ..enums import ApplicationStatus
    from ..models import Call

    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=call_pk)
    candidates = (
        Application.objects.filter(
            call=call, status__in=[ApplicationStatus.RECOMMENDED, ApplicationStatus.UNDER_REVIEW]
        )
        .select_related("applicant", "department")
        .order_by("pk")
    )
    form = AssignForm(request.POST or None)
    if request.method == "POST":
        ids = {i for x in request.POST.getlist("applications") if (i := id_param(x))}
        apps = [a for a in candidates if a.pk in ids]
        if not apps:
            messages.error(request, "请至少选择一份申报。")
        elif form.is_valid():
            experts = list(form.cleaned_data["experts"])
            if run(request, lambda: services.assign_experts(apps, experts, by=request.user)):
                messages.success(request, f"已为 {len(apps)} 份申报各指派 {len(experts)} 位专家。")
                return redirect("applications:assign_batch", call.pk)
    return render(request, "applications/assign_batch.html", {"call": call, "candidates": candidates, "form": form})


@login_required
@require_POST
def assign_experts(request, pk):
    """Teaching affairs assigns experts to one application (batch: several applications from the call page)."""
    require_teaching_affairs(request)
    ids = [i for x in request.POST.getlist("applications") if (i := id_param(x))] or [pk]
    apps = list(Application.objects.filter(pk__in=ids))
    form = AssignForm(request.POST)
    if form.is_valid():
        experts = list(form.cleaned_data["experts"])
        if run(request, lambda: services.assign_experts(apps, experts, by=request.user)):
            messages.success(request, f"已指派 {len(experts)} 位专家。")
    else:
        messages.error(request, "请选择评审专家。")
    return redirect("applications:detail", pk)
