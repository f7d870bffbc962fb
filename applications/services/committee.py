from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.enums import Role
from accounts.permissions import may_write_as, require_write_access
from core.audit import log_action
from core.notifications import notify
from core.workflow import WorkflowError

from .. import conflicts
from ..enums import ApplicationStatus as S
from ..enums import Majority, MeetingStatus, VoteChoice
from ..models import Application, CommitteeMeeting, Revote, Vote
from ..queries import tally
from ..workflow import transition
from .settings import _refuse_control_characters


@transaction.atomic
def create_meeting(*, by, call, title, held_on, members_present, agenda, quorum, majority=Majority.SIMPLE, minutes=""):
    """A 学术委员会 meeting: members present (committee role), agenda of reviewed applications of the call."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以组织学术委员会审议。", code="role")
    members_present, agenda = list(members_present), list(agenda)
    if quorum < 1:
        raise ValidationError("法定人数至少为 1。")
    if majority not in Majority.values:
        raise ValidationError("通过规则无效。")
    not_members = [u.display_name for u in members_present if not may_write_as(u, Role.COMMITTEE)]
    if not_members:
        raise ValidationError("以下人员不是学术委员会委员：" + "、".join(not_members))
    wrong = [str(a) for a in agenda if a.call_id != call.pk or a.status != S.REVIEWED]
    if wrong or not agenda:
        raise ValidationError(
            "审议事项须为本批次已完成专家评审的申报：" + "、".join(wrong) if wrong else "请选择审议事项。"
        )
    # Vote shopping (issue 8 defect 16): an application sits on at most one open meeting. A second vote needs the
    # explicit 重新表决 step on the first meeting (revote(), with a reason) or the first meeting's cancellation.
    pending = open_meeting_of(agenda)
    if pending:
        raise WorkflowError(
            "以下申报已列入表决尚未结束的学术委员会会议，不能再列入其他会议："
            + "；".join(f"「{a}」（会议「{m.title}」）" for a, m in pending)
            + "。如需重新表决，请在原会议中办理「重新表决」并说明理由，或取消原会议。",
            code="agenda",
        )
    meeting = CommitteeMeeting.objects.create(
        call=call,
        title=title.strip(),
        held_on=held_on,
        quorum=quorum,
        majority=majority,
        minutes=minutes,
        created_by=by,
    )
    meeting.members_present.set(members_present)
    meeting.agenda.set(agenda)
    # a re-vote requested on an earlier meeting now has its meeting: the new agenda item is linked to the earlier one
    Revote.objects.filter(application__in=agenda, later_meeting=None).update(later_meeting=meeting)
    log_action(
        actor=by,
        action="applications.meeting.created",
        obj=meeting,
        after={
            "members_present": sorted(u.pk for u in members_present),
            "agenda": sorted(a.pk for a in agenda),
            "quorum": quorum,
            "majority": majority,
        },
    )
    # members are told they sit at the meeting (issue 9 item 3): after commit, so a refused meeting notifies nobody
    transaction.on_commit(lambda: _notify_members(meeting, members_present, len(agenda)))
    return meeting


def _notify_members(meeting, members, items):
    notify(
        members,
        title=f"学术委员会会议「{meeting.title}」：您被列为出席委员",
        body=f"会议日期：{meeting.held_on:%Y-%m-%d}；审议事项 {items} 项。请在会议页查看专家评审结果和系部意见，并对每个事项表决。",
        url=reverse("applications:meeting_detail", args=[meeting.pk]),
    )


def cast_vote(meeting, application, *, by, choice):
    """One vote per member per agenda item; refused without a quorum present, to members with a conflict or absent."""
    require_write_access(by)
    if choice not in VoteChoice.values:
        raise ValidationError("请选择赞成、反对或弃权。")
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if not may_write_as(by, Role.COMMITTEE):
            raise WorkflowError("只有学术委员会委员可以表决。", code="role")
        if locked.status != MeetingStatus.OPEN:
            raise WorkflowError("会议表决已结束。", code="state")
        if not locked.members_present.filter(pk=by.pk).exists():
            raise WorkflowError("您不在本次会议的出席委员名单中，不能表决。", code="absent")
        present = locked.members_present.count()
        if present < locked.quorum:
            raise WorkflowError(f"出席委员 {present} 人，不足法定人数 {locked.quorum} 人，不能表决。", code="quorum")
        app = Application.objects.get(pk=application.pk)
        if not locked.agenda.filter(pk=app.pk).exists():
            raise WorkflowError("该申报不在本次会议议程中。", code="agenda")
        if Revote.objects.filter(application=app, earlier_meeting=locked).exists():
            raise WorkflowError("该事项已办理「重新表决」，本次会议不再对其表决。", code="revote")
        if app.status != S.REVIEWED:
            raise WorkflowError(f"该申报处于「{app.get_status_display()}」状态，不能表决。", code="state")
        if message := conflicts.voter_conflict(app, by):
            raise WorkflowError(message, code="conflict")
        try:
            with transaction.atomic():
                vote = Vote.objects.create(meeting=locked, application=app, member=by, choice=choice)
        except IntegrityError:
            raise WorkflowError("您已对该申报表决，不能重复投票。", code="duplicate") from None
        log_action(actor=by, action="applications.vote.cast", obj=vote, after={"application": app.pk, "choice": choice})
    return vote


def close_meeting(meeting, *, by, minutes=""):
    """Close the vote and record the committee's decision on every agenda item (→ 建议名单 or 未通过).

    Refused (nothing changes) while any item lacks a valid vote (quorum present and voting).
    Returns {application_pk: Tally}.
    """
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以结束表决。", code="role")
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.OPEN:
            raise WorkflowError("会议表决已结束。", code="state")
        present = locked.members_present.count()
        set_aside = Revote.objects.filter(earlier_meeting=locked).values("application_id")
        agenda = list(locked.agenda.filter(status=S.REVIEWED).exclude(pk__in=set_aside).order_by("pk"))
        results = {app.pk: tally(locked, app.pk, present) for app in agenda}
        invalid = [f"「{app}」：{results[app.pk].reason}" for app in agenda if not results[app.pk].valid]
        if invalid:
            raise WorkflowError("表决无效，不能结束会议：" + "；".join(invalid), code="quorum")
        for app in agenda:
            r = results[app.pk]
            note = f"学术委员会「{locked.title}」表决：出席 {r.present} 人，赞成 {r.votes_for}，反对 {r.votes_against}，弃权 {r.votes_abstain}。"
            transition(app, S.PROPOSED if r.passed else S.REJECTED, by=by, note=note)
        CommitteeMeeting.objects.filter(pk=locked.pk).update(
            status=MeetingStatus.CLOSED, minutes=(minutes or locked.minutes).strip()
        )
        log_action(
            actor=by,
            action="applications.meeting.closed",
            obj=locked,
            after={
                str(pk): {"passed": r.passed, "for": r.votes_for, "present": r.present} for pk, r in results.items()
            },
        )
    return results


def open_meeting_of(applications):
    """[(application, meeting)] for each application already on an open meeting that still decides it."""
    pks = [a.pk for a in applications]
    through = CommitteeMeeting.agenda.through.objects.filter(
        application_id__in=pks, committeemeeting__status=MeetingStatus.OPEN
    ).select_related("committeemeeting")
    set_aside = set(Revote.objects.filter(application_id__in=pks).values_list("application_id", "earlier_meeting_id"))
    by_pk = {a.pk: a for a in applications}
    return [
        (by_pk[row.application_id], row.committeemeeting)
        for row in through.order_by("application_id", "committeemeeting_id")
        if (row.application_id, row.committeemeeting_id) not in set_aside
    ]


def revote(meeting, application, *, by, reason):
    """重新表决: set one agenda item of an open meeting aside, with a reason, so it can be put on a new meeting. The
    votes already cast stay on the earlier meeting (shown on the application and the meeting); they no longer decide."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以办理重新表决。", code="role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请说明重新表决的理由。")
    if len(reason) > 500:
        raise ValidationError("重新表决的理由不能超过 500 字。")
    _refuse_control_characters({"reason": reason})  # the page posts raw text (NUL: a 500 on PostgreSQL)
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.OPEN:
            raise WorkflowError(
                f"会议「{locked.title}」{locked.get_status_display()}，只能对表决中的会议办理重新表决。", code="state"
            )
        app = Application.objects.get(pk=application.pk)
        if not locked.agenda.filter(pk=app.pk).exists():
            raise WorkflowError("该申报不在本次会议议程中。", code="agenda")
        if app.status != S.REVIEWED:
            raise WorkflowError(f"该申报处于「{app.get_status_display()}」状态，不能重新表决。", code="state")
        try:
            with transaction.atomic():
                row = Revote.objects.create(application=app, earlier_meeting=locked, reason=reason, requested_by=by)
        except IntegrityError:
            raise WorkflowError("该事项已办理重新表决。", code="duplicate") from None
        earlier = tally(locked, app.pk)
        log_action(
            actor=by,
            action="applications.meeting.revote_requested",
            obj=locked,
            after={
                "application": app.pk,
                "earlier_tally": {
                    "present": earlier.present,
                    "for": earlier.votes_for,
                    "against": earlier.votes_against,
                    "abstain": earlier.votes_abstain,
                },
            },
            note=reason,
        )
    return row


