"""推荐申报材料 (PDF and docx): the master's name, a per-year indicator table whose every figure equals a count taken
directly from the ledger for that year, and none of the master's ID number, phone or birth date."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.db.models import Q, Sum
from pypdf import PdfReader

from accounts.enums import Role
from ledger.enums import AttachmentKind, RecordStatus
from ledger.models import Achievement, Activity, Mentorship, Project
from people.idcard import encrypt_id_number, hash_id_number, mask_id_number
from people.models import StaffProfile
from people.tests.factories import make_id_number
from plans.tests.helpers import achievement, activity, attach, mentorship
from recommendations import documents, services
from studios.models import Studio
from tests.factories import DepartmentFactory, UserFactory

from .helpers import TODAY, city_ready_studio

pytestmark = pytest.mark.django_db
WEIGHTS = {"national": 3, "provincial": 2, "city": 2, "school": 1}


def _direct(studio, year):
    """The six figures and the project amount of one year, counted straight from the ledger."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ok = {"studio": studio}
    mentor = (
        Mentorship.objects.countable().filter(**ok, date__lte=end).filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
    )
    upgrades = Mentorship.objects.countable().filter(
        **ok,
        outcome_level__in=("senior", "technician", "senior_technician"),
        outcome_on__gte=start,
        outcome_on__lte=end,
    )
    training = Activity.objects.countable().filter(**ok, kind="social_training", date__gte=start, date__lte=end)
    patents = Achievement.objects.countable().filter(
        **ok, kind__in=("patent", "software", "product"), date__gte=start, date__lte=end
    )
    projects = Project.objects.countable().filter(**ok, date__lte=end)
    awards = Achievement.objects.countable().filter(**ok, kind="award", date__gte=start, date__lte=end)
    return (
        [mentor.count(), upgrades.count(), training.aggregate(n=Sum("participants"))["n"] or 0, patents.count(),
         projects.count(), sum(WEIGHTS[a.level] for a in awards.only("level"))],
        projects.aggregate(n=Sum("amount"))["n"] or Decimal(0),
    )  # fmt: skip


@pytest.fixture
def rec():
    dept = DepartmentFactory(code="RCD", name="推荐材料测试系")
    dev = UserFactory(department=None, display_name="发改室丁", roles=[Role.DEV_OFFICE])
    studio, master, _ = city_ready_studio(dept, apprentices=3)
    number = make_id_number(dt.date(1975, 3, 4), "567")
    StaffProfile.objects.filter(user=master).update(
        id_number_encrypted=encrypt_id_number(number), id_number_hash=hash_id_number(number),
        id_number_masked=mask_id_number(number),
    )  # fmt: skip
    first = studio.approved_on.year
    for offset, year in enumerate(range(first, TODAY.year + 1)):
        for i in range(offset + 1):
            activity(studio, master, date=dt.date(year, 3, 1 + i), kind="social_training", participants=7 + i)
            mentorship(studio, master, date=dt.date(year, 4, 1 + i), outcome_level="senior",
                       outcome_on=dt.date(year, 9, 1 + i))  # fmt: skip
        achievement(studio, master, date=dt.date(year, 5, 1), kind="patent")
        achievement(studio, master, date=dt.date(year, 6, 1), kind="award", level="city", landmark=offset == 0)
        project = Project.objects.create(studio=studio, date=dt.date(year, 2, 1), title=f"项目{year}", kind="horizontal",
                                         amount=Decimal("12000.50") * (offset + 1), status=RecordStatus.CONFIRMED,
                                         created_by=master)  # fmt: skip
        attach(project, AttachmentKind.CONTRACT, master)
    activity(studio, master, date=dt.date(TODAY.year, 3, 20), kind="social_training", participants=99,
             status=RecordStatus.SUBMITTED)  # not confirmed: not counted  # fmt: skip
    return services.create_recommendation(by=dev, studio=studio, level="city", year=TODAY.year, reason="推荐理由正文")


def _flat(text):
    return "".join(text.split())


def test_dossier_pdf_and_docx_figures_equal_the_ledger(rec):
    studio = Studio.objects.select_related("master").get(pk=rec.studio_id)
    master = studio.master
    pdf, name, _ = documents.dossier_pdf(rec)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    data, _name, _ = documents.dossier_docx(rec)
    docx_text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert name.endswith(".pdf") and studio.official_name in name
    for text in (pdf_text, docx_text):
        assert master.display_name in text
        assert "13800000000" not in text  # phone
        assert "1975" not in text  # birth date (and the ID number, which contains it)
        assert "500101" not in text  # ID number's area code
    years = list(range(studio.approved_on.year, TODAY.year + 1))
    assert len(years) >= 3
    for year in years:
        figures, amount = _direct(studio, year)
        assert figures[0] > 0 and figures[2] > 0  # the data really exists that year
        money = f"{amount:,.2f}"
        assert _flat(f"{year}{''.join(str(f) for f in figures)}{money}") in _flat(pdf_text), (year, figures)
        labels = [label for _k, label in documents.INDICATORS] + ["项目金额（元）"]
        row = "；".join(f"{label} {value}" for label, value in zip(labels, [*figures, money], strict=True))
        assert f"{year}年：{row}" in docx_text, (year, row)
    assert "最近 1 次年度考核良好及以上" in docx_text and "佐证.pdf" in docx_text


def test_dossier_statements_are_bounded_by_years_not_records(rec, django_assert_max_num_queries):
    years = TODAY.year - rec.studio.approved_on.year + 1
    with django_assert_max_num_queries(20 + years):
        documents.dossier_context(rec)
