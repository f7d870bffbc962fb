"""Demo rows (manage.py seed_demo): the demo studio of T2001 (approved by applications' demo) gets 3 core teachers and
a plain member, its 执行负责人/联系人, the 责任书 template and a signed 责任书 — every step through studios.services
(audited, R1–R3 checked). Idempotent: each step is skipped when already done."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Department, User
from core.audit import log_action

from . import documents, services
from .enums import MembershipRole
from .models import Membership, ResponsibilityLetter, Studio

# (username, name, role in the studio)
TEAM = [
    ("T2002", "王芳", MembershipRole.CORE),
    ("T2003", "陈晨", MembershipRole.CORE),
    ("T2004", "杨帆", MembershipRole.CORE),
    ("T2005", "邓雪", MembershipRole.MEMBER),
]


def _teacher(username, name, department, password):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, display_name=name, department=department, email=f"{username.lower()}@school.example"
        )
        user.set_password(password)
        user.save()
        log_action(actor=None, action="accounts.user.created", obj=user, note="seed_demo")
    return user


def seed_demo(password):
    master = User.objects.filter(username="T2001").first()
    office = User.objects.filter(username="J0001").first()
    studio = Studio.objects.filter(master=master, status="active").order_by("pk").first() if master else None
    if studio is None or office is None:
        return
    department = Department.objects.filter(code="DQ").first() or master.department
    current = set(
        Membership.objects.filter(studio=studio, left_on__isnull=True).values_list("user__username", flat=True)
    )
    for username, name, role in TEAM:
        if username not in current:
            user = _teacher(username, name, department, password)
            services.add_member(
                studio, by=office, user=user, role=role, joined_on=studio.approved_on, reason="工作室组建（演示数据）"
            )
    studio.refresh_from_db()
    if studio.exec_lead_id is None and studio.contact_id is None:
        rows = {
            m.user.username: m.pk
            for m in Membership.objects.filter(studio=studio, left_on__isnull=True).select_related("user")
        }
        services.set_contacts(studio, by=master, exec_lead_id=rows["T2002"], contact_id=rows["T2005"])
    if services.current_template() is None:
        services.save_letter_template(
            by=office,
            school_duties="为工作室提供场地、设备和经费保障；将工作室建设纳入系部年度考核；组织年度考核与终期验收。",
            studio_duties="按建设方案完成人才培养、技术攻关和社会服务任务；按时填报建设记录；接受学校过程管理与考核。",
            term_years=3,
        )
    if not ResponsibilityLetter.objects.filter(studio=studio, signed_on__isnull=False).exists():
        letter = services.generate_letter(studio, by=office)
        scan, name, _ = documents.letter_pdf(letter)  # the generated PDF stands in for the signed scan
        services.sign_letter(
            letter,
            by=master,
            upload=SimpleUploadedFile(name, scan, content_type="application/pdf"),
            signed_on=timezone.localdate(),
        )
