"""The five record types by URL slug: one registry read by urls, views, the API, admin and the seed."""

from dataclasses import dataclass

from .models import Achievement, Activity, Meeting, Mentorship, Project


@dataclass(frozen=True)
class RecordType:
    slug: str
    model: type
    label: str  # Chinese plural label (menu, list title)

    @property
    def name(self):
        return self.model._meta.model_name


TYPES = {
    t.slug: t
    for t in (
        RecordType("activities", Activity, "活动记录"),
        RecordType("mentorships", Mentorship, "名师带徒"),
        RecordType("meetings", Meeting, "例会记录"),
        RecordType("projects", Project, "项目"),
        RecordType("achievements", Achievement, "成果"),
    )
}
BY_MODEL = {t.model: t for t in TYPES.values()}
SLUG_PATTERN = "|".join(TYPES)


def type_of(record):
    return BY_MODEL[type(record)]
