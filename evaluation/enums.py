"""Choices of the evaluation app (年度考核), Chinese labels."""

from django.db import models


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "准备中"
    EVALUATING = "evaluating", "评分中"
    SUBMITTED = "submitted", "待学术委员会认定"
    CONFIRMED = "confirmed", "已认定"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# Order from best to worst: a cap ("at most 良好") picks the worse of two grades.
GRADE_RANK = {Grade.EXCELLENT: 0, Grade.GOOD: 1, Grade.PASS: 2, Grade.FAIL: 3}


class VoteDecision(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class Veto(models.TextChoices):
    """Veto rules (docs/indicators.md): each names itself on the scorecard."""

    FALSIFIED = "falsified", "弄虚作假（一票否决，评为不合格）"
    NO_REPORT = "no_report", "未提交年度工作报告（评为不合格）"
    LATE_REPORT = "late_report", "年度工作报告逾期提交（至多评为良好）"
