from django.conf import settings
from django.db import models

from core.fields import BoundedTextField
from core.models import TimestampedModel

from ..enums import Majority, MeetingStatus, VoteChoice


class CommitteeMeeting(TimestampedModel):
    """学术委员会审议会: members present, agenda of applications, votes, minutes; yields the proposed list."""

    call = models.ForeignKey(
        "applications.Call", on_delete=models.PROTECT, related_name="meetings", verbose_name="申报批次"
    )
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="出席委员"
    )
    agenda = models.ManyToManyField(
        "applications.Application", related_name="meetings", blank=True, verbose_name="审议事项"
    )
    quorum = models.PositiveSmallIntegerField(
        "法定人数", default=5, help_text="出席并参加表决的委员不少于此人数，表决方为有效。"
    )
    majority = models.CharField("通过规则", max_length=20, choices=Majority.choices, default=Majority.SIMPLE)
    minutes = BoundedTextField("会议纪要", max_length=10000, blank=True)
    status = models.CharField("状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN)
    cancel_reason = BoundedTextField("取消原因", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )

    class Meta:
        verbose_name = "学术委员会会议"
        verbose_name_plural = "学术委员会会议"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class Revote(models.Model):
    """重新表决: teaching affairs sets an agenda item of an open meeting aside, with a reason, so that the application
    can be voted on again at a later meeting. The earlier meeting's votes stay (and are shown); only the vote of the
    meeting the application is on without a Revote decides (queries.deciding_tally)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="revotes", verbose_name="申报"
    )
    earlier_meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.PROTECT, related_name="revotes_from", verbose_name="原会议"
    )
    later_meeting = models.ForeignKey(
        CommitteeMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revotes_into",
        verbose_name="重新表决的会议",
    )
    reason = BoundedTextField("重新表决原因", max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    requested_at = models.DateTimeField("办理时间", auto_now_add=True)

    class Meta:
        verbose_name = "重新表决"
        verbose_name_plural = "重新表决"
        ordering = ["application_id", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "earlier_meeting"], name="revote_once_per_meeting")
        ]

    def __str__(self):
        return f"重新表决 #{self.pk}"


class Vote(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="votes", verbose_name="会议")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="votes", verbose_name="申报"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="委员"
    )
    choice = models.CharField("表决意见", max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField("表决时间", auto_now_add=True)

    class Meta:
        verbose_name = "表决票"
        verbose_name_plural = "表决票"
        ordering = ["meeting_id", "application_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application", "member"], name="vote_one_per_member")]

    def __str__(self):
        return f"{self.member_id}: {self.get_choice_display()}"
