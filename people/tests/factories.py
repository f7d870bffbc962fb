"""Factories of the people app (tests/factories.py holds the shared ones)."""

from datetime import date

import factory
from django.core.files.base import ContentFile

from people.enums import HonorLevel, WorkKind
from people.models import Enterprise, ExternalAffiliation, Honor, HonorKind, StaffProfile, WorkPeriod
from people.validators import credit_code_check_char
from tests.factories import UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="证书.pdf"):
    return ContentFile(PDF_BYTES, name=name)


def make_id_number(birth: date, seq: str = "123") -> str:
    """A valid 18-digit ID number for a birth date (area code 500101, Chongqing)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = f"500101{birth:%Y%m%d}{seq}"
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def make_credit_code(n: int) -> str:
    body = f"91500000MA{n:07d}"
    return body + credit_code_check_char(body)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    gender = "male"
    birth_date = date(1985, 6, 15)
    title = "讲师"


class WorkPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPeriod

    user = factory.SubFactory(UserFactory)
    kind = WorkKind.WORK
    enterprise_name = "重庆某机床有限公司"
    position = "技术员"
    start = date(2010, 1, 1)
    end = date(2012, 12, 31)


def honor_kind(code):
    return HonorKind.objects.get(code=code)


class HonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honor

    user = factory.SubFactory(UserFactory)
    kind = factory.LazyFunction(lambda: honor_kind("skill_master"))
    title = "技术能手"
    level = HonorLevel.CITY
    rank = ""
    date = date(2020, 5, 1)
    issuer = "重庆市人力资源和社会保障局"
    certificate = factory.LazyFunction(pdf_file)
    certificate_name = "证书.pdf"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"重庆合作企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    industry = "装备制造"
    is_partner = True
    agreement_start = date(2024, 1, 1)
    agreement_end = date(2028, 12, 31)
    high_influence = True
    influence_reason = "行业龙头企业"


class ExternalUserFactory(UserFactory):
    is_external = True
    department = None


class ExternalAffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalAffiliation

    user = factory.SubFactory(ExternalUserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    position = "高级技师"
