import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from accounts.enums import Role
from core.audit import verify_chain
from core.models import AuditEvent, StatusChange
from core.workflow import WorkflowError
from ledger import services
from ledger.enums import RecordStatus
from ledger.models import Achievement, Activity, Attachment, Meeting
from studios.models import Studio
from tests.factories import UserFactory

from .helpers import activity_data, jpeg_with_gps, make_studio, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(department, dept_head):
    studio, master, team = make_studio(department)
    return studio, master, team, dept_head


def _activity(studio, by, **overrides):
    return services.create_record(Activity, studio=studio, by=by, data=activity_data(**overrides))


def test_record_confirmed_and_evidenced_counts(setup, settings):
    studio, master, team, head = setup
    record = services.create_record(
        Activity, studio=studio, by=team[0], data=activity_data(), member_ids=[master.pk, team[0].pk]
    )
    assert record.status == RecordStatus.DRAFT
    assert set(record.members.values_list("pk", flat=True)) == {master.pk, team[0].pk}
    services.add_attachment(record, by=team[0], kind="photo", upload=jpeg_with_gps())
    assert not Activity.objects.countable().exists()
    services.submit_record(record, by=team[0])
    assert Activity.objects.waiting().count() == 1
    assert not Activity.objects.countable().exists()
    services.confirm_record(record, by=head)
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.reviewed_by_id == head.pk
    assert list(Activity.objects.countable()) == [record]
    actions = list(AuditEvent.objects.filter(object_id=str(record.pk)).order_by("id").values_list("action", flat=True))
    assert actions == [
        "ledger.activity.created",
        "ledger.activity.attachment_added",
        "ledger.activity.submitted",
        "ledger.activity.confirmed",
    ]
    assert StatusChange.objects.filter(machine="ledger.activity").count() == 2
    checked, broken, _reason = verify_chain()
    assert broken is None and checked >= 4


def test_confirmed_without_evidence_does_not_count(setup):
    studio, master, team, head = setup
    record = _activity(studio, master)
    services.submit_record(record, by=master)
    services.confirm_record(record, by=head)
    assert not Activity.objects.countable().exists()
    assert Activity.objects.with_evidence().get().has_evidence is False


def test_achievement_evidence_depends_on_kind(setup):
    studio, master, team, head = setup
    common = {
        "date": timezone.localdate(),
        "place": "school",
        "place_detail": "",
        "description": "",
        "level": "national",
    }
    patent = services.create_record(
        Achievement, studio=studio, by=master, data={**common, "title": "一种夹具", "kind": "patent", "number": "ZL1"}
    )
    services.add_attachment(patent, by=master, kind="photo", upload=png())  # a photo is not a patent certificate
    adopted = services.create_record(
        Achievement, studio=studio, by=master, data={**common, "title": "工艺被采纳", "kind": "adopted"}
    )
    services.add_attachment(adopted, by=master, kind="proof_letter", upload=pdf("采纳证明.pdf"))
    for record in (patent, adopted):
        services.submit_record(record, by=master)
        services.confirm_record(record, by=head)
    assert list(Achievement.objects.countable()) == [adopted]
    services_pending = {r.pk: r.has_evidence for r in Achievement.objects.with_evidence()}
    assert services_pending == {patent.pk: False, adopted.pk: True}


def test_meeting_minutes_text_is_evidence(setup):
    studio, master, team, head = setup
    data = {"date": timezone.localdate(), "title": "例会", "description": "", "place": "school", "place_detail": ""}
    typed = services.create_record(Meeting, studio=studio, by=master, data={**data, "minutes": "一、总结；二、计划。"})
    empty = services.create_record(Meeting, studio=studio, by=master, data={**data, "minutes": ""})
    for record in (typed, empty):
        services.submit_record(record, by=master)
        services.confirm_record(record, by=head)
    assert list(Meeting.objects.countable()) == [typed]


def test_patent_needs_number_and_members_must_be_members_at_the_date(setup, department):
    studio, master, team, head = setup
    with pytest.raises(ValidationError) as exc:
        services.create_record(
            Achievement,
            studio=studio,
            by=master,
            data={"date": timezone.localdate(), "title": "专利", "kind": "patent", "level": "national"},
        )
    assert "专利号" in str(exc.value)
    stranger = UserFactory(department=department)
    with pytest.raises(ValidationError) as exc:
        services.create_record(Activity, studio=studio, by=master, data=activity_data(), member_ids=[stranger.pk])
    assert "在册" in str(exc.value)
    with pytest.raises(ValidationError):
        _activity(studio, master, date=timezone.localdate() + dt.timedelta(days=1))
    assert not Activity.objects.exists()


def test_outsiders_cannot_add_or_review(setup, department, other_dept_head, teaching_affairs):
    studio, master, team, head = setup
    with pytest.raises(PermissionDenied):
        _activity(studio, UserFactory(department=department))
    with pytest.raises(PermissionDenied):
        _activity(studio, teaching_affairs)
    record = _activity(studio, master)
    with pytest.raises(WorkflowError):
        services.submit_record(record, by=head)  # not a member
    services.submit_record(record, by=master)
    with pytest.raises(WorkflowError) as exc:
        services.confirm_record(record, by=other_dept_head)
    assert "所在系部" in exc.value.message
    with pytest.raises(WorkflowError):
        services.confirm_record(record, by=master)  # a member does not check his own studio
    with pytest.raises(PermissionDenied):
        services.update_record(record, by=master, data={"title": "已提交后改标题"})
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.title == "数控加工技术交流"


