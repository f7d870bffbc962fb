"""The committee's vote on a round's grades (reads; the write is evaluation.services.cast_vote).

Like the recognition vote (applications.queries.tally): the latest meeting of a round decides. Quorum = more than half
of the committee (committee_size // 2 + 1). The vote is valid only with a quorum present AND a quorum voting, and the
grades are confirmed only when 同意 votes are more than half of the members present. A meeting stores a fingerprint of
the round's grades when it is recorded; a decision on a single grade afterwards changes the fingerprint and the
meeting's votes no longer count — the committee re-holds the meeting (records a new one) and votes again.

Running tallies (and the individual votes) are hidden from a committee member until he has voted or the round is
confirmed; 发改室 and the other roles that see every round (evaluation.permissions.sees_all) see them.
"""

import hashlib
from dataclasses import dataclass, field

from .enums import RoundStatus, VoteDecision
from .models import EvaluationMeeting, EvaluationVote, Scorecard
from .permissions import sees_all


def fingerprint(round_id):
    """A digest of every scorecard's grade as the committee would confirm it now (decision, else proposed grade)."""
    rows = (
        Scorecard.objects.filter(round_id=round_id)
        .order_by("pk")
        .values_list("pk", "confirmed_grade", "proposed_grade")
    )
    text = ";".join(f"{pk}:{confirmed or proposed}" for pk, confirmed, proposed in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def latest_meeting(round_id):
    return EvaluationMeeting.objects.filter(round_id=round_id).order_by("-held_on", "-pk").first()


def quorum_of(committee_size):
    return committee_size // 2 + 1


@dataclass
class Tally:
    present: int
    committee: int
    agree: int = 0
    disagree: int = 0
    current: bool = True  # the grades are still those the meeting votes on
    votes: list = field(default_factory=list)
    hidden: bool = False

    @property
    def quorum(self):
        return quorum_of(self.committee)

    @property
    def cast(self):
        return self.agree + self.disagree

    @property
    def refusal(self):
        """None when the vote confirms the grades, else the Chinese reason, with the tally."""
        counts = f"（出席 {self.present} 人，已表决 {self.cast} 人：同意 {self.agree}、不同意 {self.disagree}）"
        if not self.current:
            return "认定会议登记后有考核等级发生变动，本次会议的表决不再有效，请重新登记认定会议并表决。"
        if self.present < self.quorum:
            return (
                f"出席委员 {self.present} 人，未超过学术委员会委员总数（{self.committee} 人）的半数，"
                "会议不足法定人数，不能认定考核结果。"
            )
        if self.cast < self.quorum:
            return f"参加表决的委员 {self.cast} 人，不足法定人数 {self.quorum} 人，不能认定考核结果{counts}。"
        if self.agree * 2 <= self.present:
            return f"同意的委员未超过出席委员的半数，考核等级未获通过，不能认定考核结果{counts}。"
        return None

    @property
    def label(self):
        if self.hidden:
            return "表决中（您表决后或考核结果认定后显示票数）"
        text = f"出席 {self.present} 人（委员共 {self.committee} 人，法定人数 {self.quorum} 人），已表决 {self.cast} 人：同意 {self.agree}、不同意 {self.disagree}"
        if not self.current:
            return text + "。会议登记后考核等级有变动，本次表决不再有效，须重新登记认定会议。"
        return text + ("。表决通过。" if self.refusal is None else "。")


def tally(meeting, present_ids=None):
    """The count of `meeting`'s votes (two statements: members present, votes)."""
    if present_ids is None:
        present_ids = set(meeting.members_present.values_list("pk", flat=True))
    votes = list(EvaluationVote.objects.filter(meeting=meeting).select_related("member").order_by("cast_at", "pk"))
    counted = [v for v in votes if v.member_id in present_ids]
    return Tally(
        present=len(present_ids),
        committee=meeting.committee_size,
        agree=sum(v.decision == VoteDecision.AGREE for v in counted),
        disagree=sum(v.decision == VoteDecision.DISAGREE for v in counted),
        current=meeting.grades_fingerprint == fingerprint(meeting.round_id),
        votes=votes,
    )


def tally_hidden(meeting, round_, user, *, present_ids, voted):
    """Hidden from a committee member (present, or holding the committee role without a see-everything role) who has
    not voted, until the round is confirmed. The round page and the API ask this one function."""
    if round_.status == RoundStatus.CONFIRMED or voted:
        return False
    if user.pk in present_ids:
        return True
    return not sees_all(user)


def viewer_tally(meeting, round_, user):
    present_ids = set(meeting.members_present.values_list("pk", flat=True))
    result = tally(meeting, present_ids)
    voted = any(v.member_id == user.pk for v in result.votes)
    if tally_hidden(meeting, round_, user, present_ids=present_ids, voted=voted):
        return Tally(present=result.present, committee=result.committee, current=result.current, hidden=True)
    return result
