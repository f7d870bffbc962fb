"""Supervision notes (监督意见): the inspector writes, the addressed office answers, the inspector closes or reopens;
entries are append-only; every write is audited; the refusals change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from accounts.enums import Role
from applications.tests import conftest as application_fixtures
from core.models import AuditEvent, StatusChange
from core.navigation import inbox_for
from core.workflow import WorkflowError
from ledger.tests.helpers import make_studio
from oversight import services
from oversight.enums import EntryKind, NoteStatus, Office
from oversight.models import NoteEntry, SupervisionNote
from tests.factories import UserFactory

from .helpers import make_application

pytestmark = pytest.mark.django_db
rubric = application_fixtures.rubric
open_call = application_fixtures.open_call


@pytest.fixture
def application(open_call, applicant):
    return make_application(open_call, applicant)


def _note(inspector, application, office=Office.TEACHING_AFFAIRS):
    return services.create_note(
        by=inspector, type_key="applications.application", object_id=application.pk, office=office,
        subject="荣誉证书核验", text="请核实证书。",
    )  # fmt: skip


def _inbox_count(user, title):
    return sum(e.count for e in inbox_for(user) if e.title == title)


def test_note_flow_answer_close_reopen(inspector, teaching_affairs, application):
    note = _note(inspector, application)
    assert note.status == NoteStatus.OPEN and note.stage == "selection"
    assert note.object_repr.endswith(application.studio_name)
    assert AuditEvent.objects.filter(action="oversight.note.created", object_id=str(note.pk)).exists()
    assert _inbox_count(teaching_affairs, "待答复的监督意见") == 1

    services.answer_note(note, by=teaching_affairs, text="已核实，真实有效。")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.ANSWERED
    assert _inbox_count(teaching_affairs, "待答复的监督意见") == 0
    assert _inbox_count(inspector, "已答复待办结的监督意见") == 1

    services.close_note(note, by=inspector, text="")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.CLOSED
    with pytest.raises(ValidationError):
        services.answer_note(note, by=teaching_affairs, text="再补充一句")

    with pytest.raises((ValidationError, WorkflowError)):
        services.reopen_note(note, by=inspector, text="   ")
    services.reopen_note(note, by=inspector, text="核验记录未附上。")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.OPEN
    services.answer_note(note, by=teaching_affairs, text="已附核验记录。")
    kinds = list(NoteEntry.objects.filter(note=note).order_by("id").values_list("kind", flat=True))
    assert kinds == [EntryKind.NOTE, EntryKind.ANSWER, EntryKind.REOPEN, EntryKind.ANSWER]
    moves = list(
        StatusChange.objects.filter(machine="oversight.note", object_id=str(note.pk)).values_list("to_state", flat=True)
    )
    assert moves == ["answered", "closed", "open", "answered"]
    actions = set(AuditEvent.objects.filter(object_type="oversight.supervisionnote").values_list("action", flat=True))
    assert {
        "oversight.note.created",
        "oversight.note.answered",
        "oversight.note.closed",
        "oversight.note.reopened",
    } <= actions


def test_only_the_addressed_office_answers(inspector, teaching_affairs, finance, leadership, application):
    note = _note(inspector, application)
    for user in (finance, leadership, inspector):
        with pytest.raises((PermissionDenied, WorkflowError)):
            services.answer_note(note, by=user, text="不该由我答复")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.OPEN
    assert NoteEntry.objects.filter(note=note).count() == 1


def test_only_the_author_closes(inspector, teaching_affairs, application):
    other_inspector = UserFactory(department=None, roles=[Role.INSPECTOR])
    note = _note(inspector, application)
    services.answer_note(note, by=teaching_affairs, text="已答复")
    for user in (other_inspector, teaching_affairs):
        with pytest.raises(WorkflowError):
            services.close_note(note, by=user)
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.ANSWERED


def test_closing_an_unanswered_note_needs_a_remark(inspector, application):
    note = _note(inspector, application)
    with pytest.raises(WorkflowError):
        services.close_note(note, by=inspector, text="")
    services.close_note(note, by=inspector, text="误提，撤回。")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.CLOSED


def test_only_the_inspector_writes_notes(teaching_affairs, leadership, admin_user, applicant, application):
    for user in (teaching_affairs, leadership, admin_user, applicant):
        with pytest.raises(PermissionDenied):
            _note(user, application)
    assert not SupervisionNote.objects.exists()


def test_invisible_or_missing_record_is_not_found(inspector, application):
    with pytest.raises(services.NotVisible):
        services.create_note(by=inspector, type_key="applications.application", object_id=application.pk + 999,
                             office=Office.TEACHING_AFFAIRS, subject="x", text="y")  # fmt: skip
    with pytest.raises(ValidationError):
        services.create_note(by=inspector, type_key="nope.model", object_id=1, office=Office.TEACHING_AFFAIRS,
                             subject="x", text="y")  # fmt: skip
    assert not SupervisionNote.objects.exists()


def test_bad_text_is_refused(inspector, application):
    for subject, text in (("", "意见"), ("事由", ""), ("事由", "意" * 4001), ("事\x00由", "意见")):
        with pytest.raises(ValidationError):
            services.create_note(by=inspector, type_key="applications.application", object_id=application.pk,
                                 office=Office.TEACHING_AFFAIRS, subject=subject, text=text)  # fmt: skip
    assert not SupervisionNote.objects.exists()


def test_department_office_is_the_studio_departments_head(inspector, department, dept_head, other_dept_head):
    studio, _master, _team = make_studio(department)
    note = services.create_note(by=inspector, type_key="studios.studio", object_id=studio.pk,
                                office=Office.DEPARTMENT, subject="例会", text="例会记录不全")  # fmt: skip
    assert note.department_id == department.pk and note.stage == "construction"
    assert _inbox_count(dept_head, "待答复的监督意见") == 1
    assert _inbox_count(other_dept_head, "待答复的监督意见") == 0
    with pytest.raises(PermissionDenied):
        services.answer_note(note, by=other_dept_head, text="不是我系")
    services.answer_note(note, by=dept_head, text="已补齐")
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.ANSWERED


def test_entries_are_append_only(inspector, teaching_affairs, application):
    note = _note(inspector, application)
    entry = NoteEntry.objects.get(note=note)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        NoteEntry.objects.filter(pk=entry.pk).update(text="改写")
    assert NoteEntry.objects.get(pk=entry.pk).text == "请核实证书。"
    services.correct_note(note, by=inspector, text="更正：请同时核实获奖年份。")
    assert NoteEntry.objects.get(pk=entry.pk).text == "请核实证书。"
    assert NoteEntry.objects.filter(note=note, kind=EntryKind.CORRECTION).count() == 1
    assert AuditEvent.objects.filter(action="oversight.note.corrected").count() == 1
    with pytest.raises(PermissionDenied):
        services.refuse_entry_edit(entry, by=inspector)


def test_pages_note_flow(login, inspector, teaching_affairs, application):
    client = login(inspector)
    response = client.post(reverse("oversight:note_new"), {
        "object_type": "applications.application", "object_id": application.pk, "office": Office.TEACHING_AFFAIRS,
        "subject": "评分核验", "text": "请说明评分汇总。"})  # fmt: skip
    note = SupervisionNote.objects.get()
    assert response.status_code == 302 and response.url == reverse("oversight:note", args=[note.pk])
    # an object id the inspector cannot see (missing): 404 and nothing stored
    response = client.post(reverse("oversight:note_new"), {
        "object_type": "applications.application", "object_id": 10**12, "office": Office.TEACHING_AFFAIRS,
        "subject": "x", "text": "y"})  # fmt: skip
    assert response.status_code == 404 and SupervisionNote.objects.count() == 1
    client = login(teaching_affairs)
    page = client.get(reverse("oversight:note", args=[note.pk]))
    assert 'data-testid="answer-form"' in page.content.decode()
    client.post(reverse("oversight:note_answer", args=[note.pk]), {"text": "已说明。"})
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.ANSWERED
    response = client.post(reverse("oversight:note_close", args=[note.pk]), {"text": ""})
    assert response.status_code == 403
    client = login(inspector)
    client.post(reverse("oversight:note_close", args=[note.pk]), {"text": ""})
    assert SupervisionNote.objects.get(pk=note.pk).status == NoteStatus.CLOSED


def test_console_counts_and_refusal(login, inspector, leadership, applicant, application):
    _note(inspector, application)
    page = login(inspector).get(reverse("oversight:console"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="console-applications"' in html and reverse("applications:list") in html
    assert "荣誉证书核验" in html
    assert login(leadership).get(reverse("oversight:console")).status_code == 200
    assert login(applicant).get(reverse("oversight:console")).status_code == 403
    assert login(applicant).get(reverse("oversight:notes")).status_code == 403
