"""Reminders of pending 年度考核 work, sent by annual's `manage.py send_reminders` (annual.reminders registry, filled
from EvaluationConfig.ready()): an evaluator with scorecards in a round that is 评分中 is reminded 3 days and 1 day
before the round's due date and once when it has passed; the committee is reminded once when a round is submitted
for its confirmation, and a member recorded present at a submitted round's latest meeting who has not voted is reminded
once per meeting (the day of the meeting). Statements per run: two, plus three per submitted round."""

import datetime as dt

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from annual.reminders import Due

from .enums import RoundStatus
from .models import EvaluationRound, EvaluationVote, EvaluatorAssignment
from .votes import latest_meeting

DAYS_BEFORE = (3, 1)


def pending_evaluation(today):
    rounds = {
        r.pk: r for r in EvaluationRound.objects.filter(status__in=(RoundStatus.EVALUATING, RoundStatus.SUBMITTED))
    }
    evaluating = [r for r in rounds.values() if r.status == RoundStatus.EVALUATING]
    due = {}
    for r in evaluating:
        left = (r.due_on - today).days
        if left in DAYS_BEFORE:
            due[r.pk] = (f"evaluation.due_{left}", today, f"{r}评分将于 {r.due_on:%Y年%m月%d日} 截止（还有 {left} 天）")
        elif left < 0:
            due[r.pk] = ("evaluation.overdue", r.due_on + dt.timedelta(days=1), f"{r}评分已过截止日期，请尽快完成")
    if due:
        pairs = (
            EvaluatorAssignment.objects.filter(scorecard__round_id__in=list(due))
            .values_list("scorecard__round_id", "evaluator_id")
            .distinct()
        )
        users = {}
        for round_id, user_id in pairs:
            users.setdefault(user_id, set()).add(round_id)
        people = User.objects.in_bulk(list(users))
        for user_id, round_ids in users.items():
            for round_id in round_ids:
                kind, day, title = due[round_id]
                yield Due(recipient=people[user_id], subject=rounds[round_id], kind=kind, day=day, title=title,
                          url=reverse("evaluation:my_scorecards"))  # fmt: skip
    submitted = [r for r in rounds.values() if r.status == RoundStatus.SUBMITTED and r.submitted_at]
    if submitted:
        committee = list(User.objects.filter(role_assignments__role=Role.COMMITTEE, is_active=True).distinct())
        for r in submitted:
            for member in committee:
                yield Due(recipient=member, subject=r, kind="evaluation.confirm", day=r.submitted_at.date(),
                          title=f"{r}待学术委员会认定", url=reverse("evaluation:round", args=[r.pk]))  # fmt: skip
    for r in submitted:
        meeting = latest_meeting(r.pk)
        if meeting is None:
            continue
        voted = EvaluationVote.objects.filter(meeting=meeting).values("member_id")
        for member in meeting.members_present.filter(is_active=True).exclude(pk__in=voted):
            # the day is the meeting's: a re-held meeting (another day) reminds again, the same one only once
            yield Due(recipient=member, subject=r, kind="evaluation.vote", day=meeting.held_on,
                      title=f"{r}：请对拟定考核等级表决", url=reverse("evaluation:round", args=[r.pk]))  # fmt: skip
