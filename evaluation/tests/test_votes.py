"""The committee's vote on a round's grades (issue 12 item 3, brief E): one vote per member present per meeting, 同意 or
不同意 with a reason, never changed; confirmation needs a quorum present and voting and 同意 from more than half of the
members present; a grade decided after the meeting sets its votes aside; running tallies hidden from a member until he
has voted; members notified, reminded and shown the pending vote in 我的工作台."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEvent, Notification
from core.navigation import inbox_for
from core.workflow import WorkflowError
from evaluation import services, votes
from evaluation.documents import result_notice_pdf
from evaluation.enums import Grade, RoundStatus, VoteDecision
from evaluation.models import EvaluationRound, EvaluationVote, Scorecard
from evaluation.reminders import pending_evaluation
from tests.factories import DepartmentFactory, UserFactory

from .helpers import YEAR, meet_and_vote, people, weak_studio

pytestmark = pytest.mark.django_db
AGREE, DISAGREE = VoteDecision.AGREE, VoteDecision.DISAGREE


@pytest.fixture
def world():
    dept = DepartmentFactory(code="EVV", name="表决测试系")
    dev, committee = people(dept)
    committee += [UserFactory(department=None, display_name=f"委员{i}", roles=["committee"]) for i in (3, 4)]
    studios = [weak_studio(dept, f"表决{i}技能大师工作室")[0] for i in range(3)]
    round_ = services.start_round(services.create_round(by=dev, year=YEAR, due_on=dt.date(YEAR + 1, 3, 1)), by=dev)
    round_ = services.submit_round(round_, by=dev)
    return dev, committee, studios, round_


def _status(round_):
    return EvaluationRound.objects.get(pk=round_.pk).status


def test_only_members_present_vote_once_and_a_disagreement_needs_its_reason(world):
    dev, committee, _, round_ = world
    with pytest.raises(ValidationError, match="尚未登记认定会议"):
        services.cast_vote(round_, by=committee[0], decision=AGREE)
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:3])
    with pytest.raises(ValidationError, match="不在本次认定会议的出席委员名单"):
        services.cast_vote(round_, by=committee[4], decision=AGREE)
    with pytest.raises(PermissionDenied):
        services.cast_vote(round_, by=dev, decision=AGREE)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.cast_vote(round_, by=committee[0], decision=DISAGREE, reason="  ")
    with pytest.raises(ValidationError, match="同意或不同意"):
        services.cast_vote(round_, by=committee[0], decision="abstain")
    assert not EvaluationVote.objects.exists()
    vote = services.cast_vote(round_, by=committee[0], decision=DISAGREE, reason="表决0技能大师工作室应为合格")
    with pytest.raises(ValidationError, match="不能更改"):
        services.cast_vote(round_, by=committee[0], decision=AGREE)
    assert EvaluationVote.objects.get().decision == DISAGREE
    vote.decision = AGREE
    with pytest.raises(ValueError, match="不能修改"):
        vote.save()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second vote too
        EvaluationVote.objects.create(meeting=vote.meeting, member=committee[0], decision=AGREE)
    assert AuditEvent.objects.filter(action="evaluation.round.vote_cast").count() == 1


def test_confirmation_needs_a_quorum_voting_and_a_majority_of_those_present_agreeing(world):
    dev, committee, studios, round_ = world  # 5 members: quorum 3
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:4])
    services.cast_vote(round_, by=committee[0], decision=AGREE)
    services.cast_vote(round_, by=committee[1], decision=AGREE)
    with pytest.raises(WorkflowError, match=r"参加表决的委员 2 人，不足法定人数 3 人.*同意 2、不同意 0"):
        services.confirm_round(round_, by=committee[0])
    services.cast_vote(round_, by=committee[2], decision=DISAGREE, reason="等级偏高")
    # 2 of 4 present agree: not more than half
    with pytest.raises(WorkflowError, match=r"同意的委员未超过出席委员的半数.*同意 2、不同意 1"):
        services.confirm_round(round_, by=committee[0])
    assert _status(round_) == RoundStatus.SUBMITTED
    services.cast_vote(round_, by=committee[3], decision=AGREE)
    services.confirm_round(round_, by=committee[0])
    assert _status(round_) == RoundStatus.CONFIRMED
    event = AuditEvent.objects.get(action="evaluation.round.grades_confirmed")
    assert event.after["votes"] == {"present": 4, "agree": 3, "disagree": 1}
    with pytest.raises(ValidationError, match="不能表决"):
        services.cast_vote(round_, by=committee[0], decision=AGREE)


def test_a_grade_decided_after_the_meeting_sets_its_votes_aside_until_it_is_held_again(world, client):
    dev, committee, studios, round_ = world
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:4])
    for member in committee[:3]:
        services.cast_vote(round_, by=member, decision=AGREE)
    card = Scorecard.objects.get(round=round_, studio=studios[0])
    services.decide_grade(card, by=committee[0], grade=Grade.PASS, reason="酌情认定合格")
    with pytest.raises(WorkflowError, match="等级发生变动.*重新登记认定会议"):
        services.confirm_round(round_, by=committee[0])
    with pytest.raises(ValidationError, match="表决不再有效"):
        services.cast_vote(round_, by=committee[3], decision=AGREE)
    client.force_login(dev)
    page = client.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "本次表决不再有效" in page
    meet_and_vote(round_, committee[:3], held_on=dt.date(YEAR + 1, 3, 9))
    services.confirm_round(round_, by=committee[0])
    assert Scorecard.objects.get(pk=card.pk).confirmed_grade == Grade.PASS


def test_a_decision_at_confirmation_cannot_change_a_voted_grade(world):
    dev, committee, studios, round_ = world
    meet_and_vote(round_, committee[:3])
    card = Scorecard.objects.get(round=round_, studio=studios[0])
    other = Grade.PASS if card.proposed_grade != Grade.PASS else Grade.GOOD
    with pytest.raises(ValidationError, match="与表决时不同"):
        services.confirm_round(round_, by=committee[0], decisions={card.pk: (other, "改")})
    assert _status(round_) == RoundStatus.SUBMITTED


def test_running_tally_hidden_from_a_member_until_he_votes_the_organiser_sees_it(world, client):
    dev, committee, _, round_ = world
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:3])
    services.cast_vote(round_, by=committee[0], decision=DISAGREE, reason="表决1技能大师工作室应为不合格")
    url = reverse("evaluation:round", args=[round_.pk])
    api = reverse("api:evaluation_round_votes", args=[round_.pk])
    client.force_login(committee[1])
    page = client.get(url).content.decode()
    assert "您表决后或考核结果认定后显示票数" in page and "应为不合格" not in page
    assert 'data-testid="vote-form"' in page
    body = client.get(api).json()
    assert body["hidden"] is True and body["agree"] is None and body["votes"] == []
    response = client.post(
        reverse("api:evaluation_round_vote", args=[round_.pk]),
        json.dumps({"decision": "agree"}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["agree"] == 1 and response.json()["disagree"] == 1
    page = client.get(url).content.decode()
    assert "同意 1、不同意 1" in page and "应为不合格" in page and 'data-testid="vote-form"' not in page
    client.force_login(dev)
    body = client.get(api).json()
    assert body["hidden"] is False and [v["decision"] for v in body["votes"]] == ["disagree", "agree"]
    # the page refuses a second vote in Chinese and keeps the first
    client.force_login(committee[1])
    response = client.post(reverse("evaluation:round_vote", args=[round_.pk]), {"decision": "disagree", "reason": "改"})
    assert EvaluationVote.objects.get(member=committee[1]).decision == AGREE
    response = client.post(
        reverse("api:evaluation_round_vote", args=[round_.pk]),
        json.dumps({"decision": "disagree", "reason": "改"}),
        content_type="application/json",
    )
    assert response.status_code in (400, 409, 422) and "不能更改" in json.dumps(response.json(), ensure_ascii=False)


def vote_inbox(user):
    """我的工作台's 待表决 entry of `user` (evaluation.inbox.vote_inbox, counted by inbox_for)."""
    return [e for e in inbox_for(user) if e.title == "待表决的年度考核等级"]


