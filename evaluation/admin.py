"""年度考核 in the admin: read-only. Rounds, scorecards, adjustments, meetings, votes and support flags are written through
evaluation/services.py (permission, workflow, audit, frozen snapshots)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Adjustment,
    EvaluationMeeting,
    EvaluationRound,
    EvaluationVote,
    EvaluatorAssignment,
    Scorecard,
    SupportFlag,
)


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status", "due_on"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["round", "studio", "total", "suggested_grade", "confirmed_grade"]
    list_select_related = ["round", "studio"]


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["scorecard", "evaluator", "assigned_at"]
    list_select_related = ["scorecard", "evaluator"]


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["scorecard", "indicator_key", "score", "by", "at"]
    list_select_related = ["scorecard", "by"]


@admin.register(EvaluationMeeting)
class EvaluationMeetingAdmin(ReadOnlyAdmin):
    list_display = ["round", "held_on", "committee_size"]
    list_select_related = ["round"]


@admin.register(EvaluationVote)
class EvaluationVoteAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "member", "decision", "cast_at"]
    list_select_related = ["meeting", "member"]


@admin.register(SupportFlag)
class SupportFlagAdmin(ReadOnlyAdmin):
    list_display = ["studio", "year", "created_at"]
    list_select_related = ["studio"]
