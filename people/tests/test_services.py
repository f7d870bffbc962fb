"""Writes: validation with Chinese messages and nothing stored on refusal; permissions; audit; uploads."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import Role
from core.models import AuditEvent
from people import services
from people.models import Enterprise, Honor, StaffProfile, WorkPeriod
from tests.factories import MajorFactory, UserFactory

from .factories import PDF_BYTES, EnterpriseFactory, StaffProfileFactory, honor_kind, make_credit_code, make_id_number

pytestmark = pytest.mark.django_db
BIRTH = date(1985, 6, 15)


@pytest.fixture
def hr(db):
    return UserFactory(username="R9001", department=None, roles=[Role.HR])


@pytest.fixture
def coop(db):
    return UserFactory(username="Q9001", department=None, roles=[Role.COOP_OFFICE])


def _media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


WORK = {
    "kind": "work",
    "enterprise_name": "重庆机床",
    "position": "技工",
    "start": date(2010, 1, 1),
    "end": date(2013, 1, 1),
}


# --- profiles and ID numbers ----------------------------------------------------------------------------------------


def test_hr_sets_profile_with_encrypted_id(hr, applicant):
    number = make_id_number(BIRTH)
    profile = services.save_profile(by=hr, user=applicant, data={"birth_date": BIRTH}, id_number=number)
    profile.refresh_from_db()
    assert profile.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert number not in profile.id_number_encrypted
    assert profile.reveal_id_number() == number
    event = AuditEvent.objects.filter(action="people.profile.created").get()
    assert number not in str(event.after) and profile.id_number_masked in str(event.after)


@pytest.mark.parametrize(
    ("number", "birth", "fragment"),
    [
        ("500101198506151230", BIRTH, "校验位"),
        (make_id_number(date(1985, 6, 16)), BIRTH, "不一致"),
        ("12345", BIRTH, "18位"),
    ],
)
def test_bad_id_number_refused_nothing_stored(hr, applicant, number, birth, fragment):
    with pytest.raises(ValidationError) as exc:
        services.save_profile(by=hr, user=applicant, data={"birth_date": birth}, id_number=number)
    assert fragment in str(exc.value.message_dict["id_number"])
    assert not StaffProfile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()


def test_duplicate_id_number_refused(hr, applicant, outsider):
    number = make_id_number(BIRTH)
    services.save_profile(by=hr, user=applicant, data={"birth_date": BIRTH}, id_number=number)
    with pytest.raises(ValidationError) as exc:
        services.save_profile(by=hr, user=outsider, data={"birth_date": BIRTH}, id_number=number)
    assert "已登记在其他教职工档案中" in str(exc.value)
    assert not StaffProfile.objects.filter(user=outsider).exists()


def test_changing_birth_date_must_keep_matching_the_id(hr, applicant):
    services.save_profile(by=hr, user=applicant, data={"birth_date": BIRTH}, id_number=make_id_number(BIRTH))
    with pytest.raises(ValidationError):
        services.save_profile(by=hr, user=applicant, data={"birth_date": date(1986, 1, 1)})
    assert StaffProfile.objects.get(user=applicant).birth_date == BIRTH


def test_owner_edits_own_fields_but_not_identity(applicant):
    major = MajorFactory()
    services.save_profile(by=applicant, user=applicant, data={"title": "讲师"}, majors=[major])
    assert StaffProfile.objects.get(user=applicant).title == "讲师"
    with pytest.raises(PermissionDenied):
        services.save_profile(by=applicant, user=applicant, data={"birth_date": date(2000, 1, 1)})
    with pytest.raises(PermissionDenied):
        services.save_profile(by=applicant, user=applicant, data={}, id_number=make_id_number(BIRTH))
    assert StaffProfile.objects.get(user=applicant).birth_date is None


@pytest.mark.parametrize("persona", ["outsider", "dept_head", "inspector", "teaching_affairs"])
def test_others_cannot_edit_a_profile(persona, applicant, request):
    by = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.save_profile(by=by, user=applicant, data={"title": "教授"})
    assert not StaffProfile.objects.exists()


# --- work periods and honours ---------------------------------------------------------------------------------------


def test_end_before_start_refused_nothing_stored(applicant, settings):
    data = {**WORK, "start": date(2013, 1, 1), "end": date(2012, 12, 31)}
    upload = SimpleUploadedFile("证明.pdf", PDF_BYTES)
    with pytest.raises(ValidationError) as exc:
        services.create_work_period(by=applicant, user=applicant, data=data, proof=upload)
    assert "结束日期不能早于开始日期" in str(exc.value)
    assert not WorkPeriod.objects.exists()
    assert _media_files(settings) == []


def test_work_period_with_proof_is_stored_under_a_safe_name(applicant, settings):
    upload = SimpleUploadedFile("../../etc/passwd 证明.pdf", PDF_BYTES)
    period = services.create_work_period(by=applicant, user=applicant, data=WORK, proof=upload)
    assert period.proof.name.startswith("people/work/") and ".." not in period.proof.name
    assert period.proof_name == "passwd 证明.pdf"
    assert len(_media_files(settings)) == 1
    assert AuditEvent.objects.filter(action="people.workperiod.created", object_id=str(period.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("证明.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "内容与扩展名"),  # an .exe renamed .pdf
        ("证明.pdf", b"", "文件为空"),
        ("证明.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("证明.png", PDF_BYTES, "内容与扩展名"),
    ],
)
def test_disguised_or_empty_uploads_refused_nothing_stored(applicant, settings, name, content, fragment):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as exc:
        services.create_work_period(by=applicant, user=applicant, data=WORK, proof=upload)
    assert fragment in str(exc.value)
    assert not WorkPeriod.objects.exists()
    assert _media_files(settings) == []


def test_oversized_upload_refused(applicant, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("证书.pdf", PDF_BYTES + b"0" * 2048)
    data = {
        "kind": honor_kind("skill_master"),
        "title": "技术能手",
        "level": "city",
        "rank": "",
        "date": date(2020, 1, 1),
        "issuer": "人社局",
    }
    with pytest.raises(ValidationError) as exc:
        services.create_honor(by=applicant, user=applicant, data=data, certificate=upload)
    assert "文件过大" in str(exc.value)
    assert not Honor.objects.exists()
    assert _media_files(settings) == []


def test_replacing_a_certificate_removes_the_old_file(applicant, settings, django_capture_on_commit_callbacks):
    data = {
        "kind": honor_kind("skill_master"),
        "title": "技术能手",
        "level": "city",
        "rank": "",
        "date": date(2020, 1, 1),
        "issuer": "人社局",
    }
    with django_capture_on_commit_callbacks(execute=True):
        honor = services.create_honor(
            by=applicant, user=applicant, data=data, certificate=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    old = honor.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        honor = services.update_honor(honor, by=applicant, data={}, certificate=SimpleUploadedFile("b.pdf", PDF_BYTES))
    files = [str(p.relative_to(settings.MEDIA_ROOT)) for p in _media_files(settings)]
    assert files == [honor.certificate.name] and old not in files


def test_someone_elses_evidence_cannot_be_changed(applicant, outsider, dept_head, inspector):
    period = services.create_work_period(by=applicant, user=applicant, data=WORK)
    for by in (outsider, dept_head, inspector):
        with pytest.raises(PermissionDenied):
            services.update_work_period(period, by=by, data={"position": "改"})
        with pytest.raises(PermissionDenied):
            services.delete_work_period(period, by=by)
        with pytest.raises(PermissionDenied):
            services.create_work_period(by=by, user=applicant, data=WORK)
    period.refresh_from_db()
    assert period.position == "技工" and WorkPeriod.objects.count() == 1


def test_hr_may_correct_evidence(applicant, hr):
    period = services.create_work_period(by=applicant, user=applicant, data=WORK)
    services.update_work_period(period, by=hr, data={"position": "高级技工"})
    period.refresh_from_db()
    assert period.position == "高级技工"


def test_delete_leaves_an_audit_event(applicant):
    period = services.create_work_period(by=applicant, user=applicant, data=WORK)
    services.delete_work_period(period, by=applicant)
    assert not WorkPeriod.objects.exists()
    assert AuditEvent.objects.filter(action="people.workperiod.deleted").count() == 1


# --- enterprises ----------------------------------------------------------------------------------------------------


def _enterprise_data(**kw):
    return {
        "name": "重庆测试企业",
        "credit_code": make_credit_code(42),
        "is_partner": True,
        "agreement_start": date(2025, 1, 1),
        "agreement_end": date(2027, 12, 31),
        "high_influence": True,
        "influence_reason": "行业龙头",
        **kw,
    }


def test_coop_office_registers_an_enterprise(coop):
    enterprise = services.save_enterprise(
        None, by=coop, data=_enterprise_data(credit_code=make_credit_code(42).lower())
    )
    assert enterprise.credit_code == make_credit_code(42)
    assert enterprise.can_supply_members(date(2026, 1, 1))
    assert not enterprise.can_supply_members(date(2028, 1, 1))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"credit_code": "91500000MA0000042X"}, "校验位"),
        ({"credit_code": "123"}, "应为18位"),
        ({"agreement_start": date(2027, 1, 1), "agreement_end": date(2026, 1, 1)}, "不能早于开始日期"),
        ({"influence_reason": ""}, "评估理由"),
    ],
)
def test_bad_enterprise_refused(coop, data, fragment):
    with pytest.raises(ValidationError) as exc:
        services.save_enterprise(None, by=coop, data=_enterprise_data(**data))
    assert fragment in str(exc.value)
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("persona", ["applicant", "inspector", "teaching_affairs"])
def test_only_coop_office_writes_enterprises(persona, request):
    with pytest.raises(PermissionDenied):
        services.save_enterprise(None, by=request.getfixturevalue(persona), data=_enterprise_data())
    assert not Enterprise.objects.exists()


def test_affiliation_only_for_external_users(coop, applicant):
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError):
        services.set_affiliation(by=coop, user=applicant, enterprise=enterprise)
    external = UserFactory(is_external=True, department=None)
    affiliation = services.set_affiliation(by=coop, user=external, enterprise=enterprise, position="技师")
    assert external.affiliation == affiliation


def test_profile_factory_smoke():
    assert StaffProfileFactory().user_id


@pytest.mark.parametrize(
    ("code", "rank", "fragment"), [("competition_guided", "", "须选择等次"), ("skill_master", "first", "没有等次")]
)
def test_rank_must_fit_the_kind(applicant, code, rank, fragment):
    data = {
        "kind": honor_kind(code),
        "title": "奖",
        "level": "city",
        "rank": rank,
        "date": date(2020, 1, 1),
        "issuer": "x",
    }
    with pytest.raises(ValidationError) as exc:
        services.create_honor(by=applicant, user=applicant, data=data)
    assert fragment in str(exc.value)
    assert not Honor.objects.exists()
