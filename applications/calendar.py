"""Publicity (公示) end dates: N calendar or working days, per the policy.

Working days come from, in order: the admin-editable WorkdayOverride table; the chinese-calendar package (official
State Council holiday and make-up-day schedule); and, for a year the package does not cover, Monday–Friday. Such a
year gives a warning that the caller must show (teaching affairs must acknowledge it before publishing), unless an admin
has entered that year's schedule in the override table (at least one row in that year).

Counting rule: the start date counts as day 1 when it is a working day (公示期 "9月30日至10月9日"); the window ends at
00:00 of the day after the last counted day (local time).
"""

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils import timezone


@dataclass
class PublicityWindow:
    start: dt.date
    last_day: dt.date
    ends_at: dt.datetime
    warnings: list[str] = field(default_factory=list)
    uncovered_years: list[int] = field(default_factory=list)

    @property
    def warning_text(self):
        return "\n".join(self.warnings)


def _overrides(start, end):
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def is_workday(day: dt.date, overrides=None):
    """(is_workday, source) where source is "override", "calendar" or "weekday-guess"."""
    overrides = _overrides(day, day) if overrides is None else overrides
    if day in overrides:
        return overrides[day], "override"
    try:
        return chinese_calendar.is_workday(day), "calendar"
    except NotImplementedError:
        return day.weekday() < 5, "weekday-guess"


def _years_entered_by_admin(years):
    """Years whose holiday schedule an admin has entered in the override table (at least one row that year)."""
    from .models import WorkdayOverride

    return {d.year for d in WorkdayOverride.objects.filter(date__year__in=list(years)).dates("date", "year")}


EARLIEST_START_YEAR = 2000
LATEST_START_DAYS = 366


def validate_publicity_start(start):
    """A publicity starts between 2000 and one year from today: 9999-12-31 overflowed the date arithmetic (a 500).
    Used by the publish form, and by publicity_window() for every other caller (the API)."""
    if start is None:
        return
    day = start.date() if isinstance(start, dt.datetime) else start
    if day.year < EARLIEST_START_YEAR or day > timezone.localdate() + dt.timedelta(days=LATEST_START_DAYS):
        raise ValidationError(
            f"公示开始时间 {day:%Y-%m-%d} 超出可用范围（{EARLIEST_START_YEAR} 年起，至迟为一年以后），请核对日期。",
            code="publicity_start",
        )


def publicity_window(start, days: int, *, working_days: bool) -> PublicityWindow:
    """The window of a publicity starting at `start` (date or aware datetime) lasting `days` (working) days."""
    if days < 1:
        raise ValueError("公示天数必须至少为 1 天。")
    validate_publicity_start(start)
    start_date = timezone.localtime(start).date() if isinstance(start, dt.datetime) else start
    if working_days:
        # Long holidays (e.g. National Day + Mid-Autumn) can add up to ~10 days: look 60 days ahead in one query.
        overrides = _overrides(start_date, start_date + dt.timedelta(days=days * 3 + 60))
        counted, day, guessed = 0, start_date, set()
        while True:
            workday, source = is_workday(day, overrides)
            if source == "weekday-guess":
                guessed.add(day.year)
            if workday:
                counted += 1
                if counted == days:
                    break
            day += dt.timedelta(days=1)
        last_day = day
    else:
        last_day = start_date + dt.timedelta(days=days - 1)
        guessed = set()
    midnight = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min)
    guessed -= _years_entered_by_admin(guessed) if guessed else set()
    window = PublicityWindow(
        start=start_date, last_day=last_day, ends_at=timezone.make_aware(midnight), uncovered_years=sorted(guessed)
    )
    for year in window.uncovered_years:
        window.warnings.append(
            f"注意：节假日数据未覆盖 {year} 年（chinese-calendar 无该年官方安排，且「节假日/调休校正」表中也没有相应记录），"
            f"{year} 年的日期暂按周一至周五推算，可能与国务院公布的放假安排不符。请先在「节假日/调休校正」中录入 {year} 年的"
            f"节假日和调休上班日，或确认后再发布。"
        )
    return window


def last_day_of(ends_at):
    """The last calendar day of a window that ends at `ends_at` (00:00 of the next day: the day before)."""
    return timezone.localtime(ends_at - dt.timedelta(microseconds=1)).date()


def period_text(starts_at, ends_at, days, working_days):
    """The one formatter of a publicity period, e.g. 「2026年11月24日 09:00 至 2026年11月30日（5个工作日）」: the
    publicity pages, the lists, the publish form's live preview, the approval form and the PDF notice all read the
    same (the end is the last day, never the 00:00 of the day after)."""
    start = timezone.localtime(starts_at) if isinstance(starts_at, dt.datetime) else starts_at
    last = last_day_of(ends_at)
    start_text = f"{start.year}年{start.month}月{start.day}日"
    if isinstance(start, dt.datetime) and (start.hour, start.minute) != (0, 0):
        start_text += f" {start:%H:%M}"
    unit = "工作日" if working_days else "自然日"
    return f"{start_text} 至 {last.year}年{last.month}月{last.day}日（{days}个{unit}）"
