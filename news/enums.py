from django.db import models


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Audience(models.TextChoices):
    ALL = "all", "全体教职工"
    DEPARTMENT = "department", "指定系部"
    ROLE = "role", "指定角色"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待系部审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "已退回"
