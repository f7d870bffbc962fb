import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.permissions import may_write_as, require_write_access
from core.audit import log_action
from core.notifications import notify, notify_all
from core.uploads import validate_upload
from core.workflow import WorkflowError
from core.workflow import transition as core_transition

from .. import hooks
from ..calendar import publicity_window
from ..enums import ApplicationStatus as S
from ..enums import ObjectionOutcome, ObjectionStatus
from ..models import Application, Objection, Publicity
from ..policy import policy_for_call
from ..workflow import transition

# A start this far before the moment of publishing is still "now" (the form is filled from the clock, then sent).
BACKDATE_TOLERANCE = dt.timedelta(minutes=15)


def is_backdated(starts_at, now=None):
    """A 公示 starting earlier than now (beyond the few minutes it takes to fill the form)."""
    return starts_at < (now or timezone.now()) - BACKDATE_TOLERANCE


def publish_publicity(
    *, by, call, applications, starts_at, title="", body="", acknowledge_warning=False, backdate_reason=""
):
    """Publish the proposed list (建议名单) for 公示 from `starts_at`; the end follows the call's policy year
    (publicity days, working or calendar days) and the holiday calendar. If the calendar data does not cover the
    window, refuse unless the warning was acknowledged (the warning is then stored and shown on the publicity).

    A start earlier than now (补登: a list already publicised on paper) leaves staff less or no time to object: it is
    refused without `backdate_reason`; with one it is stored, flagged (`backdated`) and the discipline office is told.
    Every staff member is notified when the window opens (announce_publicity)."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以发布公示。", code="role")
    applications = list(applications)
    if not applications:
        raise ValidationError("请选择公示的申报。")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    backdate_reason = (backdate_reason or "").strip()
    limit = Publicity._meta.get_field("backdate_reason").max_length
    if len(backdate_reason) > limit:
        raise ValidationError(f"补登原因不能超过 {limit} 字。")
    backdated = is_backdated(starts_at)
    if backdated and not backdate_reason:
        raise ValidationError(
            f"公示开始时间（{timezone.localtime(starts_at):%Y-%m-%d %H:%M}）早于现在：提前开始的公示会缩短甚至取消"
            "教职工提出异议的时间。如公示已在线下开始，请填写补登原因（将提示纪检办公室）；否则请改为现在或之后的时间。",
            code="backdated",
        )
    policy = policy_for_call(call)
    days = int(policy.publicity_days)
    working = bool(policy.publicity_working_days)
    window = publicity_window(starts_at, days, working_days=working)
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
            backdated=backdated,
            backdate_reason=backdate_reason if backdated else "",
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
                "backdated": backdated,
                "backdate_reason": backdate_reason if backdated else "",
            },
        )
        if backdated:
            transaction.on_commit(lambda: _tell_inspectors(publicity))
        transaction.on_commit(lambda: schedule_announcement(publicity))
    return publicity


def _tell_inspectors(publicity):
    inspectors = User.objects.filter(is_active=True, role_assignments__role=Role.INSPECTOR).distinct()
    notify(
        list(inspectors),
        title=f"公示补登提示：「{publicity.title}」的开始时间早于发布时间",
        body=f"公示期：{publicity.period_text}\n补登原因：{publicity.backdate_reason}",
        url=f"/applications/publicity/{publicity.pk}/",
    )


def schedule_announcement(publicity):
    """Tell every staff member when the window opens: now if it has, else a background task due at the start."""
    if publicity.starts_at <= timezone.now():
        announce_publicity(publicity.pk)
        return
    from ..tasks import announce_publicity_task

    announce_publicity_task.using(run_after=publicity.starts_at).enqueue(publicity_id=publicity.pk)


def announce_publicity(publicity_id):
    """Notify every active internal user (教职工) that the 公示 is open, once (announced_at is set under a row lock;
    a second run does nothing). Bulk rows and chunked e-mail: core.notifications.notify_all. Returns the count."""

    with transaction.atomic():
        publicity = Publicity.objects.select_for_update().get(pk=publicity_id)
        if publicity.announced_at is not None or publicity.starts_at > timezone.now():
            return 0
        Publicity.objects.filter(pk=publicity.pk).update(announced_at=timezone.now())
        names = "、".join(
            Application.objects.filter(publicity=publicity).order_by("pk").values_list("studio_name", flat=True)[:20]
        )
        count = notify_all(
            User.objects.filter(is_external=False),
            title=f"公示开始：{publicity.title}",
            body=f"公示期：{publicity.period_text}。公示名单：{names}。如有异议，请在公示期内实名提出。",
            url=f"/applications/publicity/{publicity.pk}/",
        )
        log_action(
            actor=None,
            action="applications.publicity.announced",
            obj=publicity,
            after={"recipients": count},
        )
        hooks.publicity_started(publicity)
    return count


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


def _teaching_affairs():
    return User.objects.filter(is_active=True, role_assignments__role=Role.TEACHING_AFFAIRS).distinct()


def start_investigation(objection, *, by, note=""):
    """教学工作部 takes the objection up: 待调查 → 调查中 (the objector is told). Raced, exactly one wins."""
    from ..objection_workflow import WORKFLOW

    return core_transition(
        objection,
        ObjectionStatus.INVESTIGATING,
        by=by,
        note=(note or "").strip(),
        machine=WORKFLOW,
        changes={"investigation_started_at": timezone.now()},
    )


def add_investigation_evidence(objection, *, by, uploaded_file):
    """Attach (or replace) the investigation's evidence while the objection is 调查中. The replaced file is removed
    from storage only after the commit."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以添加调查材料。", code="role")
    validate_upload(uploaded_file)
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.INVESTIGATING:
            raise WorkflowError(
                f"该异议处于「{locked.get_status_display()}」状态，只有调查中的异议可以添加调查材料。", code="state"
            )
        old = locked.investigation_evidence.name if locked.investigation_evidence else ""
        locked.investigation_evidence.save(uploaded_file.name, uploaded_file, save=False)
        name = str(uploaded_file.name)[:200]
        Objection.objects.filter(pk=locked.pk).update(
            investigation_evidence=locked.investigation_evidence.name, investigation_evidence_name=name
        )
        log_action(
            actor=by,
            action="applications.objection.evidence_added",
            obj=locked,
            before={"investigation_evidence": locked.investigation_evidence_name} if old else None,
            after={"investigation_evidence": name},
        )
        if old:
            storage = locked.investigation_evidence.storage
            transaction.on_commit(lambda: storage.delete(old))
    locked.refresh_from_db()
    return locked