def test_return_needs_reason_then_resubmit(setup):
    studio, master, team, head = setup
    record = _activity(studio, master)
    services.submit_record(record, by=master)
    with pytest.raises(ValidationError):
        services.return_record(record, by=head, reason="  ")
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    services.return_record(record, by=head, reason="请补充签到表。")
    record.refresh_from_db()
    assert record.status == RecordStatus.RETURNED and record.return_reason == "请补充签到表。"
    services.update_record(record, by=master, data={"participants": 35})
    services.submit_record(record, by=master)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.participants == 35
    assert AuditEvent.objects.filter(action="ledger.activity.resubmitted").count() == 1


def test_revoked_studio_refuses_every_write(setup):
    studio, master, team, head = setup
    draft = _activity(studio, master)
    submitted = _activity(studio, master, title="已提交")
    services.submit_record(submitted, by=master)
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    studio.refresh_from_db()
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="已撤销"):
        _activity(studio, master)
    with pytest.raises(PermissionDenied):
        services.update_record(draft, by=master, data={"title": "改"})
    with pytest.raises(PermissionDenied):
        services.add_attachment(draft, by=master, kind="photo", upload=png())
    with pytest.raises(PermissionDenied):
        services.submit_record(draft, by=master)
    with pytest.raises(PermissionDenied):
        services.confirm_record(submitted, by=head)
    confirmed, refused = services.batch_confirm(Activity, [submitted.pk], by=head)
    assert confirmed == [] and "已撤销" in refused[0][1]
    assert AuditEvent.objects.count() == before
    assert Activity.objects.filter(status=RecordStatus.SUBMITTED).count() == 1
    assert not Attachment.objects.exists()


def test_photo_is_stored_without_exif_with_thumbnail(setup):
    studio, master, team, head = setup
    record = _activity(studio, master)
    attachment = services.add_attachment(record, by=master, kind="photo", upload=jpeg_with_gps())
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif()  # no GPS, no camera make, no orientation tag
    assert b"Exif" not in attachment.file.storage.open(attachment.file.name).read()[:4096]
    assert stored.size == (600, 800)  # turned upright by the orientation before it was dropped
    with attachment.thumbnail.open("rb") as handle:
        thumb = Image.open(io.BytesIO(handle.read()))
    assert max(thumb.size) == 320
    assert attachment.original_name == "现场.jpg"


def test_bad_photo_leaves_nothing(setup, tmp_path, settings):
    studio, master, team, head = setup
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10)
    with pytest.raises(ValidationError):
        services.create_record_with_photos(
            Activity, studio=studio, by=master, data=activity_data(), photos=[png(), fake]
        )
    assert not Activity.objects.exists() and not Attachment.objects.exists()
    import pathlib

    files = [p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert files == []


def test_photo_kind_must_be_an_image(setup):
    studio, master, team, head = setup
    record = _activity(studio, master)
    with pytest.raises(ValidationError):
        services.add_attachment(record, by=master, kind="photo", upload=pdf())
    assert not Attachment.objects.exists()


def test_batch_confirm_names_refused_items(setup, other_department):
    studio, master, team, head = setup
    other, other_master, _ = make_studio(other_department, name="他系工作室")
    mine = [_activity(studio, master, title=f"记录{i}") for i in range(3)]
    for record in mine[:2]:
        services.submit_record(record, by=master)
    theirs = _activity(other, other_master, title="他系记录")
    services.submit_record(theirs, by=other_master)
    confirmed, refused = services.batch_confirm(Activity, [r.pk for r in mine] + [theirs.pk], by=head)
    assert sorted(r.pk for r in confirmed) == sorted(r.pk for r in mine[:2])
    assert {title for title, _ in refused} == {"记录2", "他系记录"}
    assert Activity.objects.filter(status=RecordStatus.CONFIRMED).count() == 2
    assert Activity.objects.get(pk=theirs.pk).status == RecordStatus.SUBMITTED


def test_spot_check_by_teaching_affairs_only(setup, teaching_affairs):
    studio, master, team, head = setup
    record = _activity(studio, master)
    services.submit_record(record, by=master)
    services.confirm_record(record, by=head)
    with pytest.raises(PermissionDenied):
        services.spot_check(record, by=head, note="抽查")
    services.spot_check(record, by=teaching_affairs, note="材料真实。")
    record.refresh_from_db()
    assert record.spot_checked_by_id == teaching_affairs.pk and record.status == RecordStatus.CONFIRMED


def test_project_stages_in_order_and_closing_evaluation(setup):
    from ledger.models import Project

    studio, master, team, head = setup
    start = timezone.localdate() - dt.timedelta(days=100)
    project = services.create_record(
        Project,
        studio=studio,
        by=master,
        data={"date": start, "title": "夹具研发", "kind": "horizontal", "amount": Decimal("120000.50")},
    )
    with pytest.raises(ValidationError, match="依次"):
        services.record_stage(project, by=master, stage="teaching", date=start)
    for i, stage in enumerate(["approval", "development", "teaching", "promotion"]):
        services.record_stage(project, by=master, stage=stage, date=start + dt.timedelta(days=i * 10))
    with pytest.raises(ValidationError):
        services.record_stage(project, by=master, stage="closing", date=start + dt.timedelta(days=50))
    services.record_stage(project, by=master, stage="closing", date=start + dt.timedelta(days=50), note="优秀。")
    project.refresh_from_db()
    assert project.closing_evaluation == "优秀。" and project.amount == Decimal("120000.50")
    assert project.stages.count() == 5


def test_read_only_roles_write_nothing(setup, inspector):
    studio, master, team, head = setup
    from studios.enums import MembershipRole
    from studios.models import Membership

    Membership.objects.create(studio=studio, user=inspector, role=MembershipRole.MEMBER, joined_on=studio.approved_on)
    with pytest.raises(PermissionDenied):
        _activity(studio, inspector)
    assert Role.INSPECTOR
