"""Builders for archive tests: a studio with a year of records (confirmed, with evidence) and archive documents."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive import services
from ledger import services as ledger
from ledger.models import Activity, Meeting
from ledger.tests.helpers import activity_data, make_studio, pdf, png

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def last_year():
    return timezone.localdate().year - 1


def day(month=6, d=1, year=None):
    return dt.date(year or last_year(), month, d)


def studio_with_year(department, dept_head, *, files=2):
    """A studio whose last year holds a confirmed activity with a photo and a confirmed meeting with a PDF of
    minutes, plus `files` documents uploaded into the archive (one of them the annual summary)."""
    studio, master, team = make_studio(department)
    member = team[0]
    activity = ledger.create_record(
        Activity, studio=studio, by=member, data=activity_data(date=day(5, 10), title="数控车工技能交流")
    )
    ledger.add_attachment(activity, by=member, kind="photo", upload=png("现场.png"))
    ledger.add_attachment(activity, by=member, kind="sign_in", upload=pdf("签到表.pdf"))
    ledger.submit_record(activity, by=member)
    ledger.confirm_record(activity, by=dept_head)
    meeting = ledger.create_record(
        Meeting,
        studio=studio,
        by=member,
        data={
            "date": day(3, 2),
            "title": "三月例会",
            "description": "",
            "place": "school",
            "place_detail": "",
            "minutes": "讨论年度计划",
        },
    )
    ledger.add_attachment(meeting, by=member, kind="minutes", upload=pdf("纪要.pdf"))
    docs = []
    for i in range(files):
        docs.append(
            services.upload_document(
                studio,
                by=master,
                year=last_year(),
                category="annual" if i == 0 else "rules",
                title="年度工作总结" if i == 0 else f"工作室管理制度{i}",
                description="数控车工实训总结" if i == 0 else "",
                date=day(12, 1),
                upload=SimpleUploadedFile(f"doc{i}.pdf", PDF + str(i).encode(), content_type="application/pdf"),
            )
        )
    activity.refresh_from_db()
    return studio, master, team, activity, meeting, docs
