"""Builders for ledger tests: a studio with its master and members, images with and without EXIF GPS."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from studios.enums import MembershipRole
from studios.models import Membership, Studio
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_studio(department, master=None, *, members=2, name="数控技能大师工作室", mode="school", since=None):
    since = since or timezone.localdate() - dt.timedelta(days=800)
    master = master or UserFactory(department=department, display_name="王大师")
    studio = Studio.objects.create(
        source="registered",
        official_name=name,
        plaque_name=f"学校（{master.display_name}）技能大师工作室",
        master=master,
        mode=mode,
        venue_school="实训楼 A201",
        venue_partner="合作企业车间" if mode == "joint" else "",
        department=department,
        status="active",
        document_number="渝工校〔2024〕1号",
        approved_on=since,
    )
    Membership.objects.create(studio=studio, user=master, role=MembershipRole.MASTER, joined_on=since)
    team = []
    for i in range(members):
        user = UserFactory(department=department, display_name=f"成员{i}")
        Membership.objects.create(studio=studio, user=user, role=MembershipRole.CORE, joined_on=since)
        team.append(user)
    return studio, master, team


def jpeg_with_gps(size=(800, 600), name="现场.jpg"):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° CW to view
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (29.0, 33.0, 0.0)
    gps[3] = "E"
    gps[4] = (106.0, 33.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png(name="图.png", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("P", size).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="证书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def activity_data(**overrides):
    data = {
        "date": timezone.localdate() - dt.timedelta(days=3),
        "title": "数控加工技术交流",
        "description": "与企业技师交流五轴加工经验。",
        "place": "school",
        "place_detail": "",
        "kind": "exchange",
        "hours": 4,
        "participants": 30,
    }
    data.update(overrides)
    return data
