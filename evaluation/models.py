"""年度考核 (R19–R21): a round per year organised by 发改室, one scorecard per studio of the round (a snapshot list
taken when the round is created), evaluators assigned per scorecard, adjustments with a written basis, the committee
meeting that confirms the grades, and the 优秀 support flag.

Scorecards hold the last computation (`lines`, JSON) and its total and suggested grade; `compute_round` refreshes
them with ONE indicator statement for the whole round while the round is open. Confirmation freezes them
(`frozen_at`, `snapshot`): a confirmed scorecard is never recomputed.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel

from .enums import Grade, RoundStatus, VoteDecision

SCORE = {"max_digits": 6, "decimal_places": 2}


class EvaluationRound(TimestampedModel):
    """年度考核 of one year (the year evaluated; the round runs early the next year)."""

    year = models.PositiveIntegerField(
        "考核年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("名称", max_length=100)
    status = models.CharField(
        "状态", max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT, db_index=True
    )
    due_on = models.DateField("评分截止日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="组织人"
    )
    computed_at = models.DateTimeField("最近计算时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交认定时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("认定时间", null=True, blank=True)
    note = BoundedTextField("说明", max_length=2000, blank=True)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year"]

    def __str__(self):
        return self.title or f"{self.year}年度考核"

    @property
    def is_open(self):
        return self.status in (RoundStatus.DRAFT, RoundStatus.EVALUATING)


class Scorecard(models.Model):
    """One studio's 考核评分表 in a round."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="scorecards", verbose_name="年度考核"
    )
    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="scorecards", verbose_name="工作室"
    )
    total = models.DecimalField("总分", **SCORE, null=True, blank=True)
    suggested_grade = models.CharField("建议等级", max_length=10, choices=Grade.choices, blank=True)
    proposed_grade = models.CharField("发改室拟定等级", max_length=10, choices=Grade.choices, blank=True)
    confirmed_grade = models.CharField("认定等级", max_length=10, choices=Grade.choices, blank=True)
    grade_reason = BoundedTextField("认定理由", max_length=1000, blank=True)
    vetoes = models.JSONField("否决/限定事项", default=list, blank=True)
    grade_note = BoundedTextField("等级说明", max_length=1000, blank=True)
    falsified_reason = BoundedTextField("弄虚作假认定理由", max_length=1000, blank=True)
    lines = models.JSONField("逐项得分", default=list, blank=True)
    snapshot = models.JSONField("认定时快照", default=dict, blank=True)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核评分表"
        verbose_name_plural = "考核评分表"
        ordering = ["round_id", "-total", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "studio"], name="scorecard_once_per_round")]
        indexes = [models.Index(fields=["round", "id"], name="scorecard_round_id")]

    def __str__(self):
        return f"考核评分表 #{self.pk}"


class EvaluatorAssignment(models.Model):
    """An evaluator (评分人) assigned to a scorecard; no member/master of the studio, no one from its department."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="assignments", verbose_name="评分表"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_assignments", verbose_name="评分人"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="指派人"
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分指派"
        verbose_name_plural = "评分指派"
        ordering = ["scorecard_id", "id"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "evaluator"], name="evaluator_once_per_scorecard")]

    def __str__(self):
        return f"评分指派 #{self.pk}"


class Adjustment(models.Model):
    """An evaluator's adjusted score for one indicator, with its written basis (评分依据). The newest per indicator
    counts; the computed score stays visible beside it."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="adjustments", verbose_name="评分表"
    )
    indicator_key = models.SlugField("指标代码", max_length=40)
    computed_score = models.DecimalField("计算得分", **SCORE, null=True, blank=True)
    score = models.DecimalField("调整后得分", **SCORE)
    basis = BoundedTextField("评分依据", max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="调整人")
    at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分调整"
        verbose_name_plural = "评分调整"
        ordering = ["scorecard_id", "indicator_key", "-id"]

    def __str__(self):
        return f"{self.indicator_key}: {self.score}"


class EvaluationMeeting(models.Model):
    """学术委员会认定会议 of a round: the members present; confirmation needs more than half of the committee."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="meetings", verbose_name="年度考核"
    )
    held_on = models.DateField("会议日期")
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="出席委员")
    committee_size = models.PositiveSmallIntegerField("委员总数")
    minutes = BoundedTextField("会议纪要", max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    # evaluation.votes.fingerprint() of the round's grades when the meeting was recorded: the votes count only while
    # the grades are still these (a later decide_grade sets them aside; the meeting is then re-held)
    grades_fingerprint = models.CharField("表决所依据的等级指纹", max_length=64, blank=True)

    class Meta:
        verbose_name = "考核认定会议"
        verbose_name_plural = "考核认定会议"
        ordering = ["round_id", "-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} 考核认定会议"


class EvaluationVote(models.Model):
    """One committee member's vote at a meeting on the round's grades (同意 / 不同意 with a reason naming what he
    disputes). One per member per meeting; immutable once cast (a meeting is re-held instead)."""

    meeting = models.ForeignKey(
        EvaluationMeeting, on_delete=models.CASCADE, related_name="votes", verbose_name="认定会议"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_votes", verbose_name="委员"
    )
    decision = models.CharField("表决意见", max_length=10, choices=VoteDecision.choices)
    reason = BoundedTextField("理由", max_length=2000, blank=True)
    cast_at = models.DateTimeField("表决时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核认定表决"
        verbose_name_plural = "考核认定表决"
        ordering = ["meeting_id", "cast_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="evaluation_vote_once_per_member")]

    def __str__(self):
        return f"考核认定表决 #{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("表决一经投出不能修改。")
        super().save(*args, **kwargs)


class SupportFlag(models.Model):
    """优秀 → 大力扶持 (R21): the studio is flagged for strong support in the next stage."""

    studio = models.ForeignKey(
        "studios.Studio", on_delete=models.PROTECT, related_name="support_flags", verbose_name="工作室"
    )
    year = models.PositiveIntegerField("考核年度")
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="+", verbose_name="年度考核")
    created_at = models.DateTimeField("标记时间", auto_now_add=True)

    class Meta:
        verbose_name = "重点扶持标记"
        verbose_name_plural = "重点扶持标记"
        ordering = ["-year", "studio_id"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="support_flag_once_per_year")]

    def __str__(self):
        return f"{self.year}年度考核优秀，重点扶持"
