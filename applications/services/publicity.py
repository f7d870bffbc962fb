from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import may_write_as, require_write_access
from core.audit import log_action
from core.notifications import notify
from core.uploads import validate_upload
from core.workflow import WorkflowError

from ..calendar import publicity_window
from ..enums import ApplicationStatus as S
from ..enums import ObjectionOutcome, ObjectionStatus
from ..models import Application, Objection, Publicity
from ..policy import policy_for_call
from ..workflow import transition


def publish_publicity(*, by, call, applications, starts_at, title="", body="", acknowledge_warning=False):
    """Publish the proposed list (建议名单) for 公示 from `starts_at`; the end follows the call's policy year
    (publicity days, working or calendar days) and the holiday calendar. If the calendar data does not cover the window, refuse unless the warning was acknowledged
    (the warning is then stored and shown on the publicity)."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以发布公示。", code="role")
    applications = list(applications)
    if not applications:
        raise ValidationError("请选择公示的申报。")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    policy = policy_for_call(call)
    days = int(policy.publicity_days)
    working = bool(policy.publicity_working_days)
    window = publicity_window(starts_at, days, working_days=working)
    if window.ends_at <= timezone.now():
        # A mistyped past date would publish a 公示 that nobody can object to; a list already publicised on paper is
        # recorded only when teaching affairs confirms it.
        window.warnings.append(
            f"注意：按开始时间推算，公示期已于 {timezone.localtime(window.ends_at):%Y-%m-%d %H:%M} 结束，"
            "发布后教职工无法在系统中提出异议。如公示已在线下完成，请确认后发布；否则请改为今天或之后的开始时间。"
        )
    if window.warnings and not acknowledge_warning:
        raise WorkflowError(window.warning_text, code="calendar")
    with transaction.atomic():
        publicity = Publicity.objects.create(
            call=call,
            title=(title or f"{call.year}年技能大师工作室认定建议名单公示").strip(),
            body=body,
            starts_at=starts_at,
            ends_at=window.ends_at,
            days=days,
            working_days=working,
            calendar_warning=window.warning_text,
            published_by=by,
        )
        for app in applications:
            if app.call_id != call.pk:
                raise ValidationError(f"「{app}」不属于本批次。")
            transition(
                app, S.IN_PUBLICITY, by=by, note=f"列入公示：{publicity.title}", changes={"publicity": publicity}
            )
        log_action(
            actor=by,
            action="applications.publicity.published",
            obj=publicity,
            after={
                "applications": sorted(a.pk for a in applications),
                "starts_at": starts_at,
                "ends_at": window.ends_at,
                "days": days,
                "working_days": working,
                "warning": window.warning_text,
            },
        )
    return publicity


def lodge_objection(publicity, application, *, by, content, evidence=None):
    """Any signed-in staff member lodges a named objection during the window only."""
    content = (content or "").strip()
    require_write_access(by)
    if not may_write_as(by, Role.STAFF):
        raise WorkflowError("只有本校教职工可以提出异议。", code="role")
    if not content:
        raise ValidationError("请填写异议内容（事实与理由）。")
    if evidence is not None:
        validate_upload(evidence)
    with transaction.atomic():
        publicity = Publicity.objects.select_for_update().get(pk=publicity.pk)
        now = timezone.now()
        if now < publicity.starts_at:
            raise WorkflowError("公示尚未开始，不能提出异议。", code="window")
        if now >= publicity.ends_at:
            raise WorkflowError(
                f"公示期已于 {timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M} 结束，不能再提出异议。",
                code="window",
            )
        app = Application.objects.get(pk=application.pk)
        if app.publicity_id != publicity.pk or app.status != S.IN_PUBLICITY:
            raise WorkflowError("该申报不在本次公示名单中。", code="state")
        if app.applicant_id == by.pk:
            raise WorkflowError("不能对本人的申报提出异议。", code="own")
        objection = Objection(publicity=publicity, application=app, raised_by=by, content=content)
        if evidence is not None:
            objection.evidence.save(evidence.name, evidence, save=False)
        objection.save()
        log_action(actor=by, action="applications.objection.lodged", obj=objection, after={"application": app.pk})
        transaction.on_commit(
            lambda: notify(
                list(_teaching_affairs()),
                title=f"收到对「{app}」的公示异议",
                body=content[:200],
                url=f"/applications/objections/{objection.pk}/",
            )
        )
    return objection


def _users(*pks):
    from accounts.models import User

    return User.objects.filter(pk__in=pks)


def _teaching_affairs():
    from accounts.models import User

    return User.objects.filter(is_active=True, role_assignments__role=Role.TEACHING_AFFAIRS).distinct()


def resolve_objection(objection, *, by, upheld, findings, outcome=""):
    """Teaching affairs records the investigation (成立/不成立 with findings). An upheld objection rejects the
    application (不予认定) or, for falsified material, disqualifies it."""
    from .approval import disqualify_application

    findings = (findings or "").strip()
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以处理异议。", code="role")
    if not findings:
        raise ValidationError("请填写调查结论。")
    if upheld and outcome not in ObjectionOutcome.values:
        raise ValidationError("异议成立时请选择处理结果（不予认定或取消资格）。")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.OPEN:
            raise WorkflowError("该异议已处理。", code="state")
        status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        Objection.objects.filter(pk=locked.pk).update(
            status=status,
            findings=findings,
            outcome=outcome if upheld else "",
            resolved_by=by,
            resolved_at=timezone.now(),
        )
        log_action(
            actor=by,
            action=f"applications.objection.{status}",
            obj=locked,
            before={"status": ObjectionStatus.OPEN},
            after={"status": status, "outcome": outcome if upheld else ""},
            note=findings,
        )
        app = Application.objects.get(pk=locked.application_id)
        objector = locked.raised_by_id
        verdict = ObjectionStatus(status).label
        transaction.on_commit(
            lambda: notify(
                list(_users(objector)),
                title=f"您对「{app}」的异议已处理：{verdict}",
                body=findings,
                url=f"/applications/objections/{locked.pk}/",
            )
        )
        if upheld and outcome == ObjectionOutcome.REJECT:
            transition(app, S.REJECTED, by=by, note=f"异议成立：{findings}")
        elif upheld:
            disqualify_application(app, by=by, reason=f"异议成立（弄虚作假）：{findings}")
    locked.refresh_from_db()
    return locked
