"""Choices of the oversight app (纪检监督), Chinese labels."""

from django.db import models


class Stage(models.TextChoices):
    """The four stages the policy's (七)管理监督 names: 人选遴选, 工作室建设, 运行跟踪, 学年考核."""

    SELECTION = "selection", "遴选"
    CONSTRUCTION = "construction", "建设"
    OPERATION = "operation", "运行"
    EVALUATION = "evaluation", "考核"


class Office(models.TextChoices):
    """The office a supervision note is addressed to and which must answer it."""

    TEACHING_AFFAIRS = "teaching_affairs", "教学工作部"
    DEV_OFFICE = "dev_office", "发改室"
    DEPARTMENT = "department", "所在系部（系主任）"
    FINANCE = "finance", "财务部"


class NoteStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class EntryKind(models.TextChoices):
    NOTE = "note", "监督意见"
    ANSWER = "answer", "答复"
    CLOSE = "close", "办结说明"
    REOPEN = "reopen", "重新打开说明"
    CORRECTION = "correction", "更正"
