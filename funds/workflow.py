"""The status machine of an expenditure (经费支出): draft/returned → submitted → confirmed | returned.

The studio's master or 执行负责人 submits (funds.services checks the budget line's room under a row lock first);
财务部 confirms a submitted expenditure or returns it with a reason. A revoked studio refuses every move.
"""

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import REVOKED_MESSAGE

from .enums import ExpenditureStatus as S
from .models import Expenditure
from .permissions import is_spender


def _studio(expenditure):
    return Studio.objects.get(pk=expenditure.studio_id)


def _writable(expenditure, by):
    studio = _studio(expenditure)
    if studio.status == StudioStatus.REVOKED:
        return REVOKED_MESSAGE.format(name=studio.official_name)
    return None


def _spender_guard(expenditure, by):
    refused = _writable(expenditure, by)
    if refused:
        return refused
    if not is_spender(by, _studio(expenditure)):
        return "只有本工作室的技能大师或执行负责人可以提交经费支出。"
    return None


def _notify_creator(verb):
    def send(expenditure, by, move, note):
        creator = User.objects.get(pk=expenditure.created_by_id)
        label = {"confirmed": "已被财务部确认", "returned": "已被财务部退回"}[verb]
        body = f"退回原因：{note}" if note and verb == "returned" else ""
        notify(
            [creator],
            title=f"经费支出（{expenditure.payee} {expenditure.amount} 元）{label}",
            body=body,
            url=reverse("funds:expenditure", args=[expenditure.pk]),
        )

    return send


FINANCE = frozenset({Role.FINANCE})

TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Move(guard=_spender_guard, verb="submitted", label="提交财务确认"),
    (S.RETURNED, S.SUBMITTED): Move(guard=_spender_guard, verb="resubmitted", label="重新提交"),
    (S.SUBMITTED, S.CONFIRMED): Move(
        roles=FINANCE, guard=_writable, verb="confirmed", notify=_notify_creator("confirmed"), label="确认支出"
    ),
    (S.SUBMITTED, S.RETURNED): Move(
        roles=FINANCE,
        guard=_writable,
        verb="returned",
        notify=_notify_creator("returned"),
        label="退回",
        reason_required=True,
    ),
}

MACHINE = Machine(
    name="funds.expenditure", model=Expenditure, transitions=TRANSITIONS, audit_prefix="funds.expenditure"
)
Expenditure.WORKFLOW = MACHINE
