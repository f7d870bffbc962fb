"""Writes on studios: creation from an approved application (认定) or by registration (历史登记), membership over
time (R1–R3 on every change, the studio row locked), temporary exceptions, 执行负责人/联系人, the 责任书, revocation
through the Studio workflow. A revoked studio refuses every write (ensure_writable)."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.enums import Role
from accounts.permissions import can, may_write_as
from applications.models import Application, ApplicationMember
from core.audit import log_action
from core.uploads import UploadValidator
from core.workflow import transition
from people.enums import HonorLevel, StudioMode
from people.models import ExternalAffiliation
from people.policy import policy_in_force
from people.rules import CLAUSE_R3, CLAUSE_TEAM

from .enums import MembershipRole, StudioSource, StudioStatus
from .models import Membership, ResponsibilityLetter, ResponsibilityLetterTemplate, Studio, StudioException
from .workflow import REVOKED_LEAVE

REVOKED_MESSAGE = "工作室「{name}」已撤销，其记录只能查看，不能新增或修改。"


class StudioReadOnly(PermissionDenied):
    """A write refused because the studio is revoked (a PermissionDenied: 403 on pages and in the API)."""


def ensure_writable(studio):
    """Raise StudioReadOnly (Chinese message) when the studio is revoked. Every write on a studio or on a record that
    belongs to one (members, letters, ledger, plans) calls this inside its transaction, after locking/re-reading the
    studio where the status could change concurrently. Returns the studio for chaining."""
    if studio.status == StudioStatus.REVOKED:
        raise StudioReadOnly(REVOKED_MESSAGE.format(name=studio.official_name))
    return studio


def plaque_name(school_name, master_name):
    return f"{school_name}（{master_name}）技能大师工作室"


@transaction.atomic
def create_studio_from_application(application, *, by):
    """Create the Studio and the memberships of the master and the proposed members. Call inside the approval."""
    app = Application.objects.select_related("applicant").get(pk=application.pk)
    studio = Studio.objects.create(
        application=app,
        official_name=app.studio_name,
        plaque_name=plaque_name(school_name(app.approved_on), app.applicant.display_name),
        master=app.applicant,
        mode=app.mode,
        venue_school=app.venue_school,
        venue_partner=app.venue_partner,
        department_id=app.department_id,
        status=StudioStatus.ACTIVE,
        document_number=app.document_number,
        approved_on=app.approved_on,
    )
    rows = [
        Membership(
            studio=studio, user=app.applicant, role=MembershipRole.MASTER, is_external=False, joined_on=app.approved_on
        )
    ]
    for member in ApplicationMember.objects.filter(application=app).select_related("user"):
        role = MembershipRole.CORE if member.role == "core" else MembershipRole.MEMBER
        rows.append(
            Membership(
                studio=studio,
                user=member.user,
                role=role,
                is_external=member.user.is_external,
                joined_on=app.approved_on,
            )
        )
    Membership.objects.bulk_create(rows)
    log_action(
        actor=by,
        action="studios.studio.created",
        obj=studio,
        after={
            "application": app.pk,
            "official_name": studio.official_name,
            "plaque_name": studio.plaque_name,
            "document_number": studio.document_number,
            "members": [[r.user_id, r.role] for r in rows],
        },
    )
    return studio


def revoke_studio(studio, *, by, reason):
    """撤销 (R13/R21) through the Studio workflow: history row, audit event; the current memberships are closed the
    same day (leave reason 「工作室撤销」, rows kept); after commit the members, the master and the department's
    head(s) are notified. Every later write on the studio or its records is refused (ensure_writable)."""
    with transaction.atomic():
        revoked = transition(studio, StudioStatus.REVOKED, by=by, note=reason, changes={"revoked_reason": reason})
        today = timezone.localdate()
        current = Membership.objects.filter(studio_id=studio.pk, left_on__isnull=True)
        closed = list(current.values_list("pk", flat=True))
        current.filter(joined_on__lte=today).update(left_on=today, leave_reason=REVOKED_LEAVE)
        current.update(left_on=F("joined_on"), leave_reason=REVOKED_LEAVE)  # joined in the future: closed at once
        if closed:
            log_action(
                actor=by,
                action="studios.studio.memberships_closed",
                obj=revoked,
                after={"memberships": closed, "left_on": str(today)},
                note=reason,
            )
        return revoked


def set_level(studio, *, by, level, reason):
    """工作室级别 (校级/市级/省级/国家级) changes only here: one transaction, the row locked, an audit event with the old
    and new level and the reason (e.g. the 推荐申报 whose approval raised it). Returns the studio re-read."""
    if level not in HonorLevel.values:
        raise ValidationError({"level": "请选择有效的工作室级别。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整工作室级别的依据。"})
    if len(reason) > 1000:
        raise ValidationError({"reason": "「依据」最多 1000 个字。"})
    with transaction.atomic():
        locked = lock_studio(studio)
        before = locked.level
        if before == level:
            return locked
        Studio.objects.filter(pk=locked.pk).update(level=level, updated_at=timezone.now())
        locked.level = level
        log_action(
            actor=by,
            action="studios.studio.level_changed",
            obj=locked,
            before={"level": before},
            after={"level": level},
            note=reason,
        )
    studio.level = level
    return locked


# --- Helpers --------------------------------------------------------------------------------------------------------


def _refuse(message):
    raise ValidationError(message)


def _require(user, action, studio, message):
    if not can(user, action, studio):
        raise PermissionDenied(message)


def lock_studio(studio):
    """Re-read the studio row under SELECT … FOR UPDATE (BEGIN IMMEDIATE on SQLite): concurrent changes to one studio's
    team run one after the other, each seeing the other's result."""
    return Studio.objects.select_for_update().get(pk=studio.pk)


