"""What may be shown publicly is decided explicitly (nothing is public by default), through these services, audited:

- an honour (people.Honor.is_public): its holder, or the head of the holder's department;
- a landmark achievement (ledger.Achievement.public): the studio's master, or the head of the studio's department
  (the flag may change in any state; only confirmed landmark achievements are ever shown).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.enums import Role
from accounts.permissions import headed_department_ids, may_write_as, require_write_access
from core.audit import log_action
from ledger.models import Achievement
from people.models import Honor


def may_publish_honor(user, honor):
    if not user.is_authenticated:
        return False
    if honor.user_id == user.pk:
        return True
    department_id = honor.user.department_id
    return bool(department_id) and may_write_as(user, Role.DEPT_HEAD) and department_id in headed_department_ids(user)


def may_publish_achievement(user, achievement):
    if not user.is_authenticated:
        return False
    studio = achievement.studio
    if studio.master_id == user.pk:
        return True
    return may_write_as(user, Role.DEPT_HEAD) and studio.department_id in headed_department_ids(user)


def set_honor_public(honor, *, by, public):
    require_write_access(by)
    with transaction.atomic():
        honor = Honor.objects.select_for_update().select_related("user").get(pk=honor.pk)
        if not may_publish_honor(by, honor):
            raise PermissionDenied("只有本人或所在系部的系（部）主任可以决定荣誉是否公开展示。")
        before = honor.is_public
        Honor.objects.filter(pk=honor.pk).update(is_public=bool(public))
        honor.is_public = bool(public)
        log_action(
            actor=by, action="showcase.honor.publicity", obj=honor,
            before={"is_public": before}, after={"is_public": honor.is_public},
        )  # fmt: skip
    return honor


def set_achievement_public(achievement, *, by, public):
    require_write_access(by)
    with transaction.atomic():
        achievement = Achievement.objects.select_for_update().select_related("studio").get(pk=achievement.pk)
        if not may_publish_achievement(by, achievement):
            raise PermissionDenied("只有工作室的技能大师或所在系部的系（部）主任可以决定成果是否公开展示。")
        if public and not achievement.landmark:
            raise ValidationError("只有标志性成果可以在成果展示页公开。")
        before = achievement.public
        Achievement.objects.filter(pk=achievement.pk).update(public=bool(public))
        achievement.public = bool(public)
        log_action(
            actor=by, action="showcase.achievement.publicity", obj=achievement,
            before={"public": before}, after={"public": achievement.public},
        )  # fmt: skip
    return achievement
