"""Choices of the people app (Chinese labels) and the orderings the rules use."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class WorkKind(models.TextChoices):
    WORK = "work", "企业工作经历"
    PRACTICE = "practice", "企业实践"


class HonorLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    SCHOOL = "school", "校级"


# Higher levels satisfy lower ones (DOMAIN R6): 国家级 > 省级 > 市级 > 校级.
LEVEL_ORDER = {HonorLevel.SCHOOL: 1, HonorLevel.CITY: 2, HonorLevel.PROVINCE: 3, HonorLevel.NATIONAL: 4}


class HonorRank(models.TextChoices):
    SPECIAL = "special", "特等奖"
    FIRST = "first", "一等奖"
    SECOND = "second", "二等奖"
    THIRD = "third", "三等奖"
    MERIT = "merit", "优秀奖"


# A better prize satisfies a rule asking for a lower one; an honour without a rank satisfies no rank requirement.
RANK_ORDER = {HonorRank.MERIT: 1, HonorRank.THIRD: 2, HonorRank.SECOND: 3, HonorRank.FIRST: 4, HonorRank.SPECIAL: 5}


class SkillLevel(models.TextChoices):
    LEVEL5 = "5", "五级/初级工"
    LEVEL4 = "4", "四级/中级工"
    LEVEL3 = "3", "三级/高级工"
    LEVEL2 = "2", "二级/技师"
    LEVEL1 = "1", "一级/高级技师"


class Verdict(models.TextChoices):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    HUMAN = "human", "需人工判断"


class StudioMode(models.TextChoices):
    SCHOOL = "school", "学校单独创办"
    JOINT = "joint", "校企联办"


class MemberRole(models.TextChoices):
    CORE = "core", "骨干教师"
    MEMBER = "member", "成员"


def level_rank(level) -> int:
    return LEVEL_ORDER.get(level, 0)


def rank_rank(rank) -> int:
    return RANK_ORDER.get(rank, 0)
