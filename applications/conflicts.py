"""Conflict of interest and separation of stages.

Enforced, not just declared:
- nobody acts officially on an application they are the applicant or a proposed member of;
- an expert cannot be in the applicant's department;
- one person cannot act at two stages of the same application (recommend as dept head, review as expert, vote in
  the committee).
"""

from accounts.enums import READ_ONLY_ROLES, Role
from accounts.models import RoleAssignment, User

from .enums import AssignmentStatus


def _member_ids(application):
    return set(application.members.values_list("user_id", flat=True))


def _expert_ids(application):
    return set(application.assignments.exclude(status=AssignmentStatus.RECUSED).values_list("expert_id", flat=True))


def _voter_ids(application):
    return set(application.votes.values_list("member_id", flat=True))


def own_application_conflict(application, user):
    if user.pk == application.applicant_id:
        return "您是该申报的申报人，不能处理本人的申报。"
    if user.pk in _member_ids(application):
        return "您是该申报的拟任成员，不能处理该申报。"
    return None


def recommend_conflict(application, user):
    if message := own_application_conflict(application, user):
        return message
    if user.pk in _expert_ids(application) or user.pk in _voter_ids(application):
        return "您已在该申报的其他环节（专家评审/学术委员会）履职，同一人不能在两个环节处理同一申报。"
    return None


def expert_conflict(application, user):
    """Why `user` may not review `application`, or None."""
    if message := own_application_conflict(application, user):
        return f"{user.display_name}：{message.replace('您', '该专家')}"
    if user.department_id is not None and user.department_id == application.department_id:
        return f"{user.display_name}：与申报人同属一个系部，须回避。"
    if user.pk == application.recommended_by_id:
        return f"{user.display_name}：已作为系部负责人推荐该申报，不能再担任评审专家。"
    if user.pk in _voter_ids(application):
        return f"{user.display_name}：已在学术委员会对该申报表决，不能再担任评审专家。"
    return None


def voter_conflict(application, user):
    if message := own_application_conflict(application, user):
        return message
    if user.pk == application.recommended_by_id:
        return "您已作为系部负责人推荐该申报，同一人不能在两个环节处理同一申报，请回避表决。"
    if user.pk in _expert_ids(application):
        return "您是该申报的评审专家，同一人不能在两个环节处理同一申报，请回避表决。"
    return None


def officer_shortage(application, member_ids):
    """Listing members must not leave a stage without an unconflicted officer (issue 8 defect 13): an applicant who
    names his department head(s) or the teaching affairs officers as members would make his application impossible
    to process, since nobody acts on an application he is a member of. Returns the Chinese reason, or None.

    Only the people listed are blamed: a department that has no head at all is an administration problem, not the
    applicant's."""
    member_ids = set(member_ids)
    excluded = member_ids | {application.applicant_id}
    stages = (
        ("系部审核推荐", "系部主任", {"role_assignments__department_id": application.department_id}, Role.DEPT_HEAD),
        ("专家指派、公示与认定", "教学工作部人员", {}, Role.TEACHING_AFFAIRS),
    )
    for stage, title, scope, role in stages:
        officers = dict(
            User.objects.filter(is_active=True, role_assignments__role=role, **scope)
            .values_list("pk", "display_name")
            .distinct()
        )
        listed = [name for pk, name in officers.items() if pk in member_ids]
        if listed and not set(officers) - excluded:
            return (
                f"不能将{title}「{'、'.join(sorted(listed))}」列为成员：列入后，「{stage}」环节将没有不需回避的{title}"
                "办理该申报（成员须回避本申报的办理）。如确需其加入工作室，请在认定后由工作室按程序增补成员。"
            )
    return None


READ_ONLY_MEMBER_MESSAGE = "担任纪检办公室或校领导（只读监督）职务，不能列为工作室成员"


def unselectable_members(application, candidate_ids, selected_ids=()):
    """For the member picker (issue 9 item 6): {user id: Chinese reason} for the candidates who cannot be chosen —
    holders of a read-only role (纪检办, 校领导: they write nothing, docs/roles.md) and officers whose listing, with
    the people already selected, would leave a stage without an unconflicted officer (officer_shortage, the rule of
    issue 8 defect 13). Three queries whatever the number of candidates; the save refuses the same people."""
    candidate_ids = set(candidate_ids)
    if not candidate_ids:
        return {}
    reasons = dict.fromkeys(
        RoleAssignment.objects.filter(user_id__in=candidate_ids, role__in=READ_ONLY_ROLES).values_list(
            "user_id", flat=True
        ),
        READ_ONLY_MEMBER_MESSAGE,
    )
    selected = set(selected_ids) | {application.applicant_id}
    stages = (
        ("系部审核推荐", "系部主任", {"role_assignments__department_id": application.department_id}, Role.DEPT_HEAD),
        ("专家指派、公示与认定", "教学工作部人员", {}, Role.TEACHING_AFFAIRS),
    )
    for stage, title, scope, role in stages:
        officers = set(
            User.objects.filter(is_active=True, role_assignments__role=role, **scope).values_list("pk", flat=True)
        )
        for pk in candidate_ids & officers:
            if pk not in reasons and not officers - selected - {pk}:
                reasons[pk] = f"是{title}，列入后「{stage}」环节将没有不需回避的{title}办理该申报"
    return reasons
