from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import is_read_only, may_write_as, require_write_access
from core.audit import log_action
from core.uploads import validate_upload
from core.workflow import WorkflowError

from .. import conflicts, eligibility
from ..enums import ApplicationStatus as S
from ..enums import CallStatus, Judgement, MemberRole, StudioMode
from ..models import Application, ApplicationMember, Attachment, Call
from ..workflow import transition
from .settings import _refuse_control_characters

EDITABLE = (S.DRAFT, S.RETURNED)
DRAFT_FIELDS = (
    "studio_name",
    "occupation",
    "major_justification",
    "mode",
    "venue_school",
    "venue_partner",
    "basic_conditions",
    "support_measures",
    "work_plan",
    "main_directions",
    "attest_political",
    "attest_truthful",
)


class StaleVersionError(WorkflowError):
    def __init__(self):
        super().__init__("该申报已被他人修改，请刷新后再编辑", code="stale")


def creation_refusal(call, by, *, applied=None):
    """Why `by` cannot start an application in `call` now, as (code, Chinese message), or None when they can: the one
    rule set of create_application() and of the 申报 buttons on the list. `applied`: ids of the calls `by` has already
    applied to, when the caller asks for several calls at once (one query instead of one per call)."""
    if is_read_only(by) or not may_write_as(by, Role.STAFF):
        return "role", "只有在职教职工可以申报技能大师工作室。"
    if call.status != CallStatus.OPEN or timezone.now() > call.closes_at:
        return "window", f"申报批次「{call.title}」当前不接受申报。"
    if by.department_id is None:
        return "department", "您的账号未设置所属系部，请联系人事部或管理员。"
    if call.pk in applied if applied is not None else Application.objects.filter(call=call, applicant=by).exists():
        return "duplicate", "您在本批次已有申报，不能重复申报。"
    return None


def calls_open_to(user):
    """The calls accepting applications now in which `user` may still start one (the 申报 buttons of the list)."""
    calls = [c for c in Call.objects.filter(status=CallStatus.OPEN) if c.accepting()]
    if not calls:
        return []
    applied = set(Application.objects.filter(applicant=user, call__in=calls).values_list("call_id", flat=True))
    return [c for c in calls if creation_refusal(c, user, applied=applied) is None]


@transaction.atomic
def create_application(call, *, by):
    """Start a draft in an open call for `by` (an internal staff member) as the master."""
    require_write_access(by)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if refusal := creation_refusal(call, by):
        raise WorkflowError(refusal[1], code=refusal[0])
    app = Application.objects.create(call=call, applicant=by, department_id=by.department_id)
    log_action(actor=by, action="applications.application.created", obj=app, after={"call": call.pk})
    return app


def _clean(data):
    cleaned = {}
    for name in DRAFT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name.startswith("attest_"):
            cleaned[name] = bool(value)
        else:
            value = "" if value is None else str(value).strip()
            max_length = Application._meta.get_field(name).max_length
            if max_length and len(value) > max_length:
                raise ValidationError(f"「{Application._meta.get_field(name).verbose_name}」不能超过 {max_length} 字。")
            cleaned[name] = value
    if "mode" in cleaned and cleaned["mode"] not in StudioMode.values:
        raise ValidationError("设立方式无效。")
    return cleaned


