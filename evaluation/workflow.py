"""The status machine of a 年度考核 round: draft → evaluating → submitted → confirmed, with the committee's return.

- 发改室 starts the scoring (开始评分) and submits the proposed grades (提交学术委员会认定);
- the academic committee returns the round to 发改室 with a reason (退回发改室) or confirms it (认定考核结果) — the
  confirmation needs the round's latest meeting to have a quorum present (more than half of the committee) and
  voting, more than half of the members present voting 同意 on the grades as they still are (evaluation.votes), and
  the confirming member among those present. The consequences (frozen scorecards, revocation of 不合格 studios, 优秀 support
  flags) happen in evaluation.services.confirm_round inside the same transaction as the move.
"""

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move

from .enums import RoundStatus as S
from .models import EvaluationRound
from .votes import latest_meeting, tally

DEV = frozenset({Role.DEV_OFFICE})
COMMITTEE = frozenset({Role.COMMITTEE})


def quorum_message(round_, by):
    """None when the round's latest meeting had a quorum present, a quorum voting and more than half of the members
    present agreeing, on the grades as they are now (evaluation.votes), and `by` was present."""
    meeting = latest_meeting(round_.pk)
    if meeting is None:
        return "请先登记学术委员会认定会议（出席委员），再认定考核结果。"
    present = set(meeting.members_present.values_list("pk", flat=True))
    result = tally(meeting, present)
    if result.present < result.quorum:
        return result.refusal
    if by.pk not in present:
        return "您未出席本次认定会议，不能办理认定。"
    return result.refusal


def _has_scorecards(round_, by):
    if not round_.scorecards.exists():
        return "本轮考核没有参加考核的工作室，不能开始评分。"
    return None


def _users(role):
    return list(User.objects.filter(role_assignments__role=role, is_active=True).distinct())


def _tell(role, title):
    def send(round_, by, move, note):
        body = f"理由：{note}" if note else ""
        notify(_users(role), title=f"{round_}{title}", body=body, url=reverse("evaluation:round", args=[round_.pk]))

    return send


TRANSITIONS = {
    (S.DRAFT, S.EVALUATING): Move(roles=DEV, guard=_has_scorecards, verb="started", label="开始评分"),
    (S.EVALUATING, S.SUBMITTED): Move(
        roles=DEV, verb="submitted", notify=_tell(Role.COMMITTEE, "已提交学术委员会认定"), label="提交学术委员会认定"
    ),
    (S.SUBMITTED, S.EVALUATING): Move(
        roles=COMMITTEE,
        verb="returned",
        notify=_tell(Role.DEV_OFFICE, "被学术委员会退回"),
        label="退回发改室",
        reason_required=True,
    ),
    (S.SUBMITTED, S.CONFIRMED): Move(
        roles=COMMITTEE,
        guard=quorum_message,
        verb="confirmed",
        notify=_tell(Role.DEV_OFFICE, "考核结果已由学术委员会认定"),
        label="认定考核结果",
    ),
}

WORKFLOW = Machine(
    name="evaluation.round", model=EvaluationRound, transitions=TRANSITIONS, audit_prefix="evaluation.round"
)
EvaluationRound.WORKFLOW = WORKFLOW
