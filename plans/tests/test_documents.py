"""The 建设方案 document: a PDF (WeasyPrint, Noto Sans SC embedded) with the studio, goals, tasks and the target of
each indicator, downloadable from the plan page and the API by whoever sees the plan — nobody else."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ledger.tests.helpers import make_studio
from plans import services
from plans.enums import PlanKind

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
STUDIO = "数控技能大师工作室"


def _text(data):
    assert data.startswith(b"%PDF-")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def plan(department):
    studio, master, team = make_studio(department, name=STUDIO)
    plan = services.create_plan(studio, by=master, kind=PlanKind.CONSTRUCTION, year=YEAR)
    target = plan.targets.select_related("indicator").order_by("indicator__order").first()
    services.update_plan(
        plan,
        by=master,
        data={"goals": "建成市级示范工作室"},
        targets={target.indicator_id: "7"},
        tasks=[
            {"title": "开发实训课程", "owner_id": team[0].pk, "due_on": dt.date(YEAR, 12, 1), "expected_output": ""}
        ],
    )
    return plan, master, target.indicator.name


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_plan_pdf_carries_studio_goals_tasks_and_indicator_targets(client, plan):
    plan, master, indicator = plan
    client.force_login(master)
    page = client.get(f"/plans/{plan.pk}/")
    assert f"/plans/{plan.pk}/pdf/" in page.content.decode()
    response = client.get(f"/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _text(_body(response))
    for needle in (STUDIO, indicator, "建成市级示范工作室", "开发实训课程", "建设方案"):
        assert needle in text, (needle, text[:400])
    api = client.get(f"/api/v1/plans/{plan.pk}/pdf")
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert STUDIO in _text(_body(api))


def test_the_plan_pdf_is_refused_to_whoever_does_not_see_the_plan(client, plan, outsider, committee_member):
    plan, _master, _indicator = plan
    for user in (outsider, committee_member):
        client.force_login(user)
        assert client.get(f"/plans/{plan.pk}/pdf/").status_code == 404
        assert client.get(f"/api/v1/plans/{plan.pk}/pdf").status_code == 404


def test_read_only_offices_may_download_the_plan_pdf(client, plan, inspector):
    plan, _master, _indicator = plan
    client.force_login(inspector)
    response = client.get(f"/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert STUDIO in _text(_body(response))