def school_name(on):
    return getattr(policy_in_force(on), "school_name", "") or settings.SCHOOL_NAME


def min_core_teachers(on):
    return policy_in_force(on).min_core_teachers


def open_exception(studio, on=None):
    """The unresolved temporary exception whose deadline has not passed on `on` (today), or None."""
    on = on or timezone.localdate()
    return (
        StudioException.objects.filter(studio=studio, resolved_on__isnull=True, deadline__gte=on)
        .order_by("-deadline")
        .first()
    )


def _current(studio):
    return list(Membership.objects.filter(studio=studio, left_on__isnull=True).select_related("user"))


def _core_count(rows):
    return sum(1 for m in rows if m.role == MembershipRole.CORE)


def _has_external_core(rows):
    return any(m.role == MembershipRole.CORE and m.is_external for m in rows)


def r1_message(count, minimum):
    rule = f"{CLAUSE_TEAM}“工作室设技能大师1人，骨干教师不少于{minimum}人”"
    return f"变更后骨干教师{count}人，少于规定的{minimum}人，不符合{rule}。如确需变更，请教学工作部先登记临时例外（含整改期限）。"


R3_MESSAGE = (
    f"校企联办的工作室须至少有1名来自合作企业的校外骨干教师（{CLAUSE_R3}），本次变更后将没有。"
    "如确需变更，请教学工作部先登记临时例外（含整改期限）。"
)


def external_problems(user, on):
    """R2 for one external person on `on`: registered at a partner enterprise with an agreement in force that day
    (and assessed as influential). Empty list: he may join."""
    affiliation = ExternalAffiliation.objects.filter(user=user).select_related("enterprise").first()
    name = f"{user.display_name}（{user.username}）"
    if affiliation is None:
        return [f"校外人员{name}未登记所在企业"]
    issues = affiliation.enterprise.supply_problems(on)
    return [f"校外人员{name}所在企业" + "，".join(issues)] if issues else []


def _check_team_change(studio, before, after, on):
    """R1/R3 on a change from `before` to `after` (current rows): refused when the change lowers the number of core
    teachers below the minimum, or leaves a joint studio without an external core teacher — unless teaching affairs
    has recorded a temporary exception still in force. Returns the exception used (or None)."""
    minimum = min_core_teachers(on)
    problems = []
    if _core_count(after) < minimum and _core_count(after) < _core_count(before):
        problems.append(r1_message(_core_count(after), minimum))
    if studio.mode == StudioMode.JOINT and _has_external_core(before) and not _has_external_core(after):
        problems.append(R3_MESSAGE)
    if not problems:
        return None
    exception = open_exception(studio)
    if exception is None:
        raise ValidationError(problems)
    return exception


