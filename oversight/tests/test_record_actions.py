"""「添加监督意见」 on the record pages (core.record_actions + oversight.record_actions): the inspector sees the button
linking to the note form for that record's type and id, and the 「监督意见 N 条（未答复 M）」 link once notes exist; any
other role sees neither. The hook costs the inspector one query and nobody else any, whatever the number of notes."""

from html import escape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import has_role
from ledger.models import Meeting
from oversight.enums import EntryKind, NoteStatus, Office, Stage
from oversight.models import NoteEntry, SupervisionNote
from oversight.registry import target_for_model
from tests.security import objects
from tests.security.matrix import build_world

pytestmark = pytest.mark.django_db


def _ledger_meeting(world):
    return objects._cached(
        world, "ov_ledger_meeting",
        lambda: objects._ledger_record(world, "own", Meeting, "submitted", title="矩阵例会"),
    )  # fmt: skip


def _year_archive(world):
    """Last year of the own ledger studio, archived (with an override reason: the test world's year has gaps)."""
    from django.db import transaction

    from archive import services as archive_services

    def make():
        with transaction.atomic():
            return archive_services.archive_year(
                objects.ledger_studio(world, "own"),
                objects.archive_year(),
                by=world.users["teaching_affairs"],
                override_reason="矩阵测试放行",
            )

    return objects._cached(world, "ov_year_archive", make)


# (what, builder(world) → the record, its page's URL name)
PAGES = (
    ("申报", lambda w: objects.application(w, "own"), "applications:detail"),
    ("公示", lambda w: objects.publicity(w), "applications:publicity_detail"),
    ("公示异议", lambda w: objects.objection(w, "own"), "applications:objection_detail"),
    ("学术委员会会议", lambda w: objects.meeting(w, "own"), "applications:meeting_detail"),
    ("工作室", lambda w: objects.studio(w, "own"), "studios:detail"),
    ("建设方案", lambda w: objects.plan(w, "own"), "plans:detail"),
    ("活动记录", lambda w: objects.ledger_activity(w, "own"), "ledger:detail"),
    ("名师带徒", lambda w: objects.ledger_mentorship(w, "own"), "ledger:detail"),
    ("例会记录", _ledger_meeting, "ledger:detail"),
    ("项目", lambda w: objects.ledger_project(w, "own"), "ledger:detail"),
    ("成果", lambda w: objects.news_achievement(w, "own"), "ledger:detail"),
    ("经费支出", lambda w: objects.funds_expenditure(w, "own"), "funds:expenditure"),
    ("年度工作报告", lambda w: objects.annual_report(w, "own"), "annual:report"),
    ("年度考核", lambda w: objects.ev_round(w, "own"), "evaluation:round"),
    ("考核评分表", lambda w: objects.ev_card(w, "own"), "evaluation:scorecard"),
    ("通知公告", lambda w: objects.news_notice(w, "own"), "news:notice"),
    ("宣传报道", lambda w: objects.news_post(w, "own"), "news:post"),
    ("年度归档", _year_archive, "archive:studio_year"),
)


def _page_url(obj, url_name):
    if url_name == "ledger:detail":
        from ledger.types import BY_MODEL

        return reverse(url_name, args=[BY_MODEL[type(obj)].slug, obj.pk])
    if url_name == "archive:studio_year":
        return reverse(url_name, args=[obj.studio_id, obj.year])
    return reverse(url_name, args=[obj.pk])


@pytest.fixture
def world():
    return build_world()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(ctx.captured_queries)


def _notes(inspector, obj, n, open_=1):
    content_type = ContentType.objects.get_for_model(type(obj))
    notes = SupervisionNote.objects.bulk_create(
        SupervisionNote(content_type=content_type, object_id=obj.pk, object_repr=f"记录：{i}", stage=Stage.OPERATION,
                        office=Office.TEACHING_AFFAIRS, subject=f"意见{i}", created_by=inspector,
                        status=NoteStatus.OPEN if i < open_ else NoteStatus.ANSWERED)
        for i in range(n)
    )  # fmt: skip
    NoteEntry.objects.bulk_create(NoteEntry(note=x, kind=EntryKind.NOTE, text="内容", by=inspector) for x in notes)


def _button(response):
    """The 添加监督意见 link's (type, id), or None when the page has none."""
    html = response.content.decode()
    marker = 'data-testid="add-note"'
    if marker not in html:
        return None
    start = html.rfind("<a ", 0, html.index(marker))
    href = html[start:].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.path == reverse("oversight:note_new")
    query = parse_qs(parts.query)
    return query["type"][0], int(query["id"][0])


