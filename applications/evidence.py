"""What a reviewer judges (issue 9 item 2): the eligibility verdicts R4–R9 of an application with the evidence behind
each — honours (with their certificates), work history, the members' profiles — for the department head, the experts
and the committee members, on the application page.

The verdicts come from the one eligibility engine (people.rules, the same functions as the applicant's pre-check and
the submission check in applications.eligibility), as of the day the application was submitted. Nothing is
recomputed another way.

Blind review (can(user, "see_identity", app) false): the same verdicts and evidence without anything that names the
applicant or the members — no birth date, no certificate or work-proof files (they are issued in the holder's name:
enums.IDENTIFYING_KINDS, docs/security.md), members listed as 成员1, 成员2 … with their role, title and level.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from people import rules
from people.enums import HonorLevel, HonorRank, WorkKind
from people.models import Honor, WorkPeriod

from .enums import Judgement

MASTER_RULES = ("R4", "R5", "R6", "R7", "R8")
COMPOSITION_RULES = ("R1", "R2", "R3")
# The department head records his own judgement of these (services.drafts.recommend_application).
JUDGED_RULES = {"R7": ("dept_r7_judgement", "dept_r7_note"), "R8": ("dept_r8_judgement", "dept_r8_note")}


@dataclass
class Verdict:
    code: str
    title: str
    verdict: str  # pass / fail / human
    verdict_label: str
    message: str
    evidence: list = field(default_factory=list)
    honors: list = field(default_factory=list)  # R6: [{"text", "url"}]
    periods: list = field(default_factory=list)  # R5: [{"text", "url"}]
    judgement: dict | None = None  # R7/R8: the department head's judgement, once recorded


def checked_on(app):
    """The day the rules are applied: the submission day (what the department saw), else today."""
    return timezone.localdate(app.submitted_at) if app.submitted_at else timezone.localdate()


def reviewer_evidence(app, *, blind):
    """{"on", "policy_year", "notes", "master": [Verdict R4–R9], "composition": [Verdict R1–R3], "members": [...]}."""

    on = checked_on(app)
    master = User.objects.get(pk=app.applicant_id)
    members = list(
        app.members.select_related(
            "user__department", "user__profile", "user__affiliation__enterprise"
        ).prefetch_related("user__profile__majors")
    )
    report = rules.check_master_eligibility(master, on)
    name_report = rules.check_studio_name(app.studio_name)
    specs = [rules.MemberSpec(user=m.user, role=m.role) for m in members]
    composition = rules.check_team_composition(master, specs, app.mode, on)

    honors = list(Honor.objects.filter(user_id=app.applicant_id).select_related("kind").order_by("date", "id"))
    periods = list(WorkPeriod.objects.filter(user_id=app.applicant_id).order_by("start", "id"))

    master_rows = []
    for result in [*report.results, *name_report.results]:
        row = _row(result)
        if result.code == "R4" and blind:
            row.evidence = [line for line in row.evidence if not line.startswith("出生日期")]
        if result.code == "R5":
            row.evidence = [line for line in row.evidence if line.startswith("企业工作经历合计")]
            row.periods = [_period(app, p, blind) for p in periods if p.start <= on]
        if result.code == "R6":
            row.evidence = []
            row.honors = [_honor(app, h, blind) for h in honors if h.date <= on]
        if result.code in JUDGED_RULES:
            row.judgement = _judgement(app, result.code)
        master_rows.append(row)

    composition_rows = []
    for result in composition.results:
        row = _row(result)
        if blind:  # the messages and evidence of R1–R3 name the master and the members
            row.message = f"{result.title}：{row.verdict_label}（匿名评审：成员姓名不显示，见下方成员概况）。"
            row.evidence = []
        composition_rows.append(row)

    return {
        "on": on,
        "policy_year": report.policy_year,
        "notes": list(report.notes),
        "master": master_rows,
        "composition": composition_rows,
        "members": [_member(m, i, blind) for i, m in enumerate(members, start=1)],
    }


def _row(result):
    verdict = str(getattr(result.verdict, "value", result.verdict))
    return Verdict(
        code=result.code,
        title=result.title,
        verdict=verdict,
        verdict_label=result.verdict_label,
        message=result.message or "",
        evidence=list(result.evidence),
    )


def _honor(app, honor, blind):
    rank = f" {HonorRank(honor.rank).label}" if honor.rank else ""
    text = f"{honor.date:%Y-%m-%d} {HonorLevel(honor.level).label}{honor.kind.name}「{honor.title}」{rank}（{honor.issuer}）"
    url = ""
    if honor.certificate and not blind:
        url = reverse("applications:evidence_file", args=[app.pk, "honor", honor.pk])
    return {"text": text, "url": url, "has_file": bool(honor.certificate), "counted": bool(honor.certificate)}


def _period(app, period, blind):
    position = f"，{period.position}" if period.position else ""
    text = (
        f"{WorkKind(period.kind).label}：{period.enterprise_name}{position}，"
        f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}"
    )
    url = ""
    if period.proof and not blind:
        url = reverse("applications:evidence_file", args=[app.pk, "work", period.pk])
    return {"text": text, "url": url, "has_file": bool(period.proof)}


def _judgement(app, code):
    verdict_field, note_field = JUDGED_RULES[code]
    value = getattr(app, verdict_field)
    if not value:
        return None
    return {"verdict": value, "label": Judgement(value).label, "note": getattr(app, note_field)}


def _member(member, index, blind):
    user = member.user
    profile = getattr(user, "profile", None) if not user.is_external else None
    affiliation = getattr(user, "affiliation", None) if user.is_external else None
    return {
        "name": f"成员{index}" if blind else f"{user.display_name}（{user.username}）",
        "role": member.get_role_display(),
        "where": (
            f"校外：{affiliation.enterprise.name}{('，' + affiliation.position) if affiliation.position else ''}"
            if affiliation is not None
            else ("校外" if user.is_external else (user.department.name if user.department_id else "校内"))
        ),
        "title": profile.title if profile else "",
        "skill": " ".join(x for x in (profile.skill_certificate, profile.get_skill_level_display()) if x)
        if profile
        else "",
        "majors": "、".join(m.name for m in profile.majors.all()) if profile else "",
    }