def _letters_note(exception):
    return {"exception": exception.pk} if exception else {}


# --- Registration (历史登记) ------------------------------------------------------------------------------------------


@dataclass
class MemberInput:
    user: object
    role: str  # MembershipRole.CORE / MEMBER
    joined_on: dt.date | None = None


@dataclass
class Registration:
    official_name: str
    document_number: str
    approved_on: dt.date
    master: object
    department: object
    mode: str
    venue_school: str = ""
    venue_partner: str = ""
    partner_enterprise: object = None
    members: list = field(default_factory=list)


def registration_problems(reg: Registration, *, today=None) -> list[str]:
    """Everything wrong with a registration (Chinese, empty when it may be saved). Used by the form, the API and the
    Excel import (which prefixes each message with its row)."""
    today = today or timezone.localdate()
    problems = []
    if not reg.official_name.strip():
        problems.append("请填写工作室名称")
    elif not reg.official_name.endswith("技能大师工作室"):
        problems.append("工作室名称须以“技能大师工作室”结尾")
    if not reg.document_number.strip():
        problems.append("请填写认定文号")
    if reg.approved_on is None:
        problems.append("请填写认定日期")
    elif reg.approved_on > today:
        problems.append("认定日期不能晚于今天（历史登记的工作室须已认定）")
    elif reg.approved_on.year < 1990:
        problems.append("认定日期不能早于1990年")
    if reg.mode not in StudioMode.values:
        problems.append("设立方式须为“学校单独创办”或“校企联办”")
    if reg.master is not None and (reg.master.is_external or not reg.master.is_active):
        problems.append("技能大师须为在职的校内教职工")
    if reg.mode == StudioMode.JOINT and reg.partner_enterprise is None:
        problems.append("校企联办的工作室须选择合作企业")
    if reg.partner_enterprise is not None and not reg.partner_enterprise.is_partner:
        problems.append(f"「{reg.partner_enterprise.name}」未登记为学校合作企业")
    seen = set()
    for m in reg.members:
        name = f"{m.user.display_name}（{m.user.username}）"
        if reg.master is not None and m.user.pk == reg.master.pk:
            problems.append(f"技能大师{name}不能同时作为成员")
        elif m.user.pk in seen:
            problems.append(f"成员{name}重复")
        seen.add(m.user.pk)
        if not m.user.is_active:
            problems.append(f"成员{name}的账号已停用")
        joined = m.joined_on or reg.approved_on
        if joined and reg.approved_on and joined < reg.approved_on:
            problems.append(f"成员{name}的加入日期早于认定日期")
        if m.user.is_external and joined:
            problems.extend(external_problems(m.user, joined))
    if reg.approved_on:
        minimum = min_core_teachers(reg.approved_on)
        cores = sum(1 for m in reg.members if m.role == MembershipRole.CORE)
        if cores < minimum:
            problems.append(
                f"骨干教师{cores}人，少于规定的{minimum}人，不符合{CLAUSE_TEAM}“工作室设技能大师1人，骨干教师不少于{minimum}人”"
            )
        if reg.mode == StudioMode.JOINT and not any(
            m.role == MembershipRole.CORE and m.user.is_external for m in reg.members
        ):
            problems.append(f"校企联办的工作室须至少有1名来自合作企业的校外骨干教师（{CLAUSE_R3}）")
    if reg.official_name.strip() and Studio.objects.filter(official_name=reg.official_name.strip()).exists():
        problems.append(f"已有名为「{reg.official_name.strip()}」的工作室")
    return problems


