"""The status machine of a 推荐申报: 草稿 → 已推荐上报 → 已获批 / 未获批; 草稿 or 已推荐上报 → 已撤回 (reason required).

Only 发改室 moves it. What happens with a move (the frozen check results at submission, the outcome's fields and the
studio's level on approval) is done by recommendations.services inside the same transaction as the move.
"""

from django.urls import reverse

from accounts.enums import Role
from core.notifications import notify
from core.workflow import Machine, Move
from studios.enums import StudioStatus
from studios.models import Studio

from .enums import RecommendationStatus as S
from .models import Recommendation

DEV = frozenset({Role.DEV_OFFICE})


def _studio_active(rec, by):
    if not Studio.objects.filter(pk=rec.studio_id, status=StudioStatus.ACTIVE).exists():
        return "只有运行中的工作室可以推荐申报。"
    return None


def _tell_master(title):
    def send(rec, by, move, note):
        body = f"说明：{note}" if note else ""
        studio = Studio.objects.select_related("master").get(pk=rec.studio_id)
        notify(
            [studio.master],
            title=f"{studio.official_name}的{rec}{title}",
            body=body,
            url=reverse("recommendations:detail", args=[rec.pk]),
        )

    return send


TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Move(
        roles=DEV, guard=_studio_active, verb="submitted", notify=_tell_master("已推荐上报"), label="推荐上报"
    ),
    (S.SUBMITTED, S.APPROVED): Move(roles=DEV, verb="approved", notify=_tell_master("已获批"), label="登记获批"),
    (S.SUBMITTED, S.NOT_APPROVED): Move(
        roles=DEV, verb="not_approved", notify=_tell_master("未获批"), label="登记未获批", reason_required=True
    ),
    (S.DRAFT, S.WITHDRAWN): Move(roles=DEV, verb="withdrawn", label="撤回", reason_required=True),
    (S.SUBMITTED, S.WITHDRAWN): Move(roles=DEV, verb="withdrawn", label="撤回", reason_required=True),
}

WORKFLOW = Machine(
    name="recommendations.recommendation",
    model=Recommendation,
    transitions=TRANSITIONS,
    audit_prefix="recommendations.recommendation",
)
Recommendation.WORKFLOW = WORKFLOW
