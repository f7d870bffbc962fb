"""纪检监督 (policy "(七)管理监督"): supervision notes on any record with the office's answers, and the inspector's
meeting attendance. Anomaly flags are computed (oversight/flags.py), never stored.

A note's text and every answer, close/reopen remark and correction is a NoteEntry: append-only — the services only
insert them, and a database trigger (migration 0002) refuses an UPDATE of a row; a correction is a new entry.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.fields import BoundedTextField

from .enums import EntryKind, NoteStatus, Office, Stage


class SupervisionNote(models.Model):
    """监督意见 on one record (content type + id), addressed to the office that must answer it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="对象类型")
    object_id = models.PositiveBigIntegerField("对象编号")
    object_repr = models.CharField("监督对象", max_length=300)
    stage = models.CharField("监督环节", max_length=20, choices=Stage.choices)
    office = models.CharField("责任部门", max_length=20, choices=Office.choices)
    # The department whose head answers (office = department): the record's department, fixed when the note is made.
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="系部"
    )
    subject = models.CharField("事由", max_length=200)
    status = models.CharField("状态", max_length=10, choices=NoteStatus.choices, default=NoteStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "office"], name="oversight_note_status_office"),
            models.Index(fields=["content_type", "object_id"], name="oversight_note_target"),
            models.Index(fields=["created_at", "id"], name="oversight_note_created_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(office=Office.DEPARTMENT) | models.Q(department__isnull=False),
                name="oversight_note_department_office",
                violation_error_message="发给系部的监督意见须指明系部。",
            )
        ]

    def __str__(self):
        return f"监督意见：{self.subject}"


class NoteEntry(models.Model):
    """One entry of a note's thread: the note text, an answer, a close/reopen remark or a correction. Never edited."""

    note = models.ForeignKey(SupervisionNote, on_delete=models.PROTECT, related_name="entries", verbose_name="监督意见")
    kind = models.CharField("类型", max_length=12, choices=EntryKind.choices)
    text = BoundedTextField("内容", max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填写人")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "监督意见记录"
        verbose_name_plural = "监督意见记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Attendance(models.Model):
    """The inspector's attendance at a meeting: a committee meeting (applications) or, later, an evaluation meeting —
    a generic reference, one row per meeting and person."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="会议类型")
    object_id = models.PositiveBigIntegerField("会议编号")
    meeting_repr = models.CharField("会议", max_length=300)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="列席人"
    )
    remark = BoundedTextField("列席说明", max_length=2000, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "列席会议"
        verbose_name_plural = "列席会议"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "person"], name="oversight_attendance_once")
        ]

    def __str__(self):
        return f"列席：{self.meeting_repr}"
