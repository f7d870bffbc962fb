"""Choices of the funds app (经费), Chinese labels."""

from django.db import models


class FundingSource(models.TextChoices):
    """Where the money comes from (policy "3.经费管理", "(四)资金支持计划"): a fixed list."""

    SCHOOL = "school", "学校运行经费"
    DEPARTMENT = "department", "系部配套"
    GOVERNMENT = "government", "政府资助"
    ENTERPRISE = "enterprise", "企业投入"


class ExpenditureStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待财务确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


# Spending categories seeded by the data migration (the dictionary itself is editable: SpendingCategory).
DEFAULT_CATEGORIES = (
    ("equipment", "设备"),
    ("materials", "材料"),
    ("training", "培训"),
    ("travel", "差旅"),
    ("labour", "劳务"),
    ("other", "其他"),
)