@pytest.mark.parametrize(("what", "build", "url_name"), PAGES, ids=[p[0] for p in PAGES])
def test_inspector_sees_the_button_for_that_record_and_others_do_not(world, what, build, url_name):
    obj = build(world)
    url = _page_url(obj, url_name)
    inspector = world.users["inspector"]
    client = _client(inspector)

    client.get(url)  # warm the per-process caches (content types, the session's first save)
    response, bare = _get(client, url)
    assert _button(response) == (obj._meta.label_lower, obj.pk), what
    assert target_for_model(type(obj)) is not None
    assert 'data-testid="record-notes"' not in response.content.decode()  # no notes yet: no count link

    # the note form opens prefilled for this record
    form = client.get(reverse("oversight:note_new"), {"type": obj._meta.label_lower, "id": obj.pk})
    assert form.context["form"].initial == {"object_type": obj._meta.label_lower, "object_id": obj.pk}
    # …and names the record it will be attached to, linking to its page
    named = form.content.decode().split('data-testid="note-record"', 1)[1].split("</div>", 1)[0]
    assert f'href="{url}"' in named and escape(f"{target_for_model(type(obj)).label}：{obj}") in named

    _notes(inspector, obj, 1)
    response, one = _get(client, url)
    assert "监督意见 1 条（未答复 1）" in response.content.decode()
    _notes(inspector, obj, 4, open_=1)
    response, many = _get(client, url)
    assert "监督意见 5 条（未答复 2）" in response.content.decode()
    assert bare == one == many  # one query for the count, whatever the number of notes

    # the count link lists exactly this record's notes
    listed = client.get(reverse("oversight:notes"), {"record": f"{obj._meta.label_lower}:{obj.pk}"})
    assert listed.context["page"].paginator.count == 5
    assert {n.object_id for n in listed.context["page"]} == {obj.pk}

    for persona in ("leadership", "admin", "teaching_affairs"):
        other, _n = _get(_client(world.users[persona]), url)
        assert _button(other) is None, (what, persona)
        assert 'data-testid="record-notes"' not in other.content.decode()


def test_the_hook_costs_one_query_for_the_inspector_and_none_for_others(world):
    obj = objects.application(world, "own")
    _notes(world.users["inspector"], obj, 3)
    template = Template("{% load record_tags %}{% record_actions obj %}")
    for persona, expected in (("inspector", 1), ("leadership", 0), ("staff", 0), ("dept_head", 0)):
        request = RequestFactory().get("/")
        request.user = world.users[persona]
        has_role(request.user, "x")  # roles are loaded once per request by the page's menu already
        with CaptureQueriesContext(connection) as ctx:
            html = template.render(Context({"request": request, "obj": obj}))
        assert len(ctx.captured_queries) == expected, persona
        assert ("添加监督意见" in html) is (persona == "inspector")


def test_no_button_on_a_record_a_note_cannot_attach_to(world):
    """A model outside the note targets (a user account) gets nothing, without a query."""
    template = Template("{% load record_tags %}{% record_actions obj %}")
    request = RequestFactory().get("/")
    request.user = world.users["inspector"]
    has_role(request.user, "x")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request, "obj": world.users["staff"]}))
    assert html.strip() == ""
    assert ctx.captured_queries == []


def test_a_bad_record_filter_is_refused_with_a_message(world):
    client = _client(world.users["inspector"])
    response = client.get(reverse("oversight:notes"), {"record": "x;drop"})
    assert response.status_code == 200
    assert "监督对象参数无效" in response.content.decode()


def test_the_api_lists_the_notes_of_one_record(world):
    """GET /api/v1/oversight/notes/?object_type=&object_id= — the API side of the page's count link."""
    inspector = world.users["inspector"]
    app, studio = objects.application(world, "own"), objects.studio(world, "own")
    _notes(inspector, app, 2)
    _notes(inspector, studio, 1)
    client = _client(inspector)
    one = client.get("/api/v1/oversight/notes/", {"object_type": "applications.application", "object_id": app.pk})
    assert one.status_code == 200
    assert one.json()["count"] == 2
    other = client.get("/api/v1/oversight/notes/", {"object_type": "studios.studio", "object_id": studio.pk})
    assert other.json()["count"] == 1
    assert client.get("/api/v1/oversight/notes/").json()["count"] == 3


def test_the_note_form_names_no_record_for_an_unknown_id(world):
    client = _client(world.users["inspector"])
    for query in ({"type": "applications.application", "id": 999_999}, {"type": "nope", "id": 1}, {}):
        form = client.get(reverse("oversight:note_new"), query)
        assert form.status_code == 200
        assert 'data-testid="note-record"' not in form.content.decode(), query
