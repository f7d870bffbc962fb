"""Pages and API of plans: the review flow through the pages, the locked approved plan, a new version and its diff,
the same through the API, the click-through, the indicator page refusing weights that do not sum to 100."""

import datetime as dt

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from ledger.enums import RecordStatus
from ledger.tests.helpers import make_studio
from plans.enums import PlanKind, PlanStatus
from plans.models import Indicator, IndicatorSet, Plan

from .helpers import activity

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


@pytest.fixture
def studio_team(department):
    return make_studio(department)


def test_review_flow_through_the_pages(client, studio_team, dept_head, teaching_affairs):
    studio, master, team = studio_team
    client.force_login(master)
    response = client.post(f"/plans/studio/{studio.pk}/new/", {"kind": "annual", "year": YEAR})
    plan = Plan.objects.get(studio=studio)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/edit/"
    social = plan.targets.get(indicator__key="social_training")
    form = {
        "goals": "年度目标",
        "expected_outputs": "",
        f"target-{social.indicator_id}": "120",
        "task0-title": "社会培训",
        "task0-owner": str(team[0].pk),
        "task0-due_on": f"{YEAR}-11-30",
        "task0-expected_output": "120人次",
    }
    assert client.post(f"/plans/{plan.pk}/edit/", form).status_code == 302
    assert plan.targets.get(pk=social.pk).target == 120 and plan.tasks.get().owner_id == team[0].pk
    client.post(f"/plans/{plan.pk}/move/", {"to": "submitted"})
    client.force_login(dept_head)
    response = client.post(f"/plans/{plan.pk}/move/", {"to": "dept_reviewed", "note": ""}, follow=True)
    assert "请您填写审核意见" in response.content.decode()
    client.post(f"/plans/{plan.pk}/move/", {"to": "dept_reviewed", "note": "同意"})
    client.force_login(teaching_affairs)
    client.post(f"/plans/{plan.pk}/move/", {"to": "approved", "note": "同意"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    client.force_login(master)
    before = AuditEvent.objects.count()
    response = client.post(f"/plans/{plan.pk}/edit/", {**form, "goals": "偷偷修改"})
    assert response.status_code == 403 and "已批准并锁定" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).goals == "年度目标"
    assert AuditEvent.objects.exclude(action="accounts.access.denied").count() == before
    response = client.post(f"/plans/{plan.pk}/new-version/", {"reason": "增加培训人次"})
    v2 = Plan.objects.get(supersedes=plan)
    assert response["Location"] == f"/plans/{v2.pk}/edit/"
    client.post(f"/plans/{v2.pk}/edit/", {**form, f"target-{social.indicator_id}": "200"})
    page = client.get(f"/plans/{v2.pk}/").content.decode()
    assert 'data-testid="plan-diff"' in page and "社会培训" in page and "200" in page
    assert "增加培训人次" in page


def test_api_flow_and_locked_plan(client, studio_team, dept_head, teaching_affairs):
    studio, master, _team = studio_team
    client.force_login(master)
    response = client.post(
        "/api/v1/plans/",
        {"studio_id": studio.pk, "kind": "construction", "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["term_years"] == 3 and len(body["targets"]) == 17
    pk = body["id"]
    indicator = body["targets"][0]["indicator_id"]
    bad = client.patch(
        f"/api/v1/plans/{pk}", {"targets": [{"indicator_id": indicator, "target": -1}]}, content_type="application/json"
    )
    assert bad.status_code == 422
    ok = client.patch(
        f"/api/v1/plans/{pk}", {"goals": "API目标", "targets": [{"indicator_id": indicator, "target": "2"}]},
        content_type="application/json",
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["goals"] == "API目标"
    for user, to, note in (
        (master, "submitted", ""),
        (dept_head, "dept_reviewed", "同意"),
        (teaching_affairs, "approved", "同意"),
    ):
        client.force_login(user)
        moved = client.post(
            f"/api/v1/plans/{pk}/transitions", {"to": to, "note": note}, content_type="application/json"
        )
        assert moved.status_code == 200 and moved.json()["status"] == to
    client.force_login(master)
    locked = client.patch(f"/api/v1/plans/{pk}", {"goals": "改"}, content_type="application/json")
    assert locked.status_code == 409 and "锁定" in locked.json()["detail"]
    version = client.post(f"/api/v1/plans/{pk}/versions", {"reason": "调整目标"}, content_type="application/json")
    assert version.status_code == 201
    v2 = version.json()["id"]
    client.patch(f"/api/v1/plans/{v2}", {"goals": "API目标二"}, content_type="application/json")
    diff = client.get(f"/api/v1/plans/{v2}/diff").json()
    assert diff["fields"] == [["建设目标", "API目标", "API目标二"]]


def test_actual_pages_and_api_show_confirmed_and_waiting_with_click_through(client, studio_team, teaching_affairs):
    studio, master, _team = studio_team
    counted = activity(studio, master, date=dt.date(YEAR, 2, 1), kind="exchange")
    waiting = activity(studio, master, date=dt.date(YEAR, 2, 2), kind="exchange", status=RecordStatus.SUBMITTED)
    client.force_login(master)
    page = client.get(f"/plans/actual/studio/{studio.pk}/").content.decode()
    assert "尚未启用" in page
    records = client.get(f"/plans/actual/studio/{studio.pk}/exchange_events/", {"year": YEAR}).content.decode()
    assert f'data-record="{counted.pk}"' in records and f'data-record="{waiting.pk}"' not in records
    records = client.get(f"/plans/actual/studio/{studio.pk}/exchange_events/", {"year": YEAR, "waiting": "1"})
    assert f'data-record="{waiting.pk}"' in records.content.decode()
    api = client.get(f"/api/v1/plans/actual/studios/{studio.pk}", {"year": YEAR}).json()
    cell = next(c for c in api["indicators"] if c["key"] == "exchange_events")
    assert (cell["confirmed"], cell["waiting"]) == ("1", "1") or (float(cell["confirmed"]), float(cell["waiting"])) == (
        1,
        1,
    )
    assert next(c for c in api["indicators"] if c["key"] == "site_equipment")["confirmed"] is None  # 尚未启用
    client.force_login(teaching_affairs)
    school = client.get("/api/v1/plans/actual", {"year": YEAR}).json()
    assert school["count"] == 1 and school["items"][0]["studio_id"] == studio.pk
    export = client.get("/plans/actual/export.xlsx", {"year": YEAR})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_indicator_page_refuses_weights_not_summing_to_100(client, admin_user):
    indicator_set = IndicatorSet.objects.get(year=YEAR)
    indicators = list(indicator_set.indicators.order_by("order"))
    form = {"row": [str(n) for n in range(1, len(indicators) + 1)], "note": "修订"}
    for n, i in enumerate(indicators, 1):
        form.update(
            {
                f"id-{n}": str(i.pk), f"key-{n}": i.key, f"group-{n}": i.group, f"group_weight-{n}": str(i.group_weight),
                f"name-{n}": i.name, f"unit-{n}": i.unit, f"computation-{n}": i.computation,
                f"computed_from-{n}": i.computed_from, f"default_target-{n}": str(i.default_target),
                f"weight-{n}": str(i.weight),
            }
        )  # fmt: skip
    form["weight-1"] = "10"
    client.force_login(admin_user)
    response = client.post(f"/plans/indicators/{indicator_set.pk}/", form, follow=True)
    assert "权重之和须为100" in response.content.decode()
    assert Indicator.objects.get(pk=indicators[0].pk).weight == indicators[0].weight
    form["weight-1"], form["weight-2"] = "4", "3"
    client.post(f"/plans/indicators/{indicator_set.pk}/", form)
    assert Indicator.objects.get(pk=indicators[0].pk).weight == 4


def test_demo_seed_gives_the_demo_studio_approved_plans_idempotently():
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    plans = Plan.objects.filter(studio__master__username="T2001", status=PlanStatus.APPROVED)
    assert {p.kind for p in plans} == {PlanKind.CONSTRUCTION, PlanKind.ANNUAL}
    count = Plan.objects.count()
    call_command("seed_demo", "--quiet", "--password", "Demo@Pass2026")
    assert Plan.objects.count() == count
