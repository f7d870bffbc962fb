"""Choices of the plans app (建设方案与指标), Chinese labels."""

from django.db import models


class PlanKind(models.TextChoices):
    CONSTRUCTION = "construction", "建设方案"
    ANNUAL = "annual", "年度工作计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待系部审核"
    DEPT_REVIEWED = "dept_reviewed", "待教学工作部审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "已批准"
    SUPERSEDED = "superseded", "已被新版本取代"


# States in which the plan's content may still be edited by the studio.
EDITABLE_STATES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
# States of a plan waiting for somebody's review.
REVIEW_STATES = frozenset({PlanStatus.SUBMITTED, PlanStatus.DEPT_REVIEWED})
