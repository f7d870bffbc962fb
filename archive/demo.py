"""Demo rows (manage.py seed_demo): the demo studio (master T2001) gets last year's 管理制度 and 年度工作总结 in its
archive, and teaching affairs (J0001) archives (归档) that year — with an override reason when the checklist still
names something — so the demo shows a frozen year beside the open current one. Only when the studio existed last
year. Idempotent: nothing is done once the year is archived."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from studios.models import Studio

from . import services
from .models import ArchiveDocument, YearArchive

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCUMENTS = (
    ("rules", "工作室管理制度（例会、考勤、设备使用）", "demo-rules.pdf", (3, 1)),
    ("annual", "年度工作总结", "demo-summary.pdf", (12, 20)),
)


def seed_demo(password):
    users = {u.username: u for u in User.objects.filter(username__in=["T2001", "J0001"])}
    studio = Studio.objects.filter(master=users.get("T2001"), status="active").order_by("pk").first()
    if studio is None or len(users) < 2:
        return
    year = timezone.localdate().year - 1
    if studio.approved_on is None or studio.approved_on.year > year:
        return
    if YearArchive.objects.filter(studio=studio, year=year).exists():
        return
    master, office = users["T2001"], users["J0001"]
    floor = max(studio.approved_on, dt.date(year, 1, 1))
    for category, title, name, (month, day) in DOCUMENTS:
        if ArchiveDocument.objects.filter(studio=studio, year=year, category=category).exists():
            continue
        services.upload_document(
            studio,
            by=master,
            year=year,
            category=category,
            title=f"{year}年{title}" if category == "annual" else title,
            date=max(dt.date(year, month, day), floor),
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )
    services.archive_year(studio, year, by=office, override_reason="演示数据：部分记录尚未确认，先行归档以便演示。")
