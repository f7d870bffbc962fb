"""The policy in force on a date: a PolicyVersion row (admin-editable, one per effective year) or the defaults of
《重庆市工业学校技能大师工作室建设方案（试行）》 when no row covers the date."""

from dataclasses import dataclass
from datetime import date

from .defaults import DEFAULT_HONOR_KINDS, DEFAULT_HONOR_RULES
from .enums import HonorLevel, HonorRank, level_rank
from .models import HonorKind, HonorRule, PolicyVersion


@dataclass(frozen=True)
class HonorRuleSpec:
    """A qualifying honour rule, detached from the database (so the fallback and stored rules read alike)."""

    kind_code: str
    kind_name: str
    min_level: str
    min_rank: str
    min_count: int

    def describe(self) -> str:
        level = HonorLevel(self.min_level).label
        if self.min_rank:
            text = f"{level}及以上{self.kind_name}{HonorRank(self.min_rank).label}及以上"
        else:
            text = f"{level}及以上{self.kind_name}"
        return f"{text}{self.min_count}次" if self.min_count > 1 or self.min_rank else text

    def level_ok(self, level) -> bool:
        return level_rank(level) >= level_rank(self.min_level)


def policy_in_force(on: date) -> PolicyVersion:
    """The PolicyVersion with the greatest year ≤ on.year; an unsaved default (is_fallback=True) if there is none."""
    version = PolicyVersion.objects.filter(year__lte=on.year).order_by("-year").first()
    if version is not None:
        return version
    fallback = PolicyVersion(year=on.year)
    fallback.is_fallback = True
    return fallback


def honor_rule_specs(policy: PolicyVersion) -> list[HonorRuleSpec]:
    """The policy's qualifying honour rules (the defaults for a fallback policy)."""
    if policy.is_fallback or policy.pk is None:
        names = dict(HonorKind.objects.values_list("code", "name"))
        defaults = {code: name for code, name, _, _ in DEFAULT_HONOR_KINDS}
        return [
            HonorRuleSpec(code, names.get(code) or defaults[code], str(level), str(rank), count)
            for code, level, rank, count in DEFAULT_HONOR_RULES
        ]
    rules = HonorRule.objects.filter(policy=policy).select_related("kind").order_by("order", "id")
    return [HonorRuleSpec(r.kind.code, r.kind.name, r.min_level, r.min_rank, r.min_count) for r in rules]


def fallback_note(policy: PolicyVersion) -> str:
    if policy.is_fallback:
        return f"系统中没有{policy.year}年适用的政策参数版本，已按《建设方案》默认参数判断，请管理员补充配置。"
    return ""


def ensure_default_honor_kinds():
    """Create the honour-kind dictionary rows that do not exist yet (idempotent)."""
    for code, name, has_rank, order in DEFAULT_HONOR_KINDS:
        HonorKind.objects.get_or_create(code=code, defaults={"name": name, "has_rank": has_rank, "order": order})


def ensure_policy_version(year: int, **overrides) -> PolicyVersion:
    """Create the version for `year` with the default honour rules if missing (idempotent); used by seed_demo."""
    ensure_default_honor_kinds()
    version, created = PolicyVersion.objects.get_or_create(year=year, defaults=overrides)
    if created:
        kinds = {k.code: k for k in HonorKind.objects.filter(code__in=[r[0] for r in DEFAULT_HONOR_RULES])}
        HonorRule.objects.bulk_create(
            HonorRule(policy=version, kind=kinds[code], min_level=level, min_rank=rank, min_count=count, order=i)
            for i, (code, level, rank, count) in enumerate(DEFAULT_HONOR_RULES, start=1)
        )
    return version
