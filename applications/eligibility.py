"""The submission pre-check: the people app's eligibility and composition rules plus this app's own checks.

Each item is {"code", "title", "verdict" ("pass"/"fail"/"human"), "message"}. Submission is refused while any item
fails; "human" items (R8 attestations, R7 relevance…) are shown to the reviewers, never block.
"""

from django.utils import timezone

from accounts.models import User
from people import rules as people_rules

from .enums import AttachmentKind, MemberRole

PASS, FAIL, HUMAN = "pass", "fail", "human"
STUDIO_SUFFIX = "技能大师工作室"


def _item(code, title, ok, message, verdict=None):
    return {"code": code, "title": title, "verdict": verdict or (PASS if ok else FAIL), "message": message}


def _from_report(report):
    items = []
    for result in getattr(report, "results", []) or []:
        verdict = str(getattr(result.verdict, "value", result.verdict)).lower()
        items.append({"code": result.code, "title": result.title, "verdict": verdict, "message": result.message or ""})
    return items


def _people_rules():
    rules = people_rules
    needed = ("check_master_eligibility", "check_team_composition", "check_studio_name", "MemberSpec")
    return rules if all(hasattr(rules, n) for n in needed) else None


def precheck(application, on=None):
    """All checks for `application` as of `on` (default: today). Members/attachments are read fresh from the DB."""
    on = on or timezone.localdate()
    members = list(application.members.select_related("user"))
    items = []
    rules = _people_rules()
    if rules is not None:
        master = User.objects.get(pk=application.applicant_id)
        specs = [rules.MemberSpec(user=m.user, role=m.role) for m in members]
        items += _from_report(rules.check_studio_name(application.studio_name))
        items += _from_report(rules.check_master_eligibility(master, on))
        items += _from_report(rules.check_team_composition(master, specs, application.mode, on))
    else:
        name = application.studio_name.strip()
        items.append(
            _item(
                "R9",
                "工作室名称格式",
                name.endswith(STUDIO_SUFFIX) and len(name) > len(STUDIO_SUFFIX),
                f"名称须为“职业工种名称 + {STUDIO_SUFFIX}”。",
            )
        )
        cores = sum(1 for m in members if m.role == MemberRole.CORE)
        items.append(_item("R1", "骨干教师人数", cores >= 3, f"骨干教师不少于 3 人（当前 {cores} 人）。"))
    items += _local_checks(application, members)
    return items


def _local_checks(application, members):
    items = []
    missing = [
        label
        for field, label in (
            ("occupation", "职业工种"),
            ("venue_school", "校内主场地"),
            ("basic_conditions", "工作室基本条件"),
            ("support_measures", "系部支持措施"),
            ("work_plan", "工作计划"),
            ("main_directions", "主要工作方向"),
        )
        if not getattr(application, field).strip()
    ]
    items.append(
        _item(
            "R10", "申报报告内容", not missing, "请填写：" + "、".join(missing) if missing else "申报报告各部分已填写。"
        )
    )
    has_scan = application.attachments.filter(kind=AttachmentKind.FORM_SCAN).exists()
    items.append(
        _item(
            "R10-form",
            "申报表签字扫描件",
            has_scan,
            "已上传。" if has_scan else "请上传签字后的申报表扫描件（PDF/JPG/PNG）。",
        )
    )
    has_majors = application.majors.exists()
    items.append(
        _item("R7-form", "相关专业", has_majors, "已选择。" if has_majors else "请至少选择一个与工作室相关的专业。")
    )
    if application.mode != "joint" and application.venue_partner.strip():
        items.append(_item("R3", "场地", False, "只有“校企联办”的工作室可以延伸至合作企业的研发中心或生产车间。"))
    if application.applicant_id in {m.user_id for m in members}:
        items.append(_item("R1", "技能大师", False, "技能大师本人不能同时列为工作室成员。"))
    attested = application.attest_political and application.attest_truthful
    items.append(
        _item(
            "R8-form", "政治素质与师德承诺", attested, "已承诺（由评审人员判断）。" if attested else "请勾选承诺事项。"
        )
    )
    return items


def failures(items):
    return [i for i in items if i["verdict"] == FAIL]


def failure_message(items):
    return "；".join(f"【{i['code']} {i['title']}】{i['message']}" for i in failures(items))
