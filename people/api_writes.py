"""The people screens' writes that the API lacked (issue 8, "every action a page offers is in the API too"): the
partner enterprise's agreement file, external members' enterprise (R2), and the staff roster import.

Each operation validates with the SAME form as the page and calls the SAME service; registered on people.api.router
(imported at the end of people/api.py). tests/security/test_api_parity.py maps every page write to its operation.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from accounts.permissions import get_object_for_user, may_write_as
from core.apitypes import Id, model_text

from . import services
from .api import EnterpriseOut, _enterprises, _id, router
from .forms import AffiliationForm, RosterImportForm
from .models import Enterprise, ExternalAffiliation
from .permissions import ENTERPRISE_WRITERS, PERSONNEL_WRITERS
from .roster import import_roster as run_roster_import


def _cleaned(form):
    if not form.is_valid():
        raise ValidationError("；".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


@router.post(
    "/enterprises/{int:pk}/agreement",
    response=EnterpriseOut,
    summary="上传合作协议（校企办；multipart，字段 file）",
)
def upload_agreement(request, pk: int, file: File[UploadedFile]):
    _id(pk)
    if not may_write_as(request.auth, *ENTERPRISE_WRITERS):
        raise PermissionDenied("只有校企办可以维护合作企业名录。")
    enterprise = get_object_for_user(request, Enterprise, pk, action="change")
    services.save_enterprise(enterprise, by=request.auth, data={}, agreement_file=file)
    return _enterprises(request).get(pk=pk)


class AffiliationIn(Schema):
    user_id: Id
    position: model_text(ExternalAffiliation, "position") = ""


class AffiliationOut(Schema):
    id: int
    user_id: int
    enterprise_id: int
    position: str


@router.post(
    "/enterprises/{int:pk}/affiliations",
    response={201: AffiliationOut},
    summary="登记校外人员所在企业（校企办）",
)
def set_affiliation(request, pk: int, payload: AffiliationIn):
    _id(pk)
    if not may_write_as(request.auth, *ENTERPRISE_WRITERS):
        raise PermissionDenied("只有校企办可以登记校外人员所在企业。")
    enterprise = get_object_for_user(request, Enterprise, pk, action="change")
    cleaned = _cleaned(AffiliationForm({"user": payload.user_id, "position": payload.position}))
    affiliation = services.set_affiliation(
        by=request.auth, user=cleaned["user"], enterprise=enterprise, position=cleaned["position"]
    )
    return Status(201, affiliation)


@router.delete("/affiliations/{int:pk}", response={204: None}, summary="移除校外人员的企业登记（校企办）")
def remove_affiliation(request, pk: int):
    _id(pk)
    affiliation = get_object_for_user(request, ExternalAffiliation, pk, action="delete")
    services.remove_affiliation(affiliation, by=request.auth)
    return Status(204, None)


class RosterResultOut(Schema):
    ok: bool
    rows: int
    created: int
    updated: int
    errors: list[str]


@router.post(
    "/roster",
    response={200: RosterResultOut, 422: RosterResultOut},
    summary="导入教职工名册（人事部；multipart，字段 file，.xlsx 模板；任一行有误时整份不导入）",
)
def import_roster(request, file: File[UploadedFile]):
    if not may_write_as(request.auth, *PERSONNEL_WRITERS):
        raise PermissionDenied("只有人事部可以导入教职工名册。")
    cleaned = _cleaned(RosterImportForm({}, {"file": file}))
    result = run_roster_import(cleaned["file"], by=request.auth)
    body = {"ok": result.ok, "rows": result.rows, "created": result.created, "updated": result.updated}
    return Status(200 if result.ok else 422, {**body, "errors": result.errors})
