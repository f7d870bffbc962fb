"""The status machine of an annual report (年度工作报告, R19):

draft → submitted (the writer: master or contact) → checked (the head of the studio's department) → received
(教学工作部); submitted → returned (department head, reason required); checked → returned (教学工作部, reason
required); returned → submitted (the writer resubmits). A revoked studio refuses every move. Each move notifies the
next actor and the writers.
"""

from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from core.notifications import notify
from core.workflow import Machine, Move
from studios.enums import StudioStatus
from studios.models import Studio
from studios.services import REVOKED_MESSAGE

from .models import AnnualReport
from .models import ReportStatus as S
from .permissions import is_department_reviewer, writer_ids


def studio_of(report):
    if not AnnualReport.studio.is_cached(report):
        report.studio = Studio.objects.get(pk=report.studio_id)
    return report.studio


def _writable(report, by):
    studio = studio_of(report)
    if studio.status == StudioStatus.REVOKED:
        return REVOKED_MESSAGE.format(name=studio.official_name)
    return None


def _writer_guard(report, by):
    refused = _writable(report, by)
    if refused:
        return refused
    studio = studio_of(report)
    if by.pk not in writer_ids(studio):
        return "只有本工作室的技能大师或联系人可以提交年度工作报告。"
    return None


def _scope(report, by, move):
    if move.roles == DEPT and not is_department_reviewer(by, studio_of(report)):
        return "您只能审核本系部工作室的年度工作报告。"
    if move.roles and by.pk in writer_ids(studio_of(report)):
        return "您是该工作室的技能大师或联系人，不能审核本工作室的年度工作报告。"
    return None


def _url(report):
    return reverse("annual:report", args=[report.pk])


def _writers(report):
    return list(User.objects.filter(pk__in=writer_ids(studio_of(report)) | {report.created_by_id}))


def _notify(report, by, move, note):
    studio = studio_of(report)
    name = f"「{studio.official_name}」{report.year} 年度工作报告"
    if report.status == S.SUBMITTED:
        heads = User.objects.filter(
            role_assignments__role=Role.DEPT_HEAD, role_assignments__department_id=studio.department_id
        ).distinct()
        late = "（逾期提交）" if report.late else ""
        notify(list(heads), title=f"{name}已提交{late}，待系部审核", url=_url(report))
    elif report.status == S.CHECKED:
        office = User.objects.filter(role_assignments__role=Role.TEACHING_AFFAIRS).distinct()
        notify(list(office), title=f"{name}已通过系部审核，待教学工作部接收", url=_url(report))
        notify(_writers(report), title=f"{name}已通过系部审核", url=_url(report))
    elif report.status == S.RECEIVED:
        notify(_writers(report), title=f"{name}已被教学工作部接收", url=_url(report))
    elif report.status == S.RETURNED:
        notify(
            _writers(report), title=f"{name}已被退回修改", body=f"退回原因：{note}" if note else "", url=_url(report)
        )


DEPT = frozenset({Role.DEPT_HEAD})
OFFICE = frozenset({Role.TEACHING_AFFAIRS})

TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): Move(guard=_writer_guard, verb="submitted", notify=_notify, label="提交"),
    (S.RETURNED, S.SUBMITTED): Move(guard=_writer_guard, verb="resubmitted", notify=_notify, label="重新提交"),
    (S.SUBMITTED, S.CHECKED): Move(roles=DEPT, guard=_writable, verb="checked", notify=_notify, label="系部审核通过"),
    (S.SUBMITTED, S.RETURNED): Move(
        roles=DEPT, guard=_writable, verb="returned", notify=_notify, label="退回修改", reason_required=True
    ),
    (S.CHECKED, S.RECEIVED): Move(roles=OFFICE, guard=_writable, verb="received", notify=_notify, label="接收"),
    (S.CHECKED, S.RETURNED): Move(
        roles=OFFICE,
        guard=_writable,
        verb="returned_by_office",
        notify=_notify,
        label="退回修改",
        reason_required=True,
    ),  # fmt: skip
}

MACHINE = Machine(
    name="annual.report", model=AnnualReport, transitions=TRANSITIONS, audit_prefix="annual.report", scope_guard=_scope
)
AnnualReport.WORKFLOW = MACHINE
