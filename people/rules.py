"""Eligibility and composition rules (DOMAIN R1–R9) as pure functions: no web code, no writes.

Each check returns a Report with one RuleResult per rule: its code, a verdict (符合 / 不符合 / 需人工判断), a Chinese
message citing the clause of 《重庆市工业学校技能大师工作室建设方案（试行）》 (“《建设方案》”), and the evidence used.
The parameters come from the policy in force on the date checked (people.policy.policy_in_force).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .enums import HonorLevel, HonorRank, MemberRole, StudioMode, Verdict, WorkKind, level_rank, rank_rank
from .models import ExternalAffiliation, Honor, StaffProfile, WorkPeriod
from .policy import HonorRuleSpec, fallback_note, honor_rule_specs, policy_in_force

__all__ = [
    "MemberSpec",
    "Report",
    "RuleResult",
    "Verdict",
    "age_on",
    "check_master_eligibility",
    "check_studio_name",
    "check_team_composition",
    "merge_periods",
    "months_in_periods",
]

CLAUSE_TEAM = "《建设方案》三“成员组成及选拔条件”"
CLAUSE_R4 = "《建设方案》三(1)5"
CLAUSE_R5 = "《建设方案》三(1)3"
CLAUSE_R6 = "《建设方案》三(1)4"
CLAUSE_R7 = "《建设方案》三(1)2"
CLAUSE_R8 = "《建设方案》三(1)1"
CLAUSE_R9 = "《建设方案》“申报与认定”第2项"
CLAUSE_R3 = "《建设方案》四(三)“设立方式”"
NAME_SUFFIX = "技能大师工作室"
# date.max minus one day: the month arithmetic below looks at the day after a period.
_LAST_DAY = date(9999, 12, 30)


@dataclass
class RuleResult:
    code: str
    title: str
    verdict: str
    message: str
    evidence: list[str] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label


@dataclass
class Report:
    results: list[RuleResult] = field(default_factory=list)
    # Policy version used (None for a name check) and general remarks such as "no policy row: defaults used".
    policy_year: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.verdict == Verdict.FAIL]

    @property
    def needs_human(self) -> list[RuleResult]:
        return [r for r in self.results if r.verdict == Verdict.HUMAN]

    def get(self, code: str) -> RuleResult | None:
        return next((r for r in self.results if r.code == code), None)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "policy_year": self.policy_year,
            "notes": list(self.notes),
            "results": [
                {
                    "code": r.code,
                    "title": r.title,
                    "verdict": str(r.verdict),
                    "message": r.message,
                    "evidence": list(r.evidence),
                }
                for r in self.results
            ],
        }


@dataclass
class MemberSpec:
    user: object  # accounts.User
    role: str = MemberRole.MEMBER  # "core" 骨干教师 / "member" 成员


# --- Dates ----------------------------------------------------------------------------------------------------------


def _anniversary(birth: date, year: int) -> date:
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birth.replace(year=year)


def age_on(birth: date, on: date) -> int:
    """周岁 on `on`. As in Chinese legal usage, a person reaches N 周岁 on the day AFTER their N-th birthday, so "45周岁
    以下" still holds on the 46th birthday itself and fails from the day after."""
    years = on.year - birth.year
    if on <= _anniversary(birth, on.year):
        years -= 1
    return max(years, 0)


