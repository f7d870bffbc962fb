"""The registry of requirement checkers of 推荐申报: `check` key of a LevelRequirement → how it is judged from the data.

Each checker reads the facts of a studio (`Facts`, gathered for many studios at once by `gather()` in a FIXED number
of statements: the studios with their master's skill level, confirmed 名师带徒 counts, confirmed 年度考核 grades,
the master's honours — whatever the number of studios) and answers a `Result`: 满足 / 未满足 / 需人工核实 with a
one-line Chinese explanation and, where there is one, a link to the evidence. Missing data (no skill level on the
master's profile, fewer confirmed 年度考核 results than asked) is 需人工核实 — never guessed. `manual` is always
需人工核实: a person confirms it at submission.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from evaluation.enums import GRADE_RANK, Grade, RoundStatus
from evaluation.models import Scorecard
from ledger.enums import RecordStatus
from ledger.models import Mentorship
from people.enums import HonorLevel, SkillLevel, level_rank
from people.models import Honor
from studios.models import Studio

from .enums import Verdict


@dataclass(frozen=True)
class Result:
    verdict: str
    text: str
    url: str = ""

    @property
    def verdict_label(self):
        return Verdict(self.verdict).label

    def as_dict(self):
        return {"verdict": self.verdict, "text": self.text, "url": self.url}


@dataclass
class Facts:
    """What the checkers know of one studio (read by gather())."""

    studio_id: int
    level: str
    approved_on: dt.date
    master_id: int
    skill_level: str = ""
    apprentices: int = 0
    grades: list = field(default_factory=list)  # [(year, grade, scorecard_id)] newest first
    honors: dict = field(default_factory=dict)  # level → True when a certificate is uploaded for one of that level


@dataclass(frozen=True)
class Checker:
    key: str
    label: str  # shown in the admin's choice list
    run: Callable  # (facts, number, choice, today) -> Result
    number: str = ""  # what `number` means ("" = unused)
    choices: tuple = ()  # allowed values of `choice` (empty = unused)


def _skill_rank(code):
    """二级 → 2; lower is higher (一级/高级技师 is the top)."""
    return int(code) if code and str(code).isdigit() else None


def _master_skill_level(facts, number, choice, today):
    url = reverse("people:staff_detail", args=[facts.master_id])
    rank = _skill_rank(facts.skill_level)
    wanted = SkillLevel(str(number)).label if str(number) in SkillLevel.values else f"{number}级"
    if rank is None:
        return Result(Verdict.MANUAL, f"技能大师的教职工档案未登记技能等级，需核实是否达到{wanted}。", url)
    have = SkillLevel(facts.skill_level).label
    if rank <= number:
        return Result(Verdict.MET, f"技能大师技能等级为{have}，达到{wanted}。", url)
    return Result(Verdict.UNMET, f"技能大师技能等级为{have}，未达到{wanted}。", url)


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _years_in_operation(facts, number, choice, today):
    due = add_years(facts.approved_on, number)
    since = f"{facts.approved_on:%Y-%m-%d} 认定"
    if due <= today:
        return Result(Verdict.MET, f"工作室于 {since}，运行已满 {number} 年。")
    return Result(Verdict.UNMET, f"工作室于 {since}，至 {due:%Y-%m-%d} 方满 {number} 年。")


def _apprentices(facts, number, choice, today):
    url = reverse("ledger:mentorships") + f"?studio={facts.studio_id}&status=confirmed"
    text = f"已确认的名师带徒记录 {facts.apprentices} 人次"
    if facts.apprentices >= number:
        return Result(Verdict.MET, f"{text}，不少于 {number} 人。", url)
    return Result(Verdict.UNMET, f"{text}，少于 {number} 人。", url)


def _grade_url(grades):
    return reverse("evaluation:scorecard", args=[grades[0][2]]) if grades else ""


def _recent_grades(facts, number, choice, today):
    worst = Grade(choice)
    recent = facts.grades[:number]
    listed = "、".join(f"{year}年{Grade(grade).label}" for year, grade, _pk in recent)
    below = [(y, g) for y, g, _pk in recent if GRADE_RANK[g] > GRADE_RANK[worst]]
    if below:
        return Result(Verdict.UNMET, f"最近的年度考核结果为{listed}，有低于{worst.label}的结果。", _grade_url(recent))
    if len(recent) < number:
        have = f"仅有 {len(recent)} 次已认定的年度考核结果（{listed}）" if recent else "尚无已认定的年度考核结果"
        return Result(Verdict.MANUAL, f"{have}，需核实最近 {number} 次考核结果。", _grade_url(recent))
    return Result(Verdict.MET, f"最近 {number} 次年度考核结果为{listed}，均为{worst.label}及以上。", _grade_url(recent))


def _recent_excellent(facts, number, choice, today):
    recent = facts.grades[:number]
    listed = "、".join(f"{year}年{Grade(grade).label}" for year, grade, _pk in recent)
    if any(g == Grade.EXCELLENT for _y, g, _pk in recent):
        return Result(Verdict.MET, f"最近的年度考核结果为{listed}，其中有优秀。", _grade_url(recent))
    if len(recent) < number:
        have = f"仅有 {len(recent)} 次已认定的年度考核结果（{listed}）" if recent else "尚无已认定的年度考核结果"
        return Result(Verdict.MANUAL, f"{have}，需核实最近 {number} 次考核中是否有优秀。", _grade_url(recent))
    return Result(Verdict.UNMET, f"最近 {number} 次年度考核结果为{listed}，没有优秀。", _grade_url(recent))


def _master_honor_level(facts, number, choice, today):
    url = reverse("people:staff_detail", args=[facts.master_id])
    wanted = HonorLevel(choice).label
    qualifying = {lvl: cert for lvl, cert in facts.honors.items() if level_rank(lvl) >= level_rank(choice)}
    if any(qualifying.values()):
        best = max((lvl for lvl, cert in qualifying.items() if cert), key=level_rank)
        return Result(Verdict.MET, f"技能大师获{HonorLevel(best).label}荣誉（已上传证书），达到{wanted}及以上。", url)
    if qualifying:
        return Result(Verdict.MANUAL, f"技能大师登记了{wanted}及以上荣誉，但未上传证书，需核实。", url)
    return Result(Verdict.UNMET, f"教职工档案中没有技能大师获{wanted}及以上荣誉的记录。", url)


def _current_level(facts, number, choice, today):
    wanted = HonorLevel(choice).label
    have = HonorLevel(facts.level).label
    if level_rank(facts.level) >= level_rank(choice):
        return Result(Verdict.MET, f"工作室现为{have}技能大师工作室。")
    return Result(Verdict.UNMET, f"工作室现为{have}，尚未获{wanted}认定。")


def _manual(facts, number, choice, today):
    return Result(Verdict.MANUAL, "此项需由推荐人对照申报材料人工核实。")


LEVEL_CHOICES = (HonorLevel.CITY.value, HonorLevel.PROVINCE.value, HonorLevel.NATIONAL.value)
GRADE_CHOICES = (Grade.EXCELLENT.value, Grade.GOOD.value, Grade.PASS.value)

CHECKS = {
    c.key: c
    for c in (
        Checker("master_skill_level", "技能大师技能等级（数值：1 为一级/高级技师，2 为二级/技师）", _master_skill_level,
                number="不低于的技能等级（1–5）"),
        Checker("years_in_operation", "工作室运行年限（数值：年）", _years_in_operation, number="年数"),
        Checker("apprentices", "累计带徒人数（数值：人）", _apprentices, number="人数"),
        Checker("recent_grades", "最近 n 次年度考核等级（数值：次数；选项：最低等级）", _recent_grades,
                number="次数", choices=GRADE_CHOICES),
        Checker("recent_excellent", "最近 n 次年度考核中至少 1 次优秀（数值：次数）", _recent_excellent, number="次数"),
        Checker("master_honor_level", "技能大师荣誉级别（选项：最低级别）", _master_honor_level, choices=LEVEL_CHOICES),
        Checker("current_level", "工作室已获认定级别（选项：最低级别）", _current_level, choices=LEVEL_CHOICES),
        Checker("manual", "人工核实", _manual),
    )
}  # fmt: skip


CHECKER_CHOICES = [(c.key, c.label) for c in CHECKS.values()]


def parameter_problem(check, number, choice):
    """A Chinese message when a requirement's parameters do not fit its checker, else None."""
    checker = CHECKS.get(check)
    if checker is None:
        return "请选择有效的核验方式。"
    if checker.number and not number:
        return f"此核验方式需要填写数值参数（{checker.number}）。"
    if check == "master_skill_level" and not 1 <= (number or 0) <= 5:
        return "技能等级须为 1 至 5。"
    if checker.choices and choice not in checker.choices:
        return "请选择有效的选项参数。"
    return None


