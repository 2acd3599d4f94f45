"""Opening hours, ticket numbers and the wait estimate."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from hall_queue.estimate import estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.numbering import format_number, parse_number
from hall_queue.policy import Priority

SH = ZoneInfo("Asia/Shanghai")


def at(h, m=0, day=25):
    return datetime(2026, 11, day, h, m, tzinfo=SH)


def test_nine_to_five_with_lunch():
    hours = OpeningHours.parse("09:00-17:00", "12:00-13:30")
    assert hours.is_open(at(9)) and hours.is_open(at(16, 59))
    assert not hours.is_open(at(8, 59)) and not hours.is_open(at(17))
    assert not hours.is_open(at(12, 30))
    assert hours.next_opening(at(12, 30)) == at(13, 30)
    assert hours.next_opening(at(18)) == at(9, day=26)
    assert hours.next_opening(at(7)) == at(9)


def test_around_the_clock():
    hours = OpeningHours.parse("00:00-00:00")
    assert hours.is_open(at(3)) and hours.around_the_clock
    assert hours.is_open(datetime(2026, 12, 6, 3, tzinfo=SH))  # a Sunday too: it never closes
    assert hours.next_day_opening(at(3)) == at(0, day=26)  # today's capped tickets: back at midnight


def test_weekends_and_holidays_are_closed_and_adjusted_saturdays_open():
    """The official schedule: National Day closes the hall, a Saturday made a working day (调休) opens it."""
    hours = OpeningHours.parse("09:00-17:00")
    on = lambda y, mo, d, h=10: datetime(y, mo, d, h, tzinfo=SH)  # noqa: E731
    assert not hours.is_open(on(2026, 12, 6))  # a Sunday
    assert hours.next_opening(on(2026, 12, 6)) == on(2026, 12, 7, 9)  # Monday at opening time
    assert hours.next_opening(on(2026, 12, 4, 18)) == on(2026, 12, 7, 9)  # Friday evening: Monday, not Saturday
    assert not hours.is_open(on(2026, 10, 1))  # National Day
    assert hours.next_opening(on(2026, 10, 1)) == on(2026, 10, 8, 9)  # after the whole holiday
    assert hours.is_open(on(2026, 10, 10))  # a Saturday that works
    assert hours.next_day_opening(on(2026, 12, 4)) == on(2026, 12, 7, 9)  # a capped service on Friday


def test_a_year_not_yet_published_falls_back_to_monday_to_friday():
    hours = OpeningHours.parse("09:00-17:00")
    assert not hours.is_open(datetime(2027, 1, 2, 10, tzinfo=SH))  # a Saturday
    assert hours.is_open(datetime(2027, 1, 4, 10, tzinfo=SH))


def test_a_hall_s_own_calendar_has_the_last_word():
    closed_for_repairs = {datetime(2026, 11, 26).date()}
    hours = OpeningHours(time(9), time(17), working_day=lambda d: d.weekday() < 5 and d not in closed_for_repairs)
    assert not hours.is_open(at(10, day=26))
    assert hours.next_opening(at(10, day=26)) == at(9, day=27)


def test_bad_hours_are_refused():
    with pytest.raises(ValueError):
        OpeningHours(time(17), time(9))
    with pytest.raises(ValueError):
        OpeningHours(time(9), time(17), (time(18), time(19)))


def test_numbers_read_as_people_say_them():
    assert format_number("A", 1) == "A001"
    assert format_number("B", 1234) == "B1234"
    assert parse_number(" a7 ") == ("A", 7)
    assert parse_number("A0") is None and parse_number("7") is None


def test_people_ahead_counts_stronger_classes_and_earlier_same_class():
    counts = {Priority.PRIORITY: 2, Priority.GREEN: 1, Priority.URGENT: 1}
    assert people_ahead(Priority.NORMAL, counts | {Priority.NORMAL: 0}, 3) == 3 + 2 + 1 + 1
    assert people_ahead(Priority.PRIORITY, {Priority.NORMAL: 9, Priority.URGENT: 1}, 0) == 1
    assert people_ahead(Priority.URGENT, {Priority.NORMAL: 9}, 2) == 2


def test_estimate_shares_the_line_between_open_windows():
    assert estimate_wait(0, 600, 2).estimated_wait_seconds == 0
    assert estimate_wait(4, 600, 2).estimated_wait_seconds == 1200
    assert estimate_wait(5, 600, 2).estimated_wait_seconds == 1800
    no_window = estimate_wait(3, 600, 0)  # no window of the service open: no time to promise, not "no wait"
    assert no_window.waiting_ahead == 3 and no_window.estimated_wait_seconds is None