def register_studio(reg: Registration, *, by, note=""):
    """历史登记: teaching affairs records a studio approved before the platform, with its members, without the
    application workflow. Refused (ValidationError, nothing saved) when any rule fails."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部可以登记历史工作室。")
    problems = registration_problems(reg)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        studio = Studio.objects.create(
            source=StudioSource.REGISTERED,
            official_name=reg.official_name.strip(),
            plaque_name=plaque_name(school_name(reg.approved_on), reg.master.display_name),
            master=reg.master,
            mode=reg.mode,
            venue_school=reg.venue_school.strip(),
            venue_partner=reg.venue_partner.strip(),
            partner_enterprise=reg.partner_enterprise,
            department=reg.department,
            status=StudioStatus.ACTIVE,
            document_number=reg.document_number.strip(),
            approved_on=reg.approved_on,
        )
        rows = [
            Membership(
                studio=studio,
                user=reg.master,
                role=MembershipRole.MASTER,
                joined_on=reg.approved_on,
                join_reason="历史登记",
            )
        ]
        rows += [
            Membership(
                studio=studio,
                user=m.user,
                role=m.role,
                is_external=m.user.is_external,
                joined_on=m.joined_on or reg.approved_on,
                join_reason="历史登记",
            )
            for m in reg.members
        ]
        Membership.objects.bulk_create(rows)
        log_action(
            actor=by,
            action="studios.studio.registered",
            obj=studio,
            after={
                "source": StudioSource.REGISTERED,
                "official_name": studio.official_name,
                "plaque_name": studio.plaque_name,
                "document_number": studio.document_number,
                "approved_on": studio.approved_on.isoformat(),
                "mode": studio.mode,
                "partner_enterprise": studio.partner_enterprise_id,
                "members": [[r.user_id, r.role, r.joined_on.isoformat()] for r in rows],
            },
            note=note,
        )
    return studio


# --- Membership over time --------------------------------------------------------------------------------------------


def add_member(studio, *, by, user, role, joined_on=None, reason=""):
    """The master or teaching affairs adds a member (骨干教师/成员) on `joined_on` (today). R1–R3 checked; a
    re-joining member gets a new row. Locks the studio row."""
    joined_on = joined_on or timezone.localdate()
    if role not in (MembershipRole.CORE, MembershipRole.MEMBER):
        _refuse("成员角色须为“骨干教师”或“成员”。")
    with transaction.atomic():
        studio = lock_studio(studio)
        ensure_writable(studio)
        _require(by, "manage_members", studio, "只有本工作室的技能大师或教学工作部可以调整成员。")
        if joined_on > timezone.localdate():
            _refuse("加入日期不能晚于今天。")
        if joined_on < studio.approved_on:
            _refuse("加入日期不能早于工作室认定日期。")
        if not user.is_active:
            _refuse(f"{user.display_name}的账号已停用，不能加入工作室。")
        before = _current(studio)
        if any(m.user_id == user.pk for m in before):
            _refuse(f"{user.display_name}已是本工作室成员。")
        if user.is_external:
            problems = external_problems(user, joined_on)
            if problems:
                raise ValidationError([p + "，不符合" + CLAUSE_TEAM + "对校外成员的要求。" for p in problems])
        row = Membership(
            studio=studio,
            user=user,
            role=role,
            is_external=user.is_external,
            joined_on=joined_on,
            join_reason=reason.strip()[:200],
        )
        exception = _check_team_change(studio, before, [*before, row], joined_on)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            _refuse(f"{user.display_name}已是本工作室成员。")
        log_action(
            actor=by,
            action="studios.membership.added",
            obj=studio,
            after={"membership": row.pk, "user": user.pk, "role": role, "joined_on": joined_on.isoformat()}
            | _letters_note(exception),
            note=reason,
        )
    return row


def remove_member(studio, membership_id, *, by, left_on=None, reason):
    """The member leaves on `left_on` (today) for `reason`: the row is kept with left_on and leave_reason. Refused
    when it lowers the core teachers below the minimum (R1) or leaves a joint studio without an external core teacher
    (R3), unless a temporary exception is in force. Locks the studio row, so concurrent removals see each other."""
    left_on = left_on or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        _refuse("请填写退出原因。")
    with transaction.atomic():
        studio = lock_studio(studio)
        ensure_writable(studio)
        _require(by, "manage_members", studio, "只有本工作室的技能大师或教学工作部可以调整成员。")
        before = _current(studio)
        row = next((m for m in before if m.pk == membership_id), None)
        if row is None:
            _refuse("该成员不在本工作室的现有成员中（可能已退出）。")
        if row.role == MembershipRole.MASTER:
            _refuse("技能大师不能退出自己的工作室；如需更换技能大师，请联系教学工作部。")
        if left_on > timezone.localdate():
            _refuse("退出日期不能晚于今天。")
        if left_on < row.joined_on:
            _refuse("退出日期不能早于加入日期。")
        after = [m for m in before if m.pk != row.pk]
        exception = _check_team_change(studio, before, after, left_on)
        Membership.objects.filter(pk=row.pk).update(left_on=left_on, leave_reason=reason[:200])
        cleared = {}
        if studio.exec_lead_id == row.pk:
            cleared["exec_lead"] = None
        if studio.contact_id == row.pk:
            cleared["contact"] = None
        if cleared:
            Studio.objects.filter(pk=studio.pk).update(**{f"{k}_id": v for k, v in cleared.items()})
        log_action(
            actor=by,
            action="studios.membership.removed",
            obj=studio,
            before={"membership": row.pk, "user": row.user_id, "role": row.role},
            after={"left_on": left_on.isoformat(), "leave_reason": reason, "cleared": sorted(cleared)}
            | _letters_note(exception),
            note=reason,
        )
    row.left_on, row.leave_reason = left_on, reason
    return row


def set_contacts(studio, *, by, exec_lead_id, contact_id):
    """执行负责人 and 联系人: current members (ids of Membership rows, or None), set by the master, the department or
    teaching affairs."""
    with transaction.atomic():
        studio = lock_studio(studio)
        ensure_writable(studio)
        _require(by, "set_contacts", studio, "只有本工作室的技能大师、所在系部或教学工作部可以指定执行负责人和联系人。")
        current = {m.pk for m in _current(studio)}
        for label, value in (("执行负责人", exec_lead_id), ("联系人", contact_id)):
            if value is not None and value not in current:
                _refuse(f"{label}须为本工作室的现有成员。")
        before = {"exec_lead": studio.exec_lead_id, "contact": studio.contact_id}
        Studio.objects.filter(pk=studio.pk).update(exec_lead_id=exec_lead_id, contact_id=contact_id)
        log_action(
            actor=by,
            action="studios.studio.contacts_set",
            obj=studio,
            before=before,
            after={"exec_lead": exec_lead_id, "contact": contact_id},
        )
    studio.exec_lead_id, studio.contact_id = exec_lead_id, contact_id
    return studio


# --- Temporary exceptions (R1) ---------------------------------------------------------------------------------------


def record_exception(studio, *, by, reason, deadline):
    reason = (reason or "").strip()
    if not reason:
        _refuse("请填写临时例外的原因。")
    if deadline is None or deadline < timezone.localdate():
        _refuse("整改期限须为今天或以后的日期。")
    if deadline > timezone.localdate() + dt.timedelta(days=366):
        _refuse("整改期限不能超过一年。")
    with transaction.atomic():
        studio = lock_studio(studio)
        ensure_writable(studio)
        _require(by, "manage", studio, "只有教学工作部可以登记临时例外。")
        row = StudioException.objects.create(studio=studio, reason=reason[:1000], deadline=deadline, created_by=by)
        log_action(
            actor=by,
            action="studios.exception.recorded",
            obj=studio,
            after={"exception": row.pk, "reason": row.reason, "deadline": deadline.isoformat()},
        )
    return row


def resolve_exception(exception, *, by, resolution=""):
    with transaction.atomic():
        studio = lock_studio(exception.studio)
        ensure_writable(studio)
        _require(by, "manage", studio, "只有教学工作部可以解除临时例外。")
        row = StudioException.objects.select_for_update().get(pk=exception.pk)
        if row.resolved_on is not None:
            _refuse("该临时例外已解除。")
        row.resolved_on, row.resolved_by, row.resolution = timezone.localdate(), by, (resolution or "").strip()[:500]
        row.save(update_fields=["resolved_on", "resolved_by", "resolution", "updated_at"])
        log_action(
            actor=by,
            action="studios.exception.resolved",
            obj=studio,
            after={"exception": row.pk, "resolution": row.resolution},
        )
    return row


# --- 责任书 -----------------------------------------------------------------------------------------------------------


def current_template():
    return ResponsibilityLetterTemplate.objects.order_by("-id").first()


def save_letter_template(*, by, school_duties, studio_duties, term_years):
    """A new version of the 责任书 terms (letters already generated keep theirs)."""
    if not may_write_as(by, Role.TEACHING_AFFAIRS, Role.ADMIN):
        raise PermissionDenied("只有教学工作部或系统管理员可以编辑责任书模板。")
    row = ResponsibilityLetterTemplate(
        school_duties=(school_duties or "").strip(),
        studio_duties=(studio_duties or "").strip(),
        term_years=term_years,
        edited_by=by,
    )
    row.full_clean(exclude=["edited_by"])
    with transaction.atomic():
        row.save()
        log_action(
            actor=by,
            action="studios.letter_template.saved",
            obj=row,
            after={"school_duties": row.school_duties, "studio_duties": row.studio_duties, "term_years": term_years},
        )
    return row


def current_letter(studio):
    return ResponsibilityLetter.objects.filter(studio=studio).order_by("-term_start", "-id").first()


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def generate_letter(studio, *, by, term_start=None):
    """A 责任书 for the studio from the current template (term_start: today). An unsigned letter of the studio is
    replaced by the new one's terms (one open letter at a time); a signed one stays and the new term follows."""
    template = current_template()
    if template is None:
        _refuse("尚未设置责任书模板，请教学工作部先编辑责任书模板。")
    term_start = term_start or timezone.localdate()
    with transaction.atomic():
        studio = lock_studio(studio)
        ensure_writable(studio)
        _require(by, "manage", studio, "只有教学工作部可以生成责任书。")
        open_letter = ResponsibilityLetter.objects.filter(studio=studio, signed_on__isnull=True).first()
        term_end = _add_years(term_start, template.term_years) - dt.timedelta(days=1)
        if open_letter is not None:
            open_letter.template, open_letter.term_start, open_letter.term_end = template, term_start, term_end
            open_letter.generated_by = by
            open_letter.save(update_fields=["template", "term_start", "term_end", "generated_by", "updated_at"])
            letter = open_letter
        else:
            letter = ResponsibilityLetter.objects.create(
                studio=studio, template=template, term_start=term_start, term_end=term_end, generated_by=by
            )
        log_action(
            actor=by,
            action="studios.letter.generated",
            obj=studio,
            after={
                "letter": letter.pk,
                "template": template.pk,
                "term_start": term_start.isoformat(),
                "term_end": term_end.isoformat(),
            },
        )
    return letter


