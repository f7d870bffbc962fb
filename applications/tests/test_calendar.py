"""Publicity end dates: working days from chinese-calendar, the admin override table, and a loud warning for years
the data does not cover."""

import datetime as dt
import zoneinfo

import pytest

from applications.calendar import is_workday, publicity_window
from applications.models import WorkdayOverride

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_three_working_days_from_2026_09_30_end_after_national_day():
    """By hand, from 国务院办公厅关于2026年部分节假日安排的通知: 国庆节 10月1日（周四）至7日（周三）放假调休，共7天；
    9月20日（周日）、10月10日（周六）上班.

    Day 1 = Wed 30 Sep (a working day; the start day counts). 1–7 Oct are holidays. Day 2 = Thu 8 Oct, day 3 = Fri 9 Oct.
    So the publicity runs 30 Sep – 9 Oct and ends at 00:00 on Sat 10 Oct. (A naive Mon–Fri count, or 3 calendar days,
    would both give 2 Oct — in the middle of the holiday.)
    """
    window = publicity_window(dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI), 3, working_days=True)
    assert window.last_day == dt.date(2026, 10, 9)
    assert window.ends_at == dt.datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI)
    assert window.warnings == []


def test_make_up_saturday_counts_as_a_working_day():
    # Fri 9 Oct day 1, Sat 10 Oct (调休上班) day 2, Mon 12 Oct day 3.
    window = publicity_window(dt.date(2026, 10, 9), 3, working_days=True)
    assert window.last_day == dt.date(2026, 10, 12)


def test_calendar_days_ignore_holidays():
    window = publicity_window(dt.date(2026, 9, 30), 3, working_days=False)
    assert window.last_day == dt.date(2026, 10, 2)


def test_override_table_wins_over_the_library():
    WorkdayOverride.objects.create(date=dt.date(2026, 10, 8), is_workday=False, reason="学校补充放假")
    assert is_workday(dt.date(2026, 10, 8)) == (False, "override")
    window = publicity_window(dt.date(2026, 9, 30), 3, working_days=True)
    assert window.last_day == dt.date(2026, 10, 10)  # 30 Sep, 9 Oct, 10 Oct (make-up Saturday)


def test_year_without_data_warns_instead_of_silently_assuming_weekdays():
    window = publicity_window(dt.date(2026, 12, 30), 3, working_days=True)
    # 30, 31 Dec 2026 from the library; 1 Jan 2027 is a guess (Friday) → warned.
    assert window.uncovered_years == [2027]
    assert "2027" in window.warning_text and "周一至周五" in window.warning_text


def test_year_entered_by_admin_is_covered():
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, reason="元旦")
    window = publicity_window(dt.date(2026, 12, 30), 3, working_days=True)
    assert window.warnings == []
    assert window.last_day == dt.date(2027, 1, 4)  # 30, 31 Dec; 1 Jan off (override); Sat/Sun; Mon 4 Jan