def resolve_objection(objection, *, by, upheld, findings, outcome=""):
    """Teaching affairs records the conclusion of an investigation (调查中 → 异议成立/不成立, findings as the reason).
    `upheld` must be chosen (True/False; None is refused: no conclusion is pre-selected). An upheld objection rejects
    the application (不予认定) or, for falsified material, disqualifies it."""
    from ..objection_workflow import WORKFLOW
    from .approval import disqualify_application

    findings = (findings or "").strip()
    if not may_write_as(by, Role.TEACHING_AFFAIRS):
        raise WorkflowError("只有教学工作部可以处理异议。", code="role")
    if upheld is None:
        raise ValidationError("请选择调查结论（异议成立或不成立）。")
    if not findings:
        raise ValidationError("请填写调查结论。")
    if upheld and outcome not in ObjectionOutcome.values:
        raise ValidationError("异议成立时请选择处理结果（不予认定或取消资格）。")
    status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    with transaction.atomic():
        locked = core_transition(
            objection,
            status,
            by=by,
            note=findings,
            machine=WORKFLOW,
            changes={
                "findings": findings,
                "outcome": outcome if upheld else "",
                "resolved_by_id": by.pk,
                "resolved_at": timezone.now(),
            },
        )
        app = Application.objects.get(pk=locked.application_id)
        if upheld and outcome == ObjectionOutcome.REJECT:
            transition(app, S.REJECTED, by=by, note=f"异议成立：{findings}")
        elif upheld:
            disqualify_application(app, by=by, reason=f"异议成立（弄虚作假）：{findings}")
    locked.refresh_from_db()
    return locked
