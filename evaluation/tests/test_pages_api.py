"""Pages and API of 年度考核: the whole path through the pages (round → scorecard → submit → the committee confirms
不合格 → the studio is revoked), refusals in Chinese, the API's parity, and the round page's SQL statements at 3
and at 2,000 studios."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from evaluation import services
from evaluation.enums import Grade, RoundStatus
from evaluation.models import EvaluationRound, EvaluationVote, Scorecard
from studios.enums import StudioStatus
from studios.models import Studio
from tests.factories import DepartmentFactory

from .helpers import YEAR, full_marks_studio, meet_and_vote, people, weak_studio

pytestmark = pytest.mark.django_db
MAX_STATEMENTS = 12


@pytest.fixture
def dept():
    return DepartmentFactory(code="EVP", name="考核页面测试系")


def test_pages_round_to_revocation(client, dept):
    dev, committee = people(dept)
    failing, _, _ = weak_studio(dept, "不合格技能大师工作室", with_report=False)
    client.force_login(dev)
    response = client.post(reverse("evaluation:round_create"), {"year": YEAR, "due_on": f"{YEAR + 1}-03-01"})
    round_ = EvaluationRound.objects.get(year=YEAR)
    assert response.url == reverse("evaluation:round", args=[round_.pk])
    client.post(reverse("evaluation:round_start", args=[round_.pk]))
    card = Scorecard.objects.get(round=round_, studio=failing)
    page = client.get(reverse("evaluation:scorecard", args=[card.pk])).content.decode()
    assert "未提交年度工作报告" in page and "不合格" in page
    # the submission is confirmed first (irreversible): without confirmed=1 nothing happens
    client.post(reverse("evaluation:round_submit", args=[round_.pk]), {"target": "submitted"})
    assert EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.EVALUATING
    client.post(reverse("evaluation:round_submit", args=[round_.pk]), {"target": "submitted", "confirmed": "1"})
    assert EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.SUBMITTED
    client.force_login(committee[0])
    client.post(
        reverse("evaluation:round_meeting", args=[round_.pk]),
        {"held_on": f"{YEAR + 1}-03-05", "members": [str(committee[0].pk), str(committee[1].pk)]},
    )
    for member in committee[:2]:
        client.force_login(member)
        client.post(reverse("evaluation:round_vote", args=[round_.pk]), {"decision": "agree"})
    assert EvaluationVote.objects.filter(meeting__round=round_).count() == 2
    response = client.post(reverse("evaluation:round_decide", args=[round_.pk]), {"target": "evaluating"})
    assert EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.SUBMITTED  # a return needs its reason
    client.post(reverse("evaluation:round_decide", args=[round_.pk]), {"target": "confirmed", "confirmed": "1"})
    assert EvaluationRound.objects.get(pk=round_.pk).status == RoundStatus.CONFIRMED
    assert Studio.objects.get(pk=failing.pk).status == StudioStatus.REVOKED
    page = client.get(reverse("evaluation:scorecard", args=[card.pk])).content.decode()
    assert "冻结" in page
    xlsx = client.get(reverse("evaluation:round_results", args=[round_.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and len(xlsx.content) > 1000


def test_adjust_page_refuses_without_basis_and_outsiders_get_403(client, dept):
    dev, _ = people(dept)
    studio, master, _ = full_marks_studio(dept, "页面调整技能大师工作室")
    round_ = services.start_round(services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1)), by=dev)
    card = Scorecard.objects.get(round=round_, studio=studio)
    client.force_login(dev)
    client.post(reverse("evaluation:scorecard_adjust", args=[card.pk]), {"indicator_key": "mentorships",
                                                                         "score": "2", "basis": ""})  # fmt: skip
    assert Scorecard.objects.get(pk=card.pk).total == Decimal("100.00")
    client.post(reverse("evaluation:scorecard_adjust", args=[card.pk]), {"indicator_key": "mentorships",
                                                                         "score": "4", "basis": "协议缺页"})  # fmt: skip
    assert Scorecard.objects.get(pk=card.pk).total < Decimal("100.00")
    client.force_login(master)  # the studio's own master sees nothing of a round in progress
    assert client.get(reverse("evaluation:scorecard", args=[card.pk])).status_code == 404


def test_api_parity_and_refusals(client, dept):
    dev, committee = people(dept)
    studio, _, _ = full_marks_studio(dept, "接口技能大师工作室")
    client.force_login(dev)
    response = client.post(
        reverse("api:evaluation_round_create"),
        json.dumps({"year": YEAR, "due_on": f"{YEAR + 1}-03-01"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.post(reverse("api:evaluation_round_start", args=[pk])).json()["status"] == "evaluating"
    card = Scorecard.objects.get(round_id=pk, studio=studio)
    url = reverse("api:evaluation_scorecard_adjust", args=[card.pk])
    assert client.post(url, json.dumps({"indicator_key": "mentorships", "score": "3", "basis": ""}),
                       content_type="application/json").status_code == 422  # fmt: skip
    body = client.post(url, json.dumps({"indicator_key": "mentorships", "score": "3", "basis": "扣分"}),
                       content_type="application/json").json()  # fmt: skip
    assert Decimal(body["total"]) < 100
    client.post(reverse("api:evaluation_round_submit", args=[pk]), "{}", content_type="application/json")
    client.force_login(committee[0])
    response = client.post(reverse("api:evaluation_round_confirm", args=[pk]), "{}", content_type="application/json")
    assert response.status_code == 409 and "认定会议" in response.json()["detail"]
    assert EvaluationRound.objects.get(pk=pk).status == RoundStatus.SUBMITTED


def _bulk_round(dept, n, start):
    masters = User.objects.bulk_create(
        User(username=f"V{i:06d}", display_name=f"大师{i}", department=dept) for i in range(start, start + n)
    )
    studios = Studio.objects.bulk_create(
        Studio(source="registered", official_name=f"规模考核{i}", plaque_name=f"学校（大师{i}）技能大师工作室",
               master=m, mode="school", department=dept, status="active", document_number=f"文{i}",
               approved_on=dt.date(YEAR - 1, 9, 1))
        for i, m in zip(range(start, start + n), masters, strict=True)
    )  # fmt: skip
    return studios


@pytest.mark.parametrize("n", [3, 2000])
def test_round_page_statements_do_not_grow_with_studios(client, dept, n):
    dev, _ = people(dept)
    _bulk_round(dept, n, 1)
    round_ = services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1))
    Scorecard.objects.filter(round=round_).update(total=Decimal("80.00"), suggested_grade=Grade.GOOD)
    client.force_login(dev)
    url = reverse("evaluation:round", args=[round_.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="list-row"') == min(n, 50)
    assert len(ctx.captured_queries) <= MAX_STATEMENTS, "\n".join(q["sql"][:200] for q in ctx.captured_queries)


def test_studio_page_shows_the_support_flag_of_an_excellent_result(client, dept):
    dev, committee = people(dept)
    best, master, _ = full_marks_studio(dept, "扶持技能大师工作室")
    for i in range(4):
        weak_studio(dept, f"陪同{i}技能大师工作室")
    round_ = services.start_round(services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1)), by=dev)
    services.submit_round(round_, by=dev)
    meet_and_vote(round_, committee[:2])
    services.confirm_round(round_, by=committee[0])
    client.force_login(master)
    page = client.get(reverse("studios:detail", args=[best.pk])).content.decode()
    assert 'data-testid="support-flag"' in page and f"{YEAR}年度考核优秀" in page
    card = Scorecard.objects.get(round=round_, studio=best)
    assert client.get(reverse("evaluation:scorecard", args=[card.pk])).status_code == 200  # the result, once confirmed
