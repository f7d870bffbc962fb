"""Builders for annual tests: a studio with master, a contact person, confirmed achievements, a filled report."""

import datetime as dt

from django.utils import timezone

from annual import services
from ledger.enums import RecordStatus
from ledger.models import Achievement
from ledger.tests.helpers import make_studio

TEXT = {
    "achievements_summary": "完成年度目标：培训 120 人次，开发课程 2 门。",
    "highlights": "校企联合攻关数控工艺。",
    "problems": "企业实践时间不足，下年度增加。",
    "next_year_plan": "申报市级技能大师工作室。",
}


def last_year():
    return timezone.localdate().year - 1


def studio_with_report(department, *, year=None, name="数控技能大师工作室", data=None, since=None):
    """(studio, master, team, report): a draft report filled with TEXT."""
    year = year or last_year()
    studio, master, team = make_studio(department, name=name, since=since or dt.date(year - 1, 3, 1))
    report = services.save_report(by=master, studio=studio, year=year, data=data or TEXT)
    return studio, master, team, report


def achievement(studio, user, *, year=None, status=RecordStatus.CONFIRMED, title="发明专利", month=6):
    year = year or last_year()
    return Achievement.objects.create(
        studio=studio, date=dt.date(year, month, 1), title=title, created_by=user, kind="patent", level="city",
        status=status,
    )  # fmt: skip
