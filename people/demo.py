"""Demo data for `manage.py seed_demo` (idempotent): the 2026 policy, staff profiles with work history and honours,
partner enterprises and one external craftsman.

T1001 张明 (机械工程系) is eligible as master and can lead a team with T1002–T1004 as core teachers; T2001 刘洋 is
not eligible yet (no qualifying honour), to show a failing pre-check.
"""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Major, User
from core.audit import log_action

from .enums import HonorLevel, HonorRank, WorkKind
from .idcard import encrypt_id_number, hash_id_number, mask_id_number
from .models import Enterprise, ExternalAffiliation, Honor, HonorKind, StaffProfile, WorkPeriod
from .policy import ensure_policy_version
from .validators import credit_code_check_char

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(birth: date, seq: str) -> str:
    body = f"500101{birth:%Y%m%d}{seq}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


# username: (gender, birth date, id sequence, title, skill certificate, majors, hire date)
PROFILES = {
    "T1001": ("male", date(1985, 6, 15), "231", "高级讲师", "数控车工", ["JX01"], date(2010, 9, 1)),
    "T1002": ("female", date(1988, 3, 8), "242", "讲师", "数控铣工", ["JX01"], date(2012, 9, 1)),
    "T1003": ("male", date(1990, 11, 20), "253", "讲师", "车工", ["JX02"], date(2014, 9, 1)),
    "T1004": ("male", date(1992, 1, 5), "264", "助理讲师", "模具工", ["JX03"], date(2016, 9, 1)),
    "T2001": ("male", date(1979, 8, 30), "271", "高级讲师", "电工", ["DQ01"], date(2005, 9, 1)),
}
SKILL_LEVELS = {"T1001": "1", "T1002": "2", "T1003": "2", "T1004": "3", "T2001": "1"}

# username: [(kind, enterprise, position, start, end)]
PERIODS = {
    "T1001": [(WorkKind.WORK, "重庆机床（集团）有限责任公司", "数控车工", date(2006, 7, 1), date(2010, 6, 30))],
    "T1002": [(WorkKind.PRACTICE, "重庆长安汽车股份有限公司", "工艺员", date(2023, 7, 1), date(2023, 9, 30))],
    "T1003": [(WorkKind.PRACTICE, "重庆机床（集团）有限责任公司", "技术员", date(2024, 7, 1), date(2024, 8, 31))],
    "T2001": [(WorkKind.WORK, "重庆电力设备厂", "电工", date(2001, 7, 1), date(2005, 6, 30))],
}

# username: [(kind code, title, level, rank, date, issuer)]
HONORS = {
    "T1001": [
        ("skill_master", "重庆市技术能手", HonorLevel.CITY, "", date(2021, 5, 1), "重庆市人力资源和社会保障局"),
        (
            "competition_guided",
            "指导学生获重庆市职业院校技能大赛数控车加工技术赛项一等奖",
            HonorLevel.CITY,
            HonorRank.FIRST,
            date(2023, 4, 20),
            "重庆市教育委员会",
        ),
    ],
    "T2001": [("other", "校级优秀班主任", HonorLevel.SCHOOL, "", date(2022, 9, 10), "重庆市工业学校")],
}

ENTERPRISES = [
    # name, credit code body, industry, majors, partner, agreement, high influence, reason
    (
        "重庆机床（集团）有限责任公司",
        "91500000202800001",
        "通用设备制造",
        ["JX01", "JX02"],
        True,
        (date(2024, 1, 1), date(2028, 12, 31)),
        True,
        "国内齿轮加工机床龙头企业，牵头制定多项行业标准。",
    ),
    (
        "重庆长安汽车股份有限公司",
        "91500000202800002",
        "汽车制造",
        ["JX01", "QC01"],
        True,
        (date(2025, 3, 1), date(2029, 2, 28)),
        True,
        "国内主要汽车整车企业，技能人才培养基地。",
    ),
    ("重庆某精密零件加工厂", "91500000202800003", "金属制品", ["JX02"], False, (None, None), False, ""),
]


def _file(name):
    return ContentFile(DEMO_PDF, name=name)


def _profile(user, spec):
    gender, birth, seq, title, certificate, major_codes, hired = spec
    profile, created = StaffProfile.objects.get_or_create(
        user=user,
        defaults={
            "gender": gender,
            "birth_date": birth,
            "title": title,
            "skill_certificate": certificate,
            "skill_level": SKILL_LEVELS[user.username],
            "hire_date": hired,
        },
    )
    if created:
        number = _id_number(birth, seq)
        profile.id_number_encrypted = encrypt_id_number(number)
        profile.id_number_hash = hash_id_number(number)
        profile.id_number_masked = mask_id_number(number)
        profile.save()
        profile.majors.set(Major.objects.filter(code__in=major_codes))
        log_action(actor=None, action="people.profile.created", obj=profile, note="seed_demo")


@transaction.atomic
def seed_demo(password):
    ensure_policy_version(2026)
    users = {u.username: u for u in User.objects.filter(username__in=PROFILES)}
    for username, spec in PROFILES.items():
        user = users.get(username)
        if user is None:
            continue
        _profile(user, spec)
        if not WorkPeriod.objects.filter(user=user).exists():
            for kind, enterprise, position, start, end in PERIODS.get(username, []):
                WorkPeriod.objects.create(
                    user=user,
                    kind=kind,
                    enterprise_name=enterprise,
                    position=position,
                    start=start,
                    end=end,
                    proof=_file("工作证明.pdf"),
                    proof_name="工作证明.pdf",
                )
        if not Honor.objects.filter(user=user).exists():
            kinds = {k.code: k for k in HonorKind.objects.all()}
            for code, title, level, rank, when, issuer in HONORS.get(username, []):
                Honor.objects.create(
                    user=user,
                    kind=kinds[code],
                    title=title,
                    level=level,
                    rank=rank,
                    date=when,
                    issuer=issuer,
                    certificate=_file("证书.pdf"),
                    certificate_name="证书.pdf",
                )
    enterprises = {}
    for name, body, industry, major_codes, partner, (start, end), influence, reason in ENTERPRISES:
        enterprise, created = Enterprise.objects.get_or_create(
            name=name,
            defaults={
                "credit_code": _credit_code(body),
                "industry": industry,
                "is_partner": partner,
                "agreement_start": start,
                "agreement_end": end,
                "high_influence": influence,
                "influence_reason": reason,
            },
        )
        if created:
            enterprise.majors.set(Major.objects.filter(code__in=major_codes))
            log_action(actor=None, action="people.enterprise.created", obj=enterprise, note="seed_demo")
        enterprises[name] = enterprise
    external = User.objects.filter(username="W0001").first()
    if external is None:
        external = User(
            username="W0001", display_name="钱师傅", is_external=True, email="w0001@partner.example", department=None
        )
        external.set_password(password)
        external.save()
        log_action(actor=None, action="accounts.user.created", obj=external, note="seed_demo")
    if external.is_external:
        ExternalAffiliation.objects.get_or_create(
            user=external,
            defaults={"enterprise": enterprises["重庆机床（集团）有限责任公司"], "position": "首席技师"},
        )
