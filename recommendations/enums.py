"""Choices of the recommendations app (推荐申报), Chinese labels."""

from django.db import models

from people.enums import HonorLevel


class TargetLevel(models.TextChoices):
    """The levels a studio can be recommended for (校级 is where every studio starts)."""

    CITY = HonorLevel.CITY.value, HonorLevel.CITY.label
    PROVINCE = HonorLevel.PROVINCE.value, HonorLevel.PROVINCE.label
    NATIONAL = HonorLevel.NATIONAL.value, HonorLevel.NATIONAL.label


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已推荐上报"
    APPROVED = "approved", "已获批"
    NOT_APPROVED = "not_approved", "未获批"
    WITHDRAWN = "withdrawn", "已撤回"


class Verdict(models.TextChoices):
    MET = "met", "满足"
    UNMET = "unmet", "未满足"
    MANUAL = "manual", "需人工核实"
