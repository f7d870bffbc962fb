"""Query counts: the console, the notes list (and its export) and the flag list issue the same number of SQL
statements for 1 row and for many (no query per row: tests run with fetch_mode RAISE, and the counts are compared)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from applications.enums import AssignmentStatus, ObjectionStatus
from applications.models import Application, Objection, Publicity, ReviewAssignment
from applications.tests import conftest as application_fixtures
from archive.models import Addendum
from core.models import StatusChange
from evaluation.models import EvaluationRound, EvaluatorAssignment, Scorecard
from funds.models import Expenditure
from funds.tests.helpers import funded_studio
from ledger.models import Activity
from oversight.enums import EntryKind, Office, Stage
from oversight.models import Attendance, NoteEntry, SupervisionNote
from tests.factories import UserFactory

from .helpers import make_application

pytestmark = pytest.mark.django_db
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _notes(inspector, application, n, department=None, start=0):
    content_type = ContentType.objects.get_for_model(Application)
    notes = SupervisionNote.objects.bulk_create(
        SupervisionNote(content_type=content_type, object_id=application.pk, object_repr=f"申报：{i}",
                        stage=Stage.SELECTION, office=Office.DEPARTMENT if department else Office.TEACHING_AFFAIRS,
                        department=department, subject=f"意见{i}", created_by=inspector)
        for i in range(n)
    )  # fmt: skip
    NoteEntry.objects.bulk_create(NoteEntry(note=n, kind=EntryKind.NOTE, text="内容", by=inspector) for n in notes)
    Attendance.objects.bulk_create(
        Attendance(content_type=content_type, object_id=10_000 + start + i, meeting_repr=f"会议{i}", person=inspector)
        for i in range(len(notes))
    )


def test_console_and_notes_list_same_statements_at_1_and_many(login, inspector, department, open_call, applicant):
    app = make_application(open_call, applicant)
    client = login(inspector)
    urls = [reverse("oversight:console"), reverse("oversight:notes"), reverse("oversight:notes_export")]
    _notes(inspector, app, 1, department)
    one = [_count(client, url) for url in urls]
    _notes(inspector, app, 30, department, start=1)
    many = [_count(client, url) for url in urls]
    assert one == many


def _flag_rows(k, call, tag):
    """k rows of every rule's condition."""
    now = timezone.now()
    call.review_deadline = now - dt.timedelta(days=5)
    call.save(update_fields=["review_deadline"])
    officer = UserFactory(department=None, roles=[Role.TEACHING_AFFAIRS])
    for i in range(k):
        applicant = UserFactory()
        app = make_application(call, applicant, name=f"{tag}申报{i}")
        for total in ("80", "82", "40"):
            expert = UserFactory(roles=[Role.EXPERT])
            ReviewAssignment.objects.create(application=app, expert=expert, assigned_by=officer, total=Decimal(total),
                                            status=AssignmentStatus.SUBMITTED, submitted_at=now)  # fmt: skip
        fresh = UserFactory(roles=[Role.DEPT_HEAD])
        StatusChange.objects.create(content_type=ContentType.objects.get_for_model(Application), object_id=str(app.pk),
                                    machine="applications.application", from_state="submitted",
                                    to_state="recommended", by=fresh)  # fmt: skip
        publicity = Publicity.objects.create(call=call, title=f"{tag}公示{i}", starts_at=now - dt.timedelta(days=9),
                                             ends_at=now - dt.timedelta(days=1), days=5, working_days=True,
                                             published_by=officer)  # fmt: skip
        Objection.objects.create(publicity=publicity, application=app, raised_by=applicant, content="异议",
                                 status=ObjectionStatus.OPEN)  # fmt: skip
        studio, master, _f, line = funded_studio(applicant.department, budget="90000.00", name=f"{tag}工作室{i}")
        Expenditure.objects.bulk_create(
            Expenditure(studio=studio, budget_line=line, date=dt.date(now.year, 1, 5 + d), amount=Decimal("4800"),
                        payee="商行", description="材料", status="submitted", created_by=master)
            for d in range(3)
        )  # fmt: skip
        round_ = EvaluationRound.objects.create(year=(2000 if tag == "甲" else 2050) + i, title=f"{tag}考核{i}", due_on=dt.date(2026, 3, 1),
                                                created_by=officer)  # fmt: skip
        card = Scorecard.objects.create(round=round_, studio=studio)
        EvaluatorAssignment.objects.create(scorecard=card, evaluator=master, assigned_by=officer)
        Addendum.objects.create(studio=studio, year=2025, object_type="ledger.activity", object_id=1,
                                object_title="活动", reason="更正", text="说明", created_by=master)  # fmt: skip
        Activity.objects.bulk_create(
            Activity(studio=studio, date=dt.date(2025, 4, 1), title="活动", kind="exchange", status="confirmed",
                     created_by=master, reviewed_by=officer, reviewed_at=now)
            for _ in range(10)
        )  # fmt: skip


def test_flag_list_same_statements_at_1_and_many(login, inspector, open_call, settings):
    settings.OVERSIGHT_APPROVAL_THRESHOLD = "5000"
    client = login(inspector)
    _flag_rows(1, open_call, "甲")
    page = client.get(reverse("oversight:flags"))
    rules = {f.rule for f in page.context["flags"]}
    assert rules == {"score_outlier", "fresh_role", "late_review", "archived_addendum", "publicity_pending",
                     "split_spending", "one_day_confirm", "evaluator_member"}  # fmt: skip
    one = _count(client, reverse("oversight:flags"))
    api_one = _count(client, "/api/v1/oversight/flags/")
    _flag_rows(4, open_call, "乙")
    assert len(client.get(reverse("oversight:flags")).context["flags"]) > len(page.context["flags"])
    assert _count(client, reverse("oversight:flags")) == one
    assert _count(client, "/api/v1/oversight/flags/") == api_one