def save_draft(application, *, by, version, data=None, majors=None, members=None):
    """Autosave of a draft (or returned) application with optimistic concurrency.

    `version` is the number the editor loaded; if somebody saved in between, StaleVersionError and nothing changes.
    `members`: list of (user, role) replacing the proposed members; `majors`: list of Major. Returns the fresh row.
    """
    require_write_access(by)
    cleaned = _clean(data or {})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.applicant_id != by.pk:
            raise WorkflowError("只有申报人本人可以编辑申报。", code="owner")
        if locked.status not in EDITABLE:
            raise WorkflowError(f"申报处于「{locked.get_status_display()}」状态，不能编辑。", code="state")
        before = {k: getattr(locked, k) for k in cleaned}
        # Conditional UPDATE: on PostgreSQL two editors holding the same version cannot both win.
        updated = Application.objects.filter(pk=locked.pk, version=int(version)).update(
            **cleaned, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise StaleVersionError()
        after = dict(cleaned)
        if majors is not None:
            locked.majors.set(majors)
            after["majors"] = sorted(m.pk for m in majors)
        if members is not None:
            _replace_members(locked, members)
            after["members"] = [[u.pk, str(r)] for u, r in members]
        log_action(
            actor=by,
            action="applications.application.draft_saved",
            obj=locked,
            before={k: v for k, v in before.items() if cleaned.get(k) != v},
            after={k: v for k, v in after.items() if k not in before or before[k] != v},
        )
    return Application.objects.select_related("call", "applicant", "department").get(pk=application.pk)


def _replace_members(application, members):
    seen = set()
    rows = []
    for user, role in members:
        if role not in MemberRole.values:
            raise ValidationError("成员角色无效。")
        if user.pk in seen:
            raise ValidationError(
                f"「{user.display_name}」被同时列为两种成员角色（或重复列入），同一人只能担任一种角色，请只保留一处。"
            )
        if user.pk == application.applicant_id:
            raise ValidationError("技能大师本人不能同时列为成员。")
        if is_read_only(user):
            raise ValidationError(f"「{user.display_name}」{conflicts.READ_ONLY_MEMBER_MESSAGE}。")
        seen.add(user.pk)
        rows.append(ApplicationMember(application=application, user=user, role=role))
    if message := conflicts.officer_shortage(application, seen):
        raise ValidationError(message)
    application.members.all().delete()
    ApplicationMember.objects.bulk_create(rows)


@transaction.atomic
def add_attachment(application, *, by, kind, uploaded_file):
    """Attach 申报表 scan / certificate copies to an editable application (type and size checked by content)."""

    require_write_access(by)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != by.pk or locked.status not in EDITABLE:
        raise WorkflowError("只有申报人可以在草稿或退回状态上传材料。", code="owner")
    validate_upload(uploaded_file)
    attachment = Attachment(application=locked, kind=kind, original_name=str(uploaded_file.name)[:200], uploaded_by=by)
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.full_clean(exclude=["file"])
    attachment.save()
    log_action(
        actor=by,
        action="applications.attachment.uploaded",
        obj=attachment,
        after={"application": locked.pk, "kind": kind, "name": attachment.original_name},
    )
    return attachment


def _lock_own_attachment(application, attachment_pk, by):
    """The attachment of `by`'s own editable application, with the application row locked; refused otherwise."""
    require_write_access(by)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id != by.pk:
        raise WorkflowError("只有申报人本人可以删除或替换申报材料。", code="owner")
    if locked.status not in EDITABLE:
        raise WorkflowError(
            f"申报处于「{locked.get_status_display()}」状态，已提交的材料不能删除或替换。", code="state"
        )
    attachment = Attachment.objects.filter(pk=attachment_pk, application=locked).first()
    if attachment is None:
        raise WorkflowError("该材料不存在或已被删除，请刷新页面。", code="gone")
    return locked, attachment


def _remove_file_after_commit(fieldfile):
    """The stored file goes only once the row change is committed (a rollback keeps row and file together)."""
    storage, name = fieldfile.storage, fieldfile.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_attachment(application, attachment_pk, *, by):
    """Delete a material of a draft (or returned) application; not after submission."""
    locked, attachment = _lock_own_attachment(application, attachment_pk, by)
    before = {"kind": attachment.kind, "name": attachment.original_name}
    _remove_file_after_commit(attachment.file)
    log_action(
        actor=by,
        action="applications.attachment.deleted",
        obj=attachment,
        before={"application": locked.pk, **before},
    )
    attachment.delete()
    return before


@transaction.atomic
def replace_attachment(application, attachment_pk, *, by, uploaded_file):
    """Replace the file of a material of a draft (or returned) application (same kind); the old file is removed from
    storage after the commit. Type and size are checked by content before anything changes."""

    locked, attachment = _lock_own_attachment(application, attachment_pk, by)
    validate_upload(uploaded_file)
    old_file, old_name = attachment.file, attachment.original_name
    old_storage, old_stored = old_file.storage, old_file.name
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.original_name = str(uploaded_file.name)[:200]
    attachment.uploaded_by = by
    attachment.save(update_fields=["file", "original_name", "uploaded_by"])
    if old_stored and old_stored != attachment.file.name:
        transaction.on_commit(lambda: old_storage.delete(old_stored))
    log_action(
        actor=by,
        action="applications.attachment.replaced",
        obj=attachment,
        before={"name": old_name},
        after={"application": locked.pk, "kind": attachment.kind, "name": attachment.original_name},
    )
    return attachment


def submit_application(application, *, by, note=""):
    """Submit (or resubmit after return): refused with a message per failing rule; the check result is kept."""
    target = S.SUBMITTED
    items = eligibility.precheck(application)
    return transition(
        application,
        target,
        by=by,
        note=note,
        changes={"submitted_at": timezone.now(), "eligibility_snapshot": items},
    )


WITHDRAW_REASON_MAX = 500


def withdraw_application(application, *, by, reason=""):
    """撤回: the applicant takes a submitted application back before the department acts (SUBMITTED → DRAFT). Raced
    against the department's recommendation, exactly one wins (conditional UPDATE in core.workflow)."""
    reason = (reason or "").strip()
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ValidationError(f"撤回说明不能超过 {WITHDRAW_REASON_MAX} 字。")
    _refuse_control_characters({"reason": reason})  # the page posts raw text (NUL: a 500 on PostgreSQL)
    return transition(application, S.DRAFT, by=by, note=reason or "申报人撤回申报。", changes={"submitted_at": None})


def recommend_application(application, *, by, opinion, r7="", r7_note="", r8="", r8_note=""):
    """系部审核推荐 with the department's opinion and the head's own judgement of R7 (专业相关性) and R8 (政治素质、
    师德), the two rules no program computes: all required; a head who judges either not met does not recommend
    (不予推荐 or 退回修改 instead). The judgement is kept on the application and shown to every later stage."""
    opinion = (opinion or "").strip()
    r7_note, r8_note = (r7_note or "").strip(), (r8_note or "").strip()
    problems = []
    if not opinion:
        problems.append("请填写系部审核推荐意见。")
    for code, value, title in (("R7", r7, "专业相关性"), ("R8", r8, "政治素质、师德")):
        if value not in Judgement.values:
            problems.append(f"请判断{title}（{code}）是否符合。")
        elif value == Judgement.FAIL:
            problems.append(f"您判断{title}（{code}）不符合，不能推荐；请选择「不予推荐」或「退回修改」并说明理由。")
    for label, note in (("专业相关性判断说明", r7_note), ("政治素质、师德判断说明", r8_note)):
        limit = Application._meta.get_field("dept_r7_note").max_length
        if len(note) > limit:
            problems.append(f"{label}不能超过 {limit} 字。")
    if problems:
        raise ValidationError(problems)
    return transition(
        application,
        S.RECOMMENDED,
        by=by,
        note=opinion,
        changes={
            "dept_opinion": opinion,
            "recommended_by_id": by.pk,
            "recommended_at": timezone.now(),
            "dept_r7_judgement": r7,
            "dept_r7_note": r7_note,
            "dept_r8_judgement": r8,
            "dept_r8_note": r8_note,
        },
    )


def return_application(application, *, by, note):
    if not (note or "").strip():
        raise ValidationError("退回时请说明需要修改的内容。")
    return transition(application, S.RETURNED, by=by, note=note.strip())


def move_application(application, to, *, by, note="", judgements=None):
    """Generic move for the buttons and the API; moves that need extra data go through their own service.
    `judgements`: the department head's R7/R8 judgement for 推荐 (keys r7, r7_note, r8, r8_note)."""
    special = {
        S.SUBMITTED: lambda: submit_application(application, by=by, note=note),
        S.RECOMMENDED: lambda: recommend_application(application, by=by, opinion=note, **(judgements or {})),
        S.RETURNED: lambda: return_application(application, by=by, note=note),
        S.DRAFT: lambda: withdraw_application(application, by=by, reason=note),
    }
    if to in (S.APPROVED, S.DISQUALIFIED, S.IN_PUBLICITY):
        raise ValidationError("该操作需要填写专门的表单（认定/取消资格/公示）。")
    if str(to) in special:
        return special[str(to)]()
    return transition(application, to, by=by, note=note)
