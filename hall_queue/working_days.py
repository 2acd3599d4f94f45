"""Which days a hall opens: the official schedule of holidays and adjusted working days (调休).

Until the hall keeps its own calendar (the cases issue), the schedule comes from
``chinesecalendar``, which knows the State Council's published years. For a year it does not
know yet it says nothing, and the hall falls back to Monday to Friday.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar


def official_working_day(day: date) -> bool:
    """A working day by the official schedule (a Saturday made a working day counts; a holiday does not)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year not published in the library yet
        return day.weekday() < 5
