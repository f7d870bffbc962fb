"""A small model used only by the tests of core.workflow (a stand-in for applications, plans, evaluations…)."""

from django.conf import settings
from django.db import models

from accounts.enums import Role
from core.workflow import Machine, Move


class TicketStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "未通过"


class Ticket(models.Model):
    title = models.CharField("标题", max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=TicketStatus.choices, default=TicketStatus.DRAFT)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "workflowapp"

    def __str__(self):
        return self.title


def _only_owner(ticket, by):
    return None if ticket.owner_id == by.pk else "只有申请人本人可以提交。"


def _needs_title(ticket, by):
    return None if ticket.title.strip() else "标题不能为空。"


def _dept_scope(ticket, by, move):
    from accounts.permissions import headed_department_ids

    if Role.DEPT_HEAD in move.roles and ticket.department_id not in headed_department_ids(by):
        return "您只能处理本系部的申请。"
    return None


NOTIFIED = []


def _record_notification(ticket, by, move, note):
    NOTIFIED.append((ticket.pk, ticket.status, by.pk))


S = TicketStatus
Ticket.WORKFLOW = Machine(
    name="ticket",
    model=Ticket,
    audit_prefix="workflowapp.ticket",
    scope_guard=_dept_scope,
    transitions={
        (S.DRAFT, S.SUBMITTED): Move(
            guard=lambda t, by: _only_owner(t, by) or _needs_title(t, by), verb="submitted", notify=_record_notification
        ),
        (S.SUBMITTED, S.RETURNED): Move(roles=frozenset({Role.DEPT_HEAD}), verb="returned"),
        (S.RETURNED, S.SUBMITTED): Move(guard=_only_owner, verb="resubmitted"),
        (S.SUBMITTED, S.APPROVED): Move(
            roles=frozenset({Role.DEPT_HEAD}), verb="approved", notify=_record_notification
        ),
        (S.SUBMITTED, S.REJECTED): Move(roles=frozenset({Role.DEPT_HEAD}), verb="rejected"),
    },
)
