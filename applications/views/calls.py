from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.permissions import has_role, sees_everything

from .. import documents, services
from ..forms import CallForm
from ..models import Call
from ..queries import review_summary as build_summary
from .common import document_response, form_errors, require_teaching_affairs, run


def _require_overview(request):
    if not sees_everything(request.user):
        raise PermissionDenied("仅教学工作部及监督、领导岗位可以查看。")


@login_required
@require_POST
def call_create(request):
    require_teaching_affairs(request)
    form = CallForm(request.POST)
    if form.is_valid():
        if run(request, lambda: services.create_call(by=request.user, **form.cleaned_data)):
            messages.success(request, "已创建申报批次（尚未开放）。")
    else:
        messages.error(request, form_errors(form))
    return redirect("applications:call_list")


@login_required
@require_POST
def call_open(request, pk):
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=pk)
    if run(request, lambda: services.open_call(call, by=request.user)):
        messages.success(request, f"已开放申报：{call.title}")
    return redirect("applications:call_list")


@login_required
@require_POST
def call_close(request, pk):
    require_teaching_affairs(request)
    call = get_object_or_404(Call, pk=pk)
    if run(request, lambda: services.close_call(call, by=request.user)):
        messages.success(request, f"已截止申报：{call.title}")
    return redirect("applications:call_list")


@login_required
def review_summary(request, pk):
    """专家评分汇总: ranked by mean, with spread and outliers (teaching affairs and the supervisors)."""
    _require_overview(request)
    call = get_object_or_404(Call, pk=pk)
    return render(request, "applications/review_summary.html", {"call": call, "rows": build_summary(call)})


@login_required
def review_summary_xlsx(request, pk):
    _require_overview(request)
    return document_response(*documents.review_summary_xlsx(get_object_or_404(Call, pk=pk)))


@login_required
def proposed_xlsx(request, pk):
    if not (sees_everything(request.user) or has_role(request.user, Role.COMMITTEE)):
        raise PermissionDenied("仅教学工作部、学术委员会及监督岗位可以导出建议名单。")
    return document_response(*documents.proposed_list_xlsx(get_object_or_404(Call, pk=pk)))