# a signed scan is a PDF or a photo of the paper; Office files (allowed elsewhere) are no scan
validate_scan = UploadValidator(allowed=("pdf", "jpg", "jpeg", "png"))


def sign_letter(letter, *, by, upload, signed_on):
    """The signed scan (content-checked like every upload) and the signing date: the letter is then signed and no
    longer an open task. A signed letter cannot be re-signed."""
    if upload is None:
        _refuse("请上传签字盖章后的责任书扫描件。")
    if signed_on is None:
        _refuse("请填写签订日期。")
    if signed_on > timezone.localdate():
        _refuse("签订日期不能晚于今天。")
    validate_scan(upload)
    with transaction.atomic():
        studio = lock_studio(letter.studio)
        ensure_writable(studio)
        _require(by, "sign_letter", studio, "只有本工作室的技能大师或教学工作部可以上传签订的责任书。")
        row = ResponsibilityLetter.objects.select_for_update().get(pk=letter.pk)
        if row.signed_on is not None:
            _refuse("该责任书已签订，不能重复上传。")
        if signed_on < row.created_at.date() - dt.timedelta(days=366):
            _refuse("签订日期不能早于责任书生成前一年。")
        row.signed_file.save(upload.name, upload, save=False)
        row.signed_file_name = upload.name[:200]
        row.signed_on, row.signed_by = signed_on, by
        row.save(update_fields=["signed_file", "signed_file_name", "signed_on", "signed_by", "updated_at"])
        log_action(
            actor=by,
            action="studios.letter.signed",
            obj=studio,
            after={"letter": row.pk, "signed_on": signed_on.isoformat(), "file": row.signed_file_name},
        )
    return row