def cancel_meeting(meeting, *, by, reason):
    """取消会议: an open meeting that can never reach its quorum (fewer members present than the quorum) or where
    nobody has voted yet is cancelled with a reason; its agenda items may then go on a new meeting. Once members have
    voted, a meeting is not cancelled to get another result: set the item aside with 重新表决 (reason, both tallies
    kept)."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以取消会议。", code="role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请说明取消会议的原因。")
    if len(reason) > 500:
        raise ValidationError("取消原因不能超过 500 字。")
    _refuse_control_characters({"reason": reason})
    with transaction.atomic():
        locked = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.OPEN:
            raise WorkflowError(f"会议「{locked.title}」{locked.get_status_display()}，不能取消。", code="state")
        present = locked.members_present.count()
        votes = Vote.objects.filter(meeting=locked).count()
        if present >= locked.quorum and votes:
            raise WorkflowError(
                f"已有 {votes} 张表决票，且出席人数达到法定人数，不能取消会议；如需重新表决，请对相关事项办理「重新表决」并说明理由。",
                code="votes",
            )
        CommitteeMeeting.objects.filter(pk=locked.pk, status=MeetingStatus.OPEN).update(
            status=MeetingStatus.CANCELLED, cancel_reason=reason
        )
        log_action(
            actor=by,
            action="applications.meeting.cancelled",
            obj=locked,
            before={"status": MeetingStatus.OPEN},
            after={"status": MeetingStatus.CANCELLED, "present": present, "quorum": locked.quorum, "votes": votes},
            note=reason,
        )
    locked.refresh_from_db()
    return locked
