"""Builders for plans tests: ledger records with or without their evidence, a plan taken through its review."""

import datetime as dt

from django.core.files.base import ContentFile

from ledger.enums import AttachmentKind, RecordStatus
from ledger.models import Achievement, Activity, Attachment, Meeting, Mentorship
from plans import services
from plans.enums import PlanKind, PlanStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(record, kind, by):
    field = record._meta.model_name
    return Attachment.objects.create(
        **{field: record},
        kind=kind,
        file=ContentFile(PDF, name="evidence.pdf"),
        original_name="佐证.pdf",
        uploaded_by=by,
    )


def activity(studio, by, *, date, kind="exchange", participants=10, status=RecordStatus.CONFIRMED, evidence=True):
    record = Activity.objects.create(
        studio=studio,
        date=date,
        title=f"活动{kind}",
        kind=kind,
        participants=participants,
        status=status,
        created_by=by,
    )
    if evidence:
        attach(record, AttachmentKind.PHOTO, by)
    return record


def achievement(
    studio, by, *, date, kind, level="school", landmark=False, status=RecordStatus.CONFIRMED, evidence=True
):
    record = Achievement.objects.create(
        studio=studio,
        date=date,
        title=f"成果{kind}",
        kind=kind,
        level=level,
        landmark=landmark,
        status=status,
        created_by=by,
    )
    if evidence:
        attach(record, AttachmentKind.CERTIFICATE if kind != "adopted" else AttachmentKind.PROOF_LETTER, by)
    return record


def meeting(studio, by, *, date, minutes="会议纪要", status=RecordStatus.CONFIRMED):
    return Meeting.objects.create(studio=studio, date=date, title="例会", minutes=minutes, status=status, created_by=by)


def mentorship(studio, by, *, date, end_on=None, status=RecordStatus.CONFIRMED, evidence=True, **extra):
    record = Mentorship.objects.create(
        studio=studio,
        date=date,
        title="师徒结对",
        mentor=by,
        apprentice_type="student",
        apprentice_name="学生甲",
        end_on=end_on,
        status=status,
        created_by=by,
        **extra,
    )
    if evidence:
        attach(record, AttachmentKind.AGREEMENT, by)
    return record


def approved_plan(studio, master, dept_head, teaching_affairs, *, kind=PlanKind.ANNUAL, year=None, targets=None):
    year = year or dt.date.today().year
    plan = services.create_plan(studio, by=master, kind=kind, year=year)
    if targets:
        ids = {t.indicator.key: t.indicator_id for t in plan.targets.select_related("indicator")}
        services.update_plan(plan, by=master, targets={ids[k]: v for k, v in targets.items()})
    services.move(plan, PlanStatus.SUBMITTED, by=master)
    services.move(plan, PlanStatus.DEPT_REVIEWED, by=dept_head, note="同意")
    services.move(plan, PlanStatus.APPROVED, by=teaching_affairs, note="批准")
    plan.refresh_from_db()
    return plan
