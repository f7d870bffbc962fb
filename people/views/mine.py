"""我的资历: staff keep their own work history and honours; the eligibility pre-check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import get_object_for_user, require_write_access
from core.uploads import serve_file

from .. import services
from ..forms import HonorForm, OwnProfileForm, WorkPeriodForm
from ..models import Honor, StaffProfile, WorkPeriod
from ..permissions import may_view_person
from ..services import HONOR_FIELDS, PROFILE_OWN_FIELDS, WORK_FIELDS
from .common import apply_errors, eligibility_context, record_context


@login_required
def my_record(request):
    if request.user.is_external:
        raise PermissionDenied("校外人员没有教职工资历档案。")
    me = User.objects.select_related("department").get(pk=request.user.pk)
    return render(request, "people/my_record.html", record_context(me))


@login_required
def my_profile_edit(request):
    if request.user.is_external:
        raise PermissionDenied("校外人员没有教职工资历档案。")
    require_write_access(request.user)
    profile = StaffProfile.objects.filter(user=request.user).first() or StaffProfile(user=request.user)
    form = OwnProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                by=request.user,
                user=request.user,
                data={k: form.cleaned_data[k] for k in PROFILE_OWN_FIELDS},
                majors=list(form.cleaned_data["majors"]),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "档案已保存。")
            return redirect("people:my_record")
    return render(request, "people/form.html", {"form": form, "title": "完善我的档案", "back": "people:my_record"})


def _evidence_edit(request, model, form_class, fields, file_field, pk, create, update, title):
    if not pk:
        require_write_access(request.user)  # the form is not even shown to 纪检办 / 校领导
    obj = get_object_for_user(request, model, pk, action="change") if pk else model(user=request.user)
    form = form_class(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in fields}
        upload = request.FILES.get(file_field)
        try:
            if pk:
                update(obj, by=request.user, data=data, **{file_field: upload})
            else:
                create(by=request.user, user=request.user, data=data, **{file_field: upload})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("people:my_record")
    return render(
        request, "people/form.html", {"form": form, "title": title, "back": "people:my_record", "multipart": True}
    )


@login_required
def work_edit(request, pk=None):
    return _evidence_edit(
        request,
        WorkPeriod,
        WorkPeriodForm,
        WORK_FIELDS,
        "proof",
        pk,
        services.create_work_period,
        services.update_work_period,
        "修改企业经历" if pk else "添加企业工作/实践经历",
    )


@login_required
def honor_edit(request, pk=None):
    return _evidence_edit(
        request,
        Honor,
        HonorForm,
        HONOR_FIELDS,
        "certificate",
        pk,
        services.create_honor,
        services.update_honor,
        "修改荣誉/奖项" if pk else "添加荣誉/奖项",
    )


@login_required
@require_POST
def work_delete(request, pk):
    period = get_object_for_user(request, WorkPeriod, pk, action="delete")
    services.delete_work_period(period, by=request.user)
    messages.success(request, "已删除该经历。")
    return redirect("people:my_record")


@login_required
@require_POST
def honor_delete(request, pk):
    honor = get_object_for_user(request, Honor, pk, action="delete")
    services.delete_honor(honor, by=request.user)
    messages.success(request, "已删除该荣誉。")
    return redirect("people:my_record")


@login_required
def work_proof(request, pk):
    period = get_object_for_user(request, WorkPeriod, pk, action="download")
    if not period.proof:
        raise PermissionDenied("该记录没有上传证明材料。")
    return serve_file(period.proof, period.proof_name or "证明材料")


@login_required
def honor_certificate(request, pk):
    honor = get_object_for_user(request, Honor, pk, action="download")
    if not honor.certificate:
        raise PermissionDenied("该荣誉没有上传证书。")
    return serve_file(honor.certificate, honor.certificate_name or "证书")


@login_required
def my_eligibility(request):
    if request.user.is_external:
        raise PermissionDenied("校外人员不能申报技能大师。")
    return render(request, "people/eligibility.html", eligibility_context(request, request.user))


@login_required
def eligibility(request, user_pk):
    person = get_object_for_user(request, User.objects.select_related("department"), user_pk)
    if not may_view_person(request.user, person):
        raise PermissionDenied("您无权查看该教职工的资格预审。")
    return render(request, "people/eligibility.html", eligibility_context(request, person))