def merge_periods(periods: Iterable[tuple[date, date]], *, until: date | None = None) -> list[tuple[date, date]]:
    """Union of inclusive date ranges (overlapping or touching ranges merge); days after `until` are cut off."""
    ranges = []
    for start, end in periods:
        end = min(end, _LAST_DAY) if until is None else min(end, until, _LAST_DAY)
        if end >= start:
            ranges.append((start, end))
    ranges.sort()
    merged: list[tuple[date, date]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _add_months(d: date, months: int) -> date:
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _span_months(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months and remaining days in the inclusive range start..end."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if _add_months(start, months) > after:
        months -= 1
    return months, (after - _add_months(start, months)).days


def months_in_periods(merged: list[tuple[date, date]]) -> tuple[int, int]:
    """Total (months, days) of merged periods; leftover days of separate periods add up, 30 days making a month."""
    months = days = 0
    for start, end in merged:
        m, d = _span_months(start, end)
        months += m
        days += d
    return months + days // 30, days % 30


def _fmt_duration(months: int, days: int) -> str:
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years}年")
    if months:
        parts.append(f"{months}个月")
    if days:
        parts.append(f"{days}天")
    return "".join(parts) or "0天"


# --- Master eligibility (R4–R8) -------------------------------------------------------------------------------------


def _check_age(profile, on, policy) -> RuleResult:
    title = "年龄"
    limit = policy.master_max_age
    if profile is None or profile.birth_date is None:
        return RuleResult(
            "R4",
            title,
            Verdict.FAIL,
            f"年龄：缺少出生日期，无法按{CLAUSE_R4}（{limit}周岁以下）判断。请在教职工档案中填写出生日期。",
            ["缺少：出生日期"],
        )
    age = age_on(profile.birth_date, on)
    evidence = [f"出生日期：{profile.birth_date:%Y-%m-%d}", f"截至{on:%Y-%m-%d}：{age}周岁"]
    if age <= limit:
        return RuleResult(
            "R4",
            title,
            Verdict.PASS,
            f"年龄：截至{on:%Y-%m-%d}为{age}周岁，符合{CLAUSE_R4}规定的{limit}周岁以下。",
            evidence,
        )
    return RuleResult(
        "R4",
        title,
        Verdict.FAIL,
        f"年龄：截至{on:%Y-%m-%d}为{age}周岁，超过{CLAUSE_R4}规定的{limit}周岁。",
        evidence,
    )


def _check_experience(periods, on, policy) -> RuleResult:
    title = "企业工作经历/企业实践"
    need_years, need_months = policy.enterprise_work_years, policy.practice_months
    requirement = f"{CLAUSE_R5}规定的{need_years}年以上企业工作经历或累计{need_months}个月以上企业实践"
    by_kind = {WorkKind.WORK: [], WorkKind.PRACTICE: []}
    evidence = []
    for p in periods:
        if p.start > on:
            continue
        by_kind.setdefault(p.kind, []).append((p.start, p.end))
        proof = "有证明材料" if p.proof else "未上传证明材料"
        evidence.append(
            f"{WorkKind(p.kind).label}：{p.enterprise_name}，{p.start:%Y-%m-%d}至{p.end:%Y-%m-%d}（{proof}）"
        )
    work = months_in_periods(merge_periods(by_kind[WorkKind.WORK], until=on))
    practice = months_in_periods(merge_periods(by_kind[WorkKind.PRACTICE], until=on))
    summary = f"企业工作经历合计{_fmt_duration(*work)}，企业实践累计{_fmt_duration(*practice)}（重叠时段只计一次）"
    evidence.append(summary)
    if work[0] >= need_years * 12 or practice[0] >= need_months:
        return RuleResult("R5", title, Verdict.PASS, f"企业经历：{summary}，符合{requirement}。", evidence)
    if not periods:
        return RuleResult(
            "R5",
            title,
            Verdict.FAIL,
            f"企业经历：未登记任何企业工作经历或企业实践，不符合{requirement}。请在“我的资历”中补充并上传证明材料。",
            evidence,
        )
    return RuleResult(
        "R5",
        title,
        Verdict.FAIL,
        f"企业经历：截至{on:%Y-%m-%d}{summary}，不符合{requirement}。请补充企业工作或实践经历及证明材料。",
        evidence,
    )


def _honor_counts(spec: HonorRuleSpec, honor) -> bool:
    if honor.kind.code != spec.kind_code or level_rank(honor.level) < level_rank(spec.min_level):
        return False
    return not spec.min_rank or rank_rank(honor.rank) >= rank_rank(spec.min_rank)


def _describe_honor(h) -> str:
    rank = HonorRank(h.rank).label if h.rank else ""
    return f"{h.date:%Y-%m-%d} {HonorLevel(h.level).label}{h.kind.name}「{h.title}」{rank}（{h.issuer}）"


def _check_honors(honors, on, policy) -> RuleResult:
    title = "荣誉/奖项"
    specs = honor_rule_specs(policy)
    wanted = "；".join(s.describe() for s in specs)
    counted = [h for h in honors if h.date <= on and h.certificate]
    uncertified = [h for h in honors if h.date <= on and not h.certificate]
    evidence = [f"已上传证书：{_describe_honor(h)}" for h in counted]
    evidence += [f"未上传证书，不计入：{_describe_honor(h)}" for h in uncertified]
    for spec in specs:
        matching = [h for h in counted if _honor_counts(spec, h)]
        if len(matching) >= spec.min_count:
            names = "、".join(f"「{h.title}」" for h in matching[: spec.min_count])
            return RuleResult(
                "R6",
                title,
                Verdict.PASS,
                f"荣誉/奖项：{names}满足{CLAUSE_R6}“{spec.describe()}”的条件。",
                evidence,
            )
    missing = []
    for spec in specs:
        have = sum(1 for h in counted if _honor_counts(spec, h))
        pending = sum(1 for h in uncertified if _honor_counts(spec, h))
        if have or pending:
            text = f"“{spec.describe()}”已有{have}次"
            if pending:
                text += f"，另有{pending}次未上传证书"
            missing.append(text)
    detail = f"（{'；'.join(missing)}）" if missing else ""
    hint = "请上传获奖证书。" if uncertified else "请在“我的资历”中补充符合条件的荣誉及证书。"
    return RuleResult(
        "R6",
        title,
        Verdict.FAIL,
        f"荣誉/奖项：不满足{CLAUSE_R6}规定的以下任一条件：{wanted}{detail}。{hint}",
        evidence,
    )


def _check_field(profile) -> RuleResult:
    title = "专业领域相关性"
    majors = list(profile.majors.all()) if profile is not None else []
    if not majors:
        return RuleResult(
            "R7",
            title,
            Verdict.FAIL,
            f"专业领域：未填写任教专业，无法判断是否符合{CLAUSE_R7}“所从事的专业领域与学校的专业或课程有强相关性”。"
            "请在教职工档案中选择任教专业。",
            ["缺少：任教专业"],
        )
    names = "、".join(m.name for m in majors)
    return RuleResult(
        "R7",
        title,
        Verdict.HUMAN,
        f"专业领域：任教专业为{names}；与学校专业或课程的相关性须按{CLAUSE_R7}由审核人结合申报理由判断。",
        [f"任教专业：{names}"],
    )


def _check_attestations() -> RuleResult:
    return RuleResult(
        "R8",
        "政治素质与师德作风",
        Verdict.HUMAN,
        f"政治素质、事业心、作风及团队协作精神按{CLAUSE_R8}由申报人承诺、审核人判断，系统不作计算。",
        ["申报时由申报人签署承诺"],
    )


def check_master_eligibility(person, on: date) -> Report:
    """R4–R8 for `person` (an accounts.User) on date `on`, with the policy in force on that date."""
    policy = policy_in_force(on)
    profile = StaffProfile.objects.filter(user_id=person.pk).prefetch_related("majors").first()
    periods = list(WorkPeriod.objects.filter(user_id=person.pk).order_by("start", "id"))
    honors = list(Honor.objects.filter(user_id=person.pk).select_related("kind").order_by("date", "id"))
    report = Report(policy_year=None if policy.is_fallback else policy.year)
    if note := fallback_note(policy):
        report.notes.append(note)
    report.results = [
        _check_age(profile, on, policy),
        _check_experience(periods, on, policy),
        _check_honors(honors, on, policy),
        _check_field(profile),
        _check_attestations(),
    ]
    if profile is None:
        report.notes.append("尚未建立教职工档案：请人事部导入或本人在“我的资历”中完善。")
    return report


# --- Team composition (R1–R3) ---------------------------------------------------------------------------------------


def _person(user) -> str:
    return f"{user.display_name or user.username}（{user.username}）"


def check_team_composition(master, members: list[MemberSpec], mode: str, on: date | None = None) -> Report:
    """R1 one master (not also a member), at least min_core_teachers core members; R2 external members come from a
    partner enterprise with a valid agreement and high influence; R3 a joint studio has an external core member."""
    on = on or date.today()
    policy = policy_in_force(on)
    report = Report(policy_year=None if policy.is_fallback else policy.year)
    if note := fallback_note(policy):
        report.notes.append(note)

    # R1
    problems, evidence = [], [f"技能大师：{_person(master)}"]
    ids = [m.user.pk for m in members]
    if master.pk in ids:
        problems.append(f"技能大师{_person(master)}不能同时作为工作室成员")
    duplicates = {m.user.pk for m in members if ids.count(m.user.pk) > 1}
    if duplicates:
        names = "、".join(_person(m.user) for m in members if m.user.pk in duplicates and m.user.pk != master.pk)
        problems.append(f"成员重复：{names}")
    inactive = [m.user for m in members if not m.user.is_active]
    if inactive:
        problems.append("以下人员账号已停用：" + "、".join(_person(u) for u in inactive))
    core = [m for m in members if m.role == MemberRole.CORE and m.user.pk != master.pk]
    core_ids = {m.user.pk for m in core}
    evidence.append(f"骨干教师{len(core_ids)}人：" + ("、".join(_person(m.user) for m in core) or "无"))
    others = [m for m in members if m.role != MemberRole.CORE]
    if others:
        evidence.append(f"其他成员{len(others)}人：" + "、".join(_person(m.user) for m in others))
    if len(core_ids) < policy.min_core_teachers:
        problems.append(f"骨干教师{len(core_ids)}人，少于规定的{policy.min_core_teachers}人")
    rule = f"{CLAUSE_TEAM}“工作室设技能大师1人，骨干教师不少于{policy.min_core_teachers}人”"
    if problems:
        report.results.append(
            RuleResult("R1", "团队组成", Verdict.FAIL, f"团队组成：{'；'.join(problems)}，不符合{rule}。", evidence)
        )
    else:
        report.results.append(
            RuleResult(
                "R1",
                "团队组成",
                Verdict.PASS,
                f"团队组成：技能大师1人，骨干教师{len(core_ids)}人，符合{rule}。",
                evidence,
            )
        )

    # R2
    externals = [m for m in members if m.user.is_external]
    affiliations = {
        a.user_id: a
        for a in ExternalAffiliation.objects.filter(user_id__in=[m.user.pk for m in externals])
        .select_related("enterprise")
        .prefetch_related("enterprise__majors")
    }
    master_major_ids = set(
        StaffProfile.majors.through.objects.filter(staffprofile__user_id=master.pk).values_list("major_id", flat=True)
    )
    r2_rule = f"{CLAUSE_TEAM}“校外成员所在企业需与学校相关专业合作紧密、并具有较高行业影响力”"
    fails, unsure, ev2 = [], [], []
    qualified_external_core = []
    for m in externals:
        aff = affiliations.get(m.user.pk)
        if aff is None:
            fails.append(f"校外人员{_person(m.user)}未登记所在企业")
            continue
        ent = aff.enterprise
        ev2.append(f"{_person(m.user)}：{ent.name}{('，' + aff.position) if aff.position else ''}")
        issues = ent.supply_problems(on)
        if issues:
            fails.append(f"{_person(m.user)}所在企业" + "，".join(issues))
            continue
        if m.role == MemberRole.CORE:
            qualified_external_core.append(m)
        ent_majors = {mj.pk: mj.name for mj in ent.majors.all()}
        if not ent_majors:
            unsure.append(f"「{ent.name}」未登记合作专业")
        elif master_major_ids and not (master_major_ids & set(ent_majors)):
            unsure.append(f"「{ent.name}」的合作专业（{'、'.join(ent_majors.values())}）与技能大师任教专业不同")
    if not externals:
        report.results.append(RuleResult("R2", "校外成员所在企业", Verdict.PASS, "校外成员：无校外成员。", []))
    elif fails:
        report.results.append(
            RuleResult("R2", "校外成员所在企业", Verdict.FAIL, f"校外成员：{'；'.join(fails)}，不符合{r2_rule}。", ev2)
        )
    elif unsure:
        report.results.append(
            RuleResult(
                "R2",
                "校外成员所在企业",
                Verdict.HUMAN,
                f"校外成员：{'；'.join(unsure)}，与相关专业合作是否紧密须人工判断（{r2_rule}）。",
                ev2,
            )
        )
    else:
        report.results.append(
            RuleResult(
                "R2",
                "校外成员所在企业",
                Verdict.PASS,
                f"校外成员：所在企业均为有有效合作协议、具有较高行业影响力的合作企业，符合{r2_rule}。",
                ev2,
            )
        )

    # R3
    mode_labels = dict(StudioMode.choices)
    if mode not in mode_labels:
        report.results.append(
            RuleResult(
                "R3", "创办模式", Verdict.FAIL, f"创办模式：「{mode}」不是有效的创办模式（学校单独创办/校企联办）。"
            )
        )
    elif mode == StudioMode.JOINT and not qualified_external_core:
        report.results.append(
            RuleResult(
                "R3",
                "创办模式",
                Verdict.FAIL,
                "创办模式：校企联办的工作室须至少有1名来自合作企业的校外骨干教师（企业能工巧匠），当前没有"
                f"（{CLAUSE_R3}）。",
                ev2,
            )
        )
    else:
        label = mode_labels[mode]
        detail = (
            f"，校外骨干教师：{'、'.join(_person(m.user) for m in qualified_external_core)}"
            if mode == StudioMode.JOINT
            else ""
        )
        report.results.append(
            RuleResult("R3", "创办模式", Verdict.PASS, f"创办模式：{label}{detail}，符合{CLAUSE_R3}。")
        )
    return report


# --- Studio name (R9) -----------------------------------------------------------------------------------------------


def check_studio_name(name: str) -> Report:
    """R9: 职业工种名称 + “技能大师工作室”, e.g. 数控车工技能大师工作室."""
    name = (name or "").strip()
    rule = f"{CLAUSE_R9}规定的“职业工种名称+技能大师工作室”格式（如：数控车工技能大师工作室）"
    problem = None
    if not name:
        message = f"请填写工作室名称（格式为“职业工种名称+{NAME_SUFFIX}”，如：数控车工{NAME_SUFFIX}）。"
        return Report([RuleResult("R9", "工作室名称", Verdict.FAIL, message)])
    if not name.endswith(NAME_SUFFIX):
        problem = f"名称应以“{NAME_SUFFIX}”结尾"
    else:
        trade = name[: -len(NAME_SUFFIX)]
        if len(trade) < 2:
            problem = "“技能大师工作室”前应写明职业工种名称（至少2个字）"
        elif len(trade) > 20:
            problem = "职业工种名称过长（不超过20个字）"
        elif "工作室" in trade or "技能大师" in trade:
            problem = "职业工种名称中不应重复“技能大师”或“工作室”"
        elif not all(ch.isalnum() or ch in "（）()·-/" for ch in trade):
            problem = "职业工种名称只能包含汉字、字母、数字"
    if problem:
        return Report(
            [RuleResult("R9", "工作室名称", Verdict.FAIL, f"工作室名称「{name}」：{problem}，不符合{rule}。")]
        )
    return Report(
        [
            RuleResult(
                "R9",
                "工作室名称",
                Verdict.PASS,
                f"工作室名称「{name}」符合{rule}。",
                [f"职业工种：{name[: -len(NAME_SUFFIX)]}"],
            )
        ]
    )