def gather(studio_ids):
    """{studio_id: Facts} in four statements whatever the number of studios."""
    ids = [int(i) for i in studio_ids]
    if not ids:
        return {}
    facts = {
        pk: Facts(pk, level, approved_on, master_id, skill_level or "")
        for pk, level, approved_on, master_id, skill_level in Studio.objects.filter(pk__in=ids).values_list(
            "pk", "level", "approved_on", "master_id", "master__profile__skill_level"
        )
    }
    for studio_id, count in (
        Mentorship.objects.filter(studio_id__in=ids, status=RecordStatus.CONFIRMED)
        .values("studio_id")
        .annotate(n=Count("pk"))
        .values_list("studio_id", "n")
    ):
        facts[studio_id].apprentices = count
    for studio_id, year, grade, pk in (
        Scorecard.objects.filter(studio_id__in=ids, round__status=RoundStatus.CONFIRMED)
        .exclude(confirmed_grade="")
        .order_by("studio_id", "-round__year")
        .values_list("studio_id", "round__year", "confirmed_grade", "pk")
    ):
        facts[studio_id].grades.append((year, grade, pk))
    masters = {}
    for f in facts.values():
        masters.setdefault(f.master_id, []).append(f)
    for user_id, level, certificate in (
        Honor.objects.filter(user_id__in=list(masters)).values_list("user_id", "level", "certificate").distinct()
    ):
        for f in masters[user_id]:
            f.honors[level] = f.honors.get(level, False) or bool(certificate)
    return facts


def run(requirement, facts, today=None):
    """The Result of one requirement (a LevelRequirement or a dict with checker/number/choice) for one studio."""
    get = requirement.get if isinstance(requirement, dict) else lambda k: getattr(requirement, k)
    checker = CHECKS.get(get("checker"))
    if checker is None or parameter_problem(get("checker"), get("number"), get("choice")):
        return Result(Verdict.MANUAL, "此条件的核验方式设置有误，需人工核实。")
    return checker.run(facts, get("number"), get("choice"), today or timezone.localdate())
