"""Writes of 年度考核. Each takes `by=`, runs in one transaction, checks the permission (evaluation.permissions),
and leaves an audit event; status changes go through core.workflow.transition (evaluation/workflow.py).

The round row is the lock: every write on a round or its scorecards locks it first (SELECT … FOR UPDATE; BEGIN
IMMEDIATE on SQLite), so an adjustment and a submission, or two confirmations, run one after the other and the second
sees the first's result (refused when the round has moved on).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import can, headed_department_ids, is_read_only
from core.audit import log_action
from core.forms import clean_text
from core.notifications import notify
from core.workflow import transition
from news.services import post_system_notice
from plans.enums import PlanKind, PlanStatus
from plans.indicators import _PROVIDED, REGISTRY, countable_q, provided_records
from plans.models import Plan
from studios.enums import StudioStatus
from studios.models import Membership, Studio
from studios.services import revoke_studio

from . import scoring, votes
from .enums import Grade, RoundStatus, VoteDecision
from .models import (
    Adjustment,
    EvaluationMeeting,
    EvaluationRound,
    EvaluationVote,
    EvaluatorAssignment,
    Scorecard,
    SupportFlag,
)
from .permissions import is_committee, is_organiser

TEXT_LIMITS = {"basis": 1000, "reason": 1000}


def _require_organiser(by):
    if not is_organiser(by):
        raise PermissionDenied("只有发展改革研究室可以组织年度考核。")


def _lock(round_or_id):
    pk = getattr(round_or_id, "pk", round_or_id)
    return EvaluationRound.objects.select_for_update().get(pk=pk)


def _require_open(round_, *, evaluating=False):
    if evaluating and round_.status != RoundStatus.EVALUATING:
        raise ValidationError(f"本轮考核当前为「{round_.get_status_display()}」，不能修改评分。")
    if not round_.is_open:
        raise ValidationError(f"本轮考核当前为「{round_.get_status_display()}」，不能修改。")


def round_studios(year):
    """The studios of a round for `year`: active studios approved by 31 December of that year."""
    return Studio.objects.filter(status=StudioStatus.ACTIVE, approved_on__lte=dt.date(year, 12, 31))


# --- rounds --------------------------------------------------------------------------------------------------------


def create_round(*, by, year, due_on, title="", note=""):
    """发改室 opens 年度考核 of `year`: the studio list is taken now (a snapshot) and a scorecard created per studio."""
    _require_organiser(by)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写考核年度。"}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "考核年度须在2000至2100之间。"})
    if not isinstance(due_on, dt.date):
        raise ValidationError({"due_on": "请填写评分截止日期。"})
    title = clean_text(title, "title", "名称", required=False, max_length=100) or f"{year}年度技能大师工作室考核"
    note = clean_text(note, "note", "说明", required=False, max_length=2000)
    with transaction.atomic():
        if EvaluationRound.objects.filter(year=year).exists():
            raise ValidationError({"year": f"{year}年度考核已经建立，不能重复建立。"})
        round_ = EvaluationRound.objects.create(year=year, title=title, due_on=due_on, created_by=by, note=note)
        studio_ids = list(round_studios(year).order_by("pk").values_list("pk", flat=True))
        Scorecard.objects.bulk_create((Scorecard(round=round_, studio_id=sid) for sid in studio_ids), batch_size=1000)
        log_action(
            actor=by,
            action="evaluation.round.created",
            obj=round_,
            after={"year": year, "due_on": str(due_on), "studios": len(studio_ids)},
        )
    return round_


def recompute(round_, *, by=None, audit=True):
    """Refresh every scorecard of an open round (scoring.evaluate: one indicator statement for the round). A confirmed
    or submitted round is never recomputed — its scorecards are what was proposed and confirmed."""
    with transaction.atomic():
        locked = _lock(round_)
        _require_open(locked)
        results = _store(locked)
        if audit:
            log_action(actor=by, action="evaluation.round.recomputed", obj=locked, after={"scorecards": len(results)})
    return results


def _store(locked):
    results = scoring.evaluate(locked)
    _write_results(results)
    now = timezone.now()
    EvaluationRound.objects.filter(pk=locked.pk).update(computed_at=now)
    locked.computed_at = now
    return results


STORED = ("total", "suggested_grade", "vetoes", "grade_note", "lines")


def _write_results(results):
    _update_rows(STORED, [(r.scorecard_id, (r.total, r.suggested, r.vetoes, r.note, r.lines)) for r in results])


def _update_rows(names, rows):
    """One UPDATE per scorecard sent with executemany (a bulk_update's CASE over hundreds of JSON values cost seconds
    at 2,000 studios); the values are prepared by the model fields, so JSON is JSON on both databases.
    rows: [(scorecard id, values in the order of names)]."""
    fields = [Scorecard._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(Scorecard._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    params = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)] + [pk]
              for pk, values in rows]  # fmt: skip
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608 - quoted model identifiers
        cursor.executemany(sql, params)


def start_round(round_, *, by):
    """开始评分: the round moves to 评分中 and every scorecard is computed."""
    with transaction.atomic():
        moved = transition(round_, RoundStatus.EVALUATING, by=by)
        _store(moved)
    return moved


def record_falsification(scorecard, *, by, reason):
    """发改室's 弄虚作假 veto (R13) on a scorecard, with its reason (empty reason: refused). Nothing else in the platform
    records falsified material of an approved studio, so the veto is recorded here."""
    _require_organiser(by)
    reason = clean_text(reason, "reason", "弄虚作假认定理由")
    with transaction.atomic():
        locked = _lock(scorecard.round_id)
        _require_open(locked)
        Scorecard.objects.filter(pk=scorecard.pk).update(falsified_reason=reason)
        log_action(actor=by, action="evaluation.scorecard.falsified", obj=scorecard, after={"reason": reason})
        _store(locked)
    return Scorecard.objects.get(pk=scorecard.pk)


# --- evaluators ---------------------------------------------------------------------------------------------------


def conflict_message(user, studio):
    """Why `user` may not evaluate `studio` (Chinese), or None: no master or member (present or past) of the studio,
    nobody of its department (the department's staff and its head)."""
    name = user.display_name or user.username
    if studio.master_id == user.pk or Membership.objects.filter(studio_id=studio.pk, user_id=user.pk).exists():
        return f"{name}是「{studio.official_name}」的技能大师或成员，须回避，不能担任该工作室的评分人。"
    if user.department_id == studio.department_id or studio.department_id in headed_department_ids(user):
        return f"{name}与「{studio.official_name}」同属一个系部，须回避，不能担任该工作室的评分人。"
    return None


def assign_evaluator(scorecard, *, by, evaluator):
    """Assign an evaluator to one scorecard; refused in Chinese for a conflict of interest."""
    _require_organiser(by)
    if not evaluator.is_active or is_read_only(evaluator):
        raise ValidationError({"evaluator": "该用户不能担任评分人（已停用或为只读角色）。"})
    with transaction.atomic():
        locked = _lock(scorecard.round_id)
        _require_open(locked)
        studio = Studio.objects.get(pk=scorecard.studio_id)
        message = conflict_message(evaluator, studio)
        if message:
            raise ValidationError({"evaluator": message})
        assignment, created = EvaluatorAssignment.objects.get_or_create(
            scorecard_id=scorecard.pk, evaluator=evaluator, defaults={"assigned_by": by}
        )
        if created:
            log_action(
                actor=by,
                action="evaluation.scorecard.evaluator_assigned",
                obj=scorecard,
                after={"evaluator": evaluator.pk},
            )
    return assignment


def assign_to_round(round_, *, by, evaluator):
    """Assign `evaluator` to every scorecard of the round without a conflict; returns (assigned, skipped studios)."""
    _require_organiser(by)
    if not evaluator.is_active or is_read_only(evaluator):
        raise ValidationError({"evaluator": "该用户不能担任评分人（已停用或为只读角色）。"})
    with transaction.atomic():
        locked = _lock(round_)
        _require_open(locked)
        cards = Scorecard.objects.filter(round=locked).select_related("studio")
        member_of = set(Membership.objects.filter(user_id=evaluator.pk).values_list("studio_id", flat=True))
        heads = headed_department_ids(evaluator)
        assigned, skipped = [], []
        for card in cards:
            s = card.studio
            if (
                s.master_id == evaluator.pk
                or s.pk in member_of
                or s.department_id == evaluator.department_id
                or s.department_id in heads
            ):
                skipped.append(s.official_name)
            else:
                assigned.append(card.pk)
        existing = set(
            EvaluatorAssignment.objects.filter(scorecard__round=locked, evaluator=evaluator).values_list(
                "scorecard_id", flat=True
            )
        )
        EvaluatorAssignment.objects.bulk_create(
            (EvaluatorAssignment(scorecard_id=pk, evaluator=evaluator, assigned_by=by) for pk in assigned
             if pk not in existing),
            batch_size=1000,
        )  # fmt: skip
        log_action(
            actor=by,
            action="evaluation.round.evaluator_assigned",
            obj=locked,
            after={"evaluator": evaluator.pk, "scorecards": len(assigned), "skipped": len(skipped)},
        )
    return assigned, skipped


# --- adjustments --------------------------------------------------------------------------------------------------


def adjust(scorecard, *, by, indicator_key, score, basis):
    """An evaluator's (or 发改室's) adjusted score for one indicator, with its written basis; between 0 and the
    indicator's weight. The round is recomputed (the 优秀 cap depends on every total)."""
    basis = clean_text(basis, "basis", "评分依据")
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": "请填写调整后的得分（数字）。"}) from None
    if not value.is_finite():
        raise ValidationError({"score": "请填写调整后的得分（数字）。"})
    with transaction.atomic():
        locked = _lock(scorecard.round_id)
        _require_open(locked, evaluating=True)
        card = Scorecard.objects.select_related("round").get(pk=scorecard.pk)
        if not can(by, "adjust", card):
            raise PermissionDenied("只有本评分表的评分人或发展改革研究室可以调整评分。")
        line = next((li for li in card.lines if li["key"] == indicator_key), None)
        if line is None:
            raise ValidationError({"indicator_key": "该指标不在本年度指标体系中。"})
        weight = Decimal(line["weight"])
        if value < 0 or value > weight:
            raise ValidationError({"score": f"「{line['name']}」的得分须在 0 至 {weight} 之间。"})
        value = scoring.q2(value)
        adjustment = Adjustment.objects.create(
            scorecard=card,
            indicator_key=indicator_key,
            computed_score=Decimal(line["computed"]) if line["computed"] is not None else None,
            score=value,
            basis=basis,
            by=by,
        )
        log_action(
            actor=by,
            action="evaluation.scorecard.adjusted",
            obj=card,
            before={"indicator": indicator_key, "score": line["score"], "computed": line["computed"]},
            after={"indicator": indicator_key, "score": str(value)},
            note=basis,
        )
        _store(locked)
    return adjustment


# --- submission, meeting, confirmation ---------------------------------------------------------------------------


def submit_round(round_, *, by, note=""):
    """发改室 submits the proposed grades: the round is recomputed (the annual-report veto is judged now), each
    scorecard's proposed grade is its suggested grade, and the round goes to the committee."""
    with transaction.atomic():
        locked = _lock(round_)
        if locked.status == RoundStatus.EVALUATING:
            _store(locked)
        moved = transition(locked, RoundStatus.SUBMITTED, by=by, note=note, changes={"submitted_at": timezone.now()})
        for grade in Grade.values:
            Scorecard.objects.filter(round=moved, suggested_grade=grade).update(
                proposed_grade=grade, confirmed_grade="", grade_reason=""
            )
    return moved


def return_round(round_, *, by, reason):
    """The committee returns the round to 发改室 (reason required); proposed grades are cleared."""
    with transaction.atomic():
        moved = transition(round_, RoundStatus.EVALUATING, by=by, note=reason)
        Scorecard.objects.filter(round=moved).update(proposed_grade="", confirmed_grade="", grade_reason="")
    return moved


def record_meeting(round_, *, by, held_on, members, minutes=""):
    """学术委员会认定会议: who of the committee is present (quorum: more than half of the committee's members)."""
    if not is_committee(by):
        raise PermissionDenied("只有学术委员会委员可以登记认定会议。")
    if not isinstance(held_on, dt.date):
        raise ValidationError({"held_on": "请填写会议日期。"})
    minutes = clean_text(minutes, "minutes", "会议纪要", required=False, max_length=5000)
    committee = User.objects.filter(role_assignments__role=Role.COMMITTEE, is_active=True).distinct()
    member_ids = {m.pk if hasattr(m, "pk") else int(m) for m in members}
    known = set(committee.filter(pk__in=member_ids).values_list("pk", flat=True))
    if member_ids - known:
        raise ValidationError({"members": "出席委员须为学术委员会委员。"})
    if not member_ids:
        raise ValidationError({"members": "请选择出席的委员。"})
    with transaction.atomic():
        locked = _lock(round_)
        if locked.status != RoundStatus.SUBMITTED:
            raise ValidationError("本轮考核尚未提交学术委员会认定，不能登记认定会议。")
        meeting = EvaluationMeeting.objects.create(
            round=locked,
            held_on=held_on,
            committee_size=committee.count(),
            minutes=minutes,
            created_by=by,
            grades_fingerprint=votes.fingerprint(locked.pk),
        )
        meeting.members_present.set(member_ids)
        log_action(
            actor=by,
            action="evaluation.round.meeting",
            obj=locked,
            after={"meeting": meeting.pk, "present": sorted(member_ids), "committee": meeting.committee_size},
        )
        # the members present are told a vote awaits them; after commit, so a refused meeting notifies nobody
        present = list(User.objects.filter(pk__in=member_ids))
        transaction.on_commit(lambda: _notify_voters(locked, meeting, present))
    return meeting


def _notify_voters(round_, meeting, members):
    notify(
        members,
        title=f"{round_}：请对拟定考核等级表决",
        body=f"您被列为 {meeting.held_on:%Y-%m-%d} 认定会议的出席委员。请在考核页查看拟定等级并表决（同意或不同意）。",
        url=reverse("evaluation:round", args=[round_.pk]),
    )


def cast_vote(round_, *, by, decision, reason=""):
    """A committee member present at the round's latest meeting votes on the grades: 同意, or 不同意 with a reason
    (which may name the studios and grades disputed). One vote per member per meeting, never changed; only while the
    round awaits the committee and the grades are those the meeting was recorded on."""
    if not is_committee(by):
        raise PermissionDenied("只有学术委员会委员可以表决。")
    if decision not in VoteDecision.values:
        raise ValidationError({"decision": "请选择同意或不同意。"})
    reason = clean_text(reason, "reason", "理由", required=False, max_length=2000)
    if decision == VoteDecision.DISAGREE and not reason:
        raise ValidationError({"reason": "选择「不同意」须填写理由（可写明对哪些工作室的哪个等级有异议）。"})
    with transaction.atomic():
        locked = _lock(round_)
        if locked.status != RoundStatus.SUBMITTED:
            raise ValidationError(
                f"本轮考核当前为「{locked.get_status_display()}」，不在待学术委员会认定状态，不能表决。"
            )
        meeting = votes.latest_meeting(locked.pk)
        if meeting is None:
            raise ValidationError("尚未登记认定会议，不能表决。")
        if not meeting.members_present.filter(pk=by.pk).exists():
            raise ValidationError("您不在本次认定会议的出席委员名单中，不能表决。")
        if meeting.grades_fingerprint != votes.fingerprint(locked.pk):
            raise ValidationError("认定会议登记后考核等级有变动，本次会议的表决不再有效，请重新登记认定会议后表决。")
        if EvaluationVote.objects.filter(meeting=meeting, member=by).exists():
            raise ValidationError("您已在本次认定会议表决，表决一经投出不能更改。")
        try:
            with transaction.atomic():
                vote = EvaluationVote.objects.create(meeting=meeting, member=by, decision=decision, reason=reason)
        except IntegrityError:
            raise ValidationError("您已在本次认定会议表决，表决一经投出不能更改。") from None
        log_action(
            actor=by,
            action="evaluation.round.vote_cast",
            obj=locked,
            after={"meeting": meeting.pk, "vote": vote.pk, "decision": decision},
            note=reason,
        )
    return vote


def decide_grade(scorecard, *, by, grade, reason=""):
    """A committee member's decision on one scorecard before the confirmation: the grade the committee gives it,
    with a reason when it differs from 发改室's proposed grade. confirm_round takes these decisions."""
    if not is_committee(by):
        raise PermissionDenied("只有学术委员会委员可以认定考核等级。")
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择认定等级。"})
    reason = clean_text(reason, "reason", "认定理由", required=False)
    with transaction.atomic():
        locked = _lock(scorecard.round_id)
        if locked.status != RoundStatus.SUBMITTED:
            raise ValidationError("本轮考核当前不在待学术委员会认定状态，不能认定等级。")
        card = Scorecard.objects.select_related("studio").get(pk=scorecard.pk)
        if grade != card.proposed_grade and not reason:
            raise ValidationError({"reason": f"改为「{Grade(grade).label}」须填写理由。"})
        Scorecard.objects.filter(pk=card.pk).update(confirmed_grade=grade, grade_reason=reason)
        log_action(
            actor=by,
            action="evaluation.scorecard.grade_decided",
            obj=card,
            before={"proposed": card.proposed_grade},
            after={"grade": grade},
            note=reason,
        )
    return Scorecard.objects.get(pk=scorecard.pk)


def _evidence(round_, studio_ids):
    """{studio_id: {indicator key: [record ids]}} behind each enabled indicator's actual (the frozen click-through)."""
    year = round_.year
    result = {sid: {} for sid in studio_ids}
    for key, comp in REGISTRY.items():
        if not comp.enabled:
            continue
        if key in _PROVIDED:
            rows = provided_records(key, list(studio_ids), year)  # one query for the round's studios
            if rows is not None:
                for sid, pk in rows.order_by("studio_id", "pk").values_list("studio_id", "pk"):
                    result[sid].setdefault(key, []).append(pk)
            continue
        if comp.model is None:
            continue
        rows = (
            comp.model.objects.filter(countable_q(comp.model), comp.condition(year), studio_id__in=studio_ids)
            .order_by("studio_id", "pk")
            .values_list("studio_id", "pk")
        )
        for sid, pk in rows:
            result[sid].setdefault(key, []).append(pk)
    return result


def _plan_versions(studio_ids, year):
    rows = (
        Plan.objects.filter(studio_id__in=studio_ids, status=PlanStatus.APPROVED)
        .filter(Q(kind=PlanKind.ANNUAL, year=year) | Q(kind=PlanKind.CONSTRUCTION, year__lte=year))
        .order_by("kind", "year")
        .values_list("studio_id", "kind", "pk", "version", "year", "term_years")
    )
    result = {}
    for sid, kind, pk, version, start, term in rows:
        if kind == PlanKind.CONSTRUCTION and start + term - 1 < year:
            continue
        if kind == PlanKind.ANNUAL or sid not in result or result[sid]["kind"] != PlanKind.ANNUAL:
            result[sid] = {"kind": str(kind), "plan_id": pk, "version": version}
    return result


def confirm_round(round_, *, by, decisions=None, note=""):
    """学术委员会认定: each scorecard's confirmed grade is the proposed one unless `decisions` {scorecard_id: (grade,
    reason)} changes it — a change needs its reason. In the same transaction as the move: every scorecard is frozen
    (snapshot with targets, actuals, scores, evidence record ids and the plan version), 不合格 studios are revoked
    (studios.services.revoke_studio), 优秀 studios get their support flag; after commit the studios are notified
    and the results notice is posted (news)."""
    decisions = {int(k): v for k, v in (decisions or {}).items()}
    with transaction.atomic():
        # the round row first: a vote being cast (cast_vote locks it too) is counted or refused, never half-seen
        _lock(round_)
        moved = transition(round_, RoundStatus.CONFIRMED, by=by, note=note, changes={"confirmed_at": timezone.now()})
        cards = list(Scorecard.objects.filter(round=moved).select_related("studio").order_by("pk"))
        known = {c.pk for c in cards}
        if set(decisions) - known:
            raise ValidationError("认定意见中有不属于本轮考核的评分表。")
        now = timezone.now()
        studio_ids = [c.studio_id for c in cards]
        evidence = _evidence(moved, studio_ids)
        plans = _plan_versions(studio_ids, moved.year)
        changed = {}
        for card in cards:
            # a decision recorded on the scorecard (decide_grade) stands unless `decisions` overrides it
            grade, reason = card.confirmed_grade or card.proposed_grade or card.suggested_grade, card.grade_reason
            if grade != (card.proposed_grade or card.suggested_grade):
                changed[card.pk] = (card.proposed_grade, grade)
            if card.pk in decisions:
                new, reason = decisions[card.pk]
                reason = clean_text(reason, "reason", "认定理由", required=False)
                if new not in Grade.values:
                    raise ValidationError(f"「{card.studio.official_name}」的认定等级无效。")
                if new != grade:
                    # the committee voted on the grades as they were: a change now would confirm an unvoted grade
                    raise ValidationError(
                        f"「{card.studio.official_name}」的等级与表决时不同：请先在评分表上认定等级，"
                        "再重新登记认定会议并表决。"
                    )
                if new != (card.proposed_grade or card.suggested_grade):
                    if not reason:
                        raise ValidationError(
                            f"请填写「{card.studio.official_name}」改为「{Grade(new).label}」的理由。"
                        )
                    changed[card.pk] = (card.proposed_grade, new)
                grade = new
            card.confirmed_grade, card.grade_reason, card.frozen_at = grade, reason, now
            card.snapshot = {
                "year": moved.year,
                "total": None if card.total is None else str(card.total),
                "suggested_grade": card.suggested_grade,
                "proposed_grade": card.proposed_grade,
                "confirmed_grade": grade,
                "vetoes": card.vetoes,
                "lines": card.lines,
                "evidence": evidence.get(card.studio_id, {}),
                "plan": plans.get(card.studio_id),
                "frozen_at": now.isoformat(),
            }
        _update_rows(
            ("confirmed_grade", "grade_reason", "frozen_at", "snapshot"),
            [(c.pk, (c.confirmed_grade, c.grade_reason, c.frozen_at, c.snapshot)) for c in cards],
        )
        meeting = votes.latest_meeting(moved.pk)
        counted = votes.tally(meeting)
        log_action(
            actor=by,
            action="evaluation.round.grades_confirmed",
            obj=moved,
            after={
                "grades": {str(c.pk): c.confirmed_grade for c in cards},
                "changed": {str(k): list(v) for k, v in changed.items()},
                "meeting": meeting.pk,
                "votes": {"present": counted.present, "agree": counted.agree, "disagree": counted.disagree},
            },
            note=note,
        )
        for card in cards:
            if card.confirmed_grade == Grade.FAIL and card.studio.status == StudioStatus.ACTIVE:
                revoke_studio(
                    card.studio,
                    by=by,
                    reason=f"{moved.year}年度考核结果为不合格（学术委员会认定），予以撤销，终止工作室项目工作。",
                )
            elif card.confirmed_grade == Grade.EXCELLENT:
                SupportFlag.objects.get_or_create(studio_id=card.studio_id, year=moved.year, defaults={"round": moved})
        post_system_notice(
            title=f"{moved.year}年度技能大师工作室考核结果",
            body=results_text(moved, cards),
            source=f"evaluation.round:{moved.pk}",
            by=by,
        )
        transaction.on_commit(lambda: _notify_studios(moved, cards))
    return moved


def results_text(round_, cards):
    counts = dict.fromkeys(Grade.values, 0)
    for c in cards:
        counts[c.confirmed_grade] = counts.get(c.confirmed_grade, 0) + 1
    parts = "，".join(f"{Grade(g).label} {n} 个" for g, n in counts.items())
    excellent = "、".join(c.studio.official_name for c in cards if c.confirmed_grade == Grade.EXCELLENT)
    text = f"经学术委员会认定，{round_.year}年度参加考核的技能大师工作室共 {len(cards)} 个：{parts}。"
    if excellent:
        text += f"考核优秀（重点扶持）：{excellent}。"
    return text


def _notify_studios(round_, cards):
    masters = User.objects.in_bulk([c.studio.master_id for c in cards])
    for card in cards:
        master = masters.get(card.studio.master_id)
        if master is None:
            continue
        notify(
            [master],
            title=f"{round_.year}年度考核结果：{Grade(card.confirmed_grade).label}",
            body=f"「{card.studio.official_name}」{round_.year}年度考核结果为{Grade(card.confirmed_grade).label}。",
            url=reverse("evaluation:scorecard", args=[card.pk]),
        )