def test_members_present_are_notified_reminded_and_see_the_pending_vote(world, django_capture_on_commit_callbacks):
    dev, committee, _, round_ = world
    assert vote_inbox(committee[0]) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:3])
    notified = set(
        Notification.objects.filter(title__contains="请对拟定考核等级表决").values_list("recipient_id", flat=True)
    )
    assert notified == {m.pk for m in committee[:3]}
    [entry] = vote_inbox(committee[1])
    assert entry.count == 1 and vote_inbox(committee[4]) == []
    services.cast_vote(round_, by=committee[1], decision=AGREE)
    assert vote_inbox(committee[1]) == []
    due = [d for d in pending_evaluation(dt.date(YEAR + 1, 3, 6)) if d.kind == "evaluation.vote"]
    assert {d.recipient.pk for d in due} == {committee[0].pk, committee[2].pk}


def test_results_notice_records_the_meeting_and_each_vote(world):
    dev, committee, studios, round_ = world
    meet_and_vote(round_, committee[:3], decisions={committee[2]: (DISAGREE, "等级偏高")})
    services.confirm_round(round_, by=committee[0])
    card = Scorecard.objects.get(round=round_, studio=studios[0])
    data, _, _ = result_notice_pdf(card)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "认定会议记录" in text and "同意 2 人" in text and "不同意 1 人" in text
    for member in committee[:3]:
        assert member.display_name in text
    assert votes.tally(votes.latest_meeting(round_.pk)).refusal is None


def test_round_page_statements_do_not_grow_with_the_votes(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dev, committee, _, round_ = world
    services.record_meeting(round_, by=committee[0], held_on=dt.date(YEAR + 1, 3, 5), members=committee[:4])
    client.force_login(dev)
    url = reverse("evaluation:round", args=[round_.pk])
    counts = []
    for voters in (committee[:1], committee[1:4]):
        for member in voters:
            services.cast_vote(round_, by=member, decision=AGREE)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        assert page.count("：<strong>同意</strong>") == EvaluationVote.objects.count()
    assert counts[0] == counts[1] <= 16, counts
