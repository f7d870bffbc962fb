"""Blind-review identity visibility, surface × persona, against identity_matrix.csv (issue 8 defect 2).

The permission matrix proves who may open a page; this table proves what the page tells him: an assigned expert of a
匿名评审 call reads the application, its list row, its API record, its history and its neutral attachments without
learning who applied, and cannot fetch what names the applicant (the signed 申报表, the generated form). A new surface
that shows an application (page, API operation, download) gets a row here.
"""

import csv
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from .matrix import PERSONAS, build_world

TABLE = Path(__file__).with_name("identity_matrix.csv")
OUTCOMES = {"shown", "hidden", "deny"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_table():
    lines = [ln for ln in TABLE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, skipinitialspace=True)
    header = [h.strip() for h in next(reader)]
    personas = header[1:]
    unknown = set(personas) - set(PERSONAS)
    if header[0] != "surface" or unknown:
        raise ValueError(f"identity_matrix.csv header: unknown personas {unknown}")
    rows = {}
    for cells in reader:
        cells = [c.strip() for c in cells]
        values = dict(zip(personas, cells[1:], strict=True))
        if set(values.values()) - OUTCOMES:
            raise ValueError(f"identity_matrix.csv {cells[0]}: unknown outcome")
        rows[cells[0]] = values
    return personas, rows


PERSONA_COLUMNS, ROWS = load_table()


def _blind_world():
    from applications.models import Application, Attachment, Call, ReviewAssignment, Rubric
    from core.models import StatusChange

    world = build_world()
    users = world.users
    ta = users["teaching_affairs"]
    now = timezone.now()
    call = Call.objects.create(
        year=now.year,
        title="匿名评审批次（矩阵）",
        opens_at=now - timezone.timedelta(days=10),
        closes_at=now + timezone.timedelta(days=10),
        policy_year=now.year,
        rubric=Rubric.objects.get_or_create(name="匿名矩阵评分标准")[0],
        status="open",
        blind_review=True,
        created_by=ta,
    )
    applicant = users["staff"]
    app = Application.objects.create(
        call=call,
        applicant=applicant,
        department=world.departments["A"],
        status="under_review",
        submitted_at=now,
        studio_name="匿名矩阵技能大师工作室",
    )
    ReviewAssignment.objects.create(
        application=app, expert=users["expert"], assigned_by=ta, status="declared", declared_at=now
    )
    for by, from_state, to_state, note in (
        (applicant, "draft", "submitted", f"{applicant.display_name}提交"),
        (users["dept_head"], "submitted", "recommended", "同意推荐。"),
        (ta, "recommended", "under_review", ""),
    ):
        StatusChange.objects.create(
            content_type_id=_content_type_id(),
            object_id=str(app.pk),
            machine="application",
            from_state=from_state,
            to_state=to_state,
            by=by,
            note=note,
        )
    files = {}
    for kind in ("form_scan", "other"):
        row = Attachment(
            application=app, kind=kind, original_name=f"{applicant.display_name}-{kind}.pdf", uploaded_by=applicant
        )
        row.file.save("x.pdf", ContentFile(PDF), save=False)
        row.save()
        files[kind] = row
    return world, app, files


def _content_type_id():
    from django.contrib.contenttypes.models import ContentType

    from applications.models import Application

    return ContentType.objects.get_for_model(Application).pk


def _observe(client, surface, app, files, applicant):
    """(outcome, detail) for one surface as seen by the client's user."""
    names = (applicant.display_name, applicant.username)
    kind, _, what = surface.partition(":")
    if kind == "page":
        if what == "detail":
            response = client.get(f"/applications/{app.pk}/")
        elif what == "list":
            response = client.get("/applications/")
        else:
            response = client.get("/applications/", {"q": applicant.display_name})
        if response.status_code != 200:
            return "deny", response.status_code
        body = response.content.decode()
        if what == "list_search":
            if app.studio_name in body:
                return "shown", "found by the name"
            listed = app.studio_name in client.get("/applications/").content.decode()
            return ("hidden" if listed else "deny"), "search"
        if app.studio_name not in body:
            return "deny", "not listed"
        return ("shown" if any(n in body for n in names) else "hidden"), "page"
    if kind == "api":
        url = {"detail": f"/api/v1/applications/{app.pk}", "list": "/api/v1/applications/"}.get(
            what, f"/api/v1/applications/{app.pk}/history"
        )
        response = client.get(url)
        if response.status_code != 200:
            return "deny", response.status_code
        data = response.json()
        text = json.dumps(data, ensure_ascii=False)
        if what == "list":
            data = next((i for i in data["items"] if i["id"] == app.pk), None)
            if data is None:
                return "deny", "not listed"
        if what == "history":
            named = applicant.pk in [h["by_id"] for h in data] or any(n in text for n in names)
        else:
            named = data["applicant_id"] == applicant.pk or data["applicant_name"] is not None
        return ("shown" if named else "hidden"), text[:120]
    if kind == "download":
        response = client.get(f"/applications/{app.pk}/attachments/{files[what].pk}/")
        if response.status_code != 200:
            return "deny", response.status_code
        disposition = response["Content-Disposition"]
        named = quote(applicant.display_name) in disposition or applicant.display_name in disposition
        return ("shown" if named else "hidden"), disposition
    response = client.get(f"/applications/{app.pk}/form.pdf")
    return ("shown" if response.status_code == 200 else "deny"), response.status_code


@pytest.mark.django_db
def test_identity_matrix():
    world, app, files = _blind_world()
    applicant = world.users["staff"]
    mismatches = []
    for persona in PERSONA_COLUMNS:
        client = Client()
        user = world.users.get(persona)
        if user is not None:
            client.force_login(user)
        for surface, expected in ROWS.items():
            actual, detail = _observe(client, surface, app, files, applicant)
            if actual != expected[persona]:
                mismatches.append(f"{surface} as {persona}: expected {expected[persona]}, got {actual} ({detail})")
    assert not mismatches, "\n".join(mismatches)


def test_table_covers_every_persona_kind():
    assert {"expert", "staff", "teaching_affairs", "dept_head", "inspector"} <= set(PERSONA_COLUMNS)
    assert all(row["expert"] in {"hidden", "deny"} for row in ROWS.values())
