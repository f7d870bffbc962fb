"""合作企业名录 (校企办)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import can, get_object_for_user, may_write_as, visible_to
from core.pagination import CappedPaginator
from core.uploads import serve_file

from .. import services
from ..forms import AffiliationForm, EnterpriseForm
from ..models import Enterprise, ExternalAffiliation
from ..permissions import ENTERPRISE_WRITERS
from ..services import ENTERPRISE_FIELDS
from .common import apply_errors, search_text


def _require_internal(user):
    if user.is_external:
        raise PermissionDenied("校外人员不能查看合作企业名录。")


@login_required
def enterprise_list(request):
    _require_internal(request.user)
    enterprises = (
        visible_to(request.user, Enterprise)
        .prefetch_related("majors")
        .annotate(member_count=Count("affiliations"))
        .order_by("name")
    )
    q = search_text(request)
    if q:
        enterprises = enterprises.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    if request.GET.get("partner") == "1":
        enterprises = enterprises.filter(is_partner=True)
    page = CappedPaginator(enterprises, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/enterprise_list.html",
        {
            "page": page,
            "q": q,
            "today": timezone.localdate(),
            "can_edit": may_write_as(request.user, *ENTERPRISE_WRITERS),
        },
    )


@login_required
def enterprise_detail(request, pk):
    _require_internal(request.user)
    enterprise = get_object_for_user(request, Enterprise.objects.prefetch_related("majors"), pk)
    affiliations = list(enterprise.affiliations.select_related("user").order_by("user__username"))
    today = timezone.localdate()
    return render(
        request,
        "people/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "affiliations": affiliations,
            "today": today,
            "problems": enterprise.supply_problems(today),
            "can_edit": may_write_as(request.user, *ENTERPRISE_WRITERS),
            "can_download": can(request.user, "download", enterprise),
            "affiliation_form": AffiliationForm() if may_write_as(request.user, *ENTERPRISE_WRITERS) else None,
        },
    )


@login_required
def enterprise_edit(request, pk=None):
    if not may_write_as(request.user, *ENTERPRISE_WRITERS):
        raise PermissionDenied("只有校企办可以维护合作企业名录。")
    enterprise = get_object_for_user(request, Enterprise, pk, action="change") if pk else Enterprise()
    form = EnterpriseForm(request.POST or None, request.FILES or None, instance=enterprise)
    if pk and request.method != "POST":
        form.initial["majors"] = list(enterprise.majors.all())
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_enterprise(
                enterprise if pk else None,
                by=request.user,
                data={k: form.cleaned_data[k] for k in ENTERPRISE_FIELDS},
                majors=list(form.cleaned_data["majors"]),
                agreement_file=request.FILES.get("agreement_file"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "企业信息已保存。")
            return redirect("people:enterprise_detail", pk=saved.pk)
    title = f"编辑合作企业：{enterprise.name}" if pk else "登记合作企业"
    return render(request, "people/form.html", {"form": form, "title": title, "multipart": True})


@login_required
def enterprise_agreement(request, pk):
    enterprise = get_object_for_user(request, Enterprise, pk, action="download")
    if not enterprise.agreement_file:
        raise PermissionDenied("该企业没有上传合作协议。")
    return serve_file(enterprise.agreement_file, enterprise.agreement_file_name or "合作协议")


@login_required
@require_POST
def affiliation_add(request, pk):
    if not may_write_as(request.user, *ENTERPRISE_WRITERS):
        raise PermissionDenied("只有校企办可以登记校外人员所在企业。")
    enterprise = get_object_for_user(request, Enterprise, pk, action="change")
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.set_affiliation(
                by=request.user,
                user=form.cleaned_data["user"],
                enterprise=enterprise,
                position=form.cleaned_data["position"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记该校外人员。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("people:enterprise_detail", pk=enterprise.pk)


@login_required
@require_POST
def affiliation_remove(request, pk):
    affiliation = get_object_for_user(request, ExternalAffiliation, pk, action="delete")
    enterprise_id = affiliation.enterprise_id
    services.remove_affiliation(affiliation, by=request.user)
    messages.success(request, "已移除该校外人员的企业登记。")
    return redirect("people:enterprise_detail", pk=enterprise_id)
