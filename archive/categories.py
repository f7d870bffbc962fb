"""The archive's categories: the policy's list (政策"2.过程管理": 各项制度、建设方案、年度工作计划和总结、科研成果、
专利、获奖证书、会议记录、活动记录以及影像资料), plus 其他材料 for files that belong to the year but to none of
them (expenditure vouchers, the responsibility letter). Completeness (indicator archive_complete, the checklist)
counts only the policy's nine (R15_CATEGORIES)."""

from django.db import models


class Category(models.TextChoices):
    RULES = "rules", "各项制度"
    CONSTRUCTION_PLAN = "construction_plan", "建设方案"
    ANNUAL = "annual", "年度工作计划和总结"
    RESEARCH = "research", "科研成果"
    PATENT = "patent", "专利"
    AWARD = "award", "获奖证书"
    MEETING = "meeting", "会议记录"
    ACTIVITY = "activity", "活动记录"
    MEDIA = "media", "影像资料"
    OTHER = "other", "其他材料"


R15_CATEGORIES = tuple(c for c in Category.values if c != Category.OTHER)


def label(code):
    try:
        return Category(code).label
    except ValueError:
        return Category.OTHER.label
